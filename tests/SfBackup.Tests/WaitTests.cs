using SfBackup.Client.Models;
using SfBackup.Client.Operations;
using SfBackup.Tests.Infrastructure;
using static SfBackup.Tests.SeedExamples;

namespace SfBackup.Tests;

/// <summary>-Wait's polling: against a fast emulator on the real clock, and on scripted progress sequences.</summary>
public sealed class WaitTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan Plenty = TimeSpan.FromSeconds(30);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<EmulatorFixture> FastEmulator(params string[] more)
    {
        var emulator = EmulatorFixture.OnRealClock(["--Emulator:AcceptedSeconds=0.1", "--Emulator:BackupSeconds=0.3", "--Emulator:RestoreSeconds=0.3", .. more]);
        await emulator.InitializeAsync();
        return emulator;
    }

    [Fact]
    public async Task Waiting_for_a_backup_sees_it_run_and_returns_its_success()
    {
        await using var emulator = await FastEmulator();
        var client = emulator.Client();
        var seen = new List<BackupState>();
        var started = DateTime.UtcNow;
        await client.BackupPartitionAsync(Partition, null, null, Ct);

        var final = await SfWait.ForBackupAsync(client, Partition, started, Interval, Plenty, p => { lock (seen) seen.Add(p.BackupState); }, Ct);

        Assert.Equal(BackupState.Success, final.BackupState);
        Assert.NotNull(final.BackupId);
        Assert.Contains(seen, s => SfWait.IsRunning(s));
        Assert.Equal(BackupState.Success, seen.Last());
    }

    [Fact]
    public async Task Waiting_for_a_restore_returns_the_restored_lsn()
    {
        await using var emulator = await FastEmulator();
        var client = emulator.Client();
        var backup = (await client.GetBackups(SfEntity.Partition(Partition), new BackupListFilter { Latest = true }).ReadAllAsync(Ct)).Single();
        var started = DateTime.UtcNow;
        await client.RestorePartitionAsync(Partition, new RestorePartitionDescription { BackupId = backup.BackupId, BackupLocation = backup.BackupLocation! }, null, Ct);

        var final = await SfWait.ForRestoreAsync(client, Partition, started, Interval, Plenty, null, Ct);

        Assert.Equal(RestoreState.Success, final.RestoreState);
        Assert.Equal(backup.LsnOfLastBackupRecord, final.RestoredLsn);
    }

    [Fact]
    public async Task The_previous_runs_success_is_not_taken_for_a_restore_that_never_started()
    {
        await using var emulator = await FastEmulator();

        // The seed partition reports the 2018 restore as Success; nothing new was started.
        var ex = await Assert.ThrowsAsync<SfWaitTimeoutException>(() =>
            SfWait.ForRestoreAsync(emulator.Client(), Partition, DateTime.UtcNow, Interval, TimeSpan.FromMilliseconds(400), null, Ct));

        Assert.Equal("SfWaitTimedOut", ex.ErrorId);
        Assert.Contains(PartitionId, ex.Message);
    }

    [Fact]
    public async Task A_backup_that_times_out_on_the_cluster_ends_the_wait_with_its_timeout_state()
    {
        await using var emulator = await FastEmulator("--Emulator:BackupSeconds=600");
        var client = emulator.Client();
        var started = DateTime.UtcNow;
        await client.BackupPartitionAsync(Partition, null, 1, Ct);

        // The emulator's run would end at 60 s (BackupTimeout 1 minute); the wait limit is shorter, so it gives up.
        await Assert.ThrowsAsync<SfWaitTimeoutException>(() =>
            SfWait.ForBackupAsync(client, Partition, started, Interval, TimeSpan.FromMilliseconds(300), null, Ct));
    }

    private static Func<CancellationToken, Task<BackupProgressInfo>> Script(params (BackupState State, DateTime? Stamp)[] steps)
    {
        var i = 0;
        return _ =>
        {
            var (state, stamp) = steps[Math.Min(i++, steps.Length - 1)];
            return Task.FromResult(new BackupProgressInfo { BackupState = state, TimeStampUtc = stamp });
        };
    }

    private static Task<BackupProgressInfo> Until(Func<CancellationToken, Task<BackupProgressInfo>> read, DateTime started, TimeSpan limit) =>
        SfWait.UntilAsync(read, p => SfWait.IsFinal(p.BackupState), p => SfWait.IsRunning(p.BackupState), p => p.TimeStampUtc,
            started, TimeSpan.FromMilliseconds(1), limit, null, "test", Ct);

    [Fact]
    public async Task An_old_success_then_invalid_then_the_new_run_waits_for_the_new_runs_end()
    {
        var started = new DateTime(2026, 5, 1, 12, 0, 0, DateTimeKind.Utc);
        var read = Script(
            (BackupState.Success, started.AddDays(-1)),
            (BackupState.Invalid, null),
            (BackupState.Success, started.AddDays(-1)),
            (BackupState.Accepted, started),
            (BackupState.BackupInProgress, started),
            (BackupState.Failure, started.AddSeconds(30)));

        var final = await Until(read, started, Plenty);

        Assert.Equal(BackupState.Failure, final.BackupState);
    }

    [Fact]
    public async Task A_run_too_fast_to_be_seen_counts_when_its_stamp_is_recent()
    {
        var started = new DateTime(2026, 5, 1, 12, 0, 0, DateTimeKind.Utc);

        var final = await Until(Script((BackupState.Success, started.AddSeconds(-30))), started, Plenty);

        Assert.Equal(BackupState.Success, final.BackupState);
    }

    [Fact]
    public async Task A_run_that_never_ends_stops_at_the_limit()
    {
        await Assert.ThrowsAsync<SfWaitTimeoutException>(() =>
            Until(Script((BackupState.BackupInProgress, null)), DateTime.UtcNow, TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public async Task Cancelling_stops_the_wait()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            SfWait.UntilAsync(Script((BackupState.BackupInProgress, null)), p => SfWait.IsFinal(p.BackupState), p => SfWait.IsRunning(p.BackupState),
                p => p.TimeStampUtc, DateTime.UtcNow, TimeSpan.FromMilliseconds(20), Plenty, null, "test", cts.Token));
    }
}
