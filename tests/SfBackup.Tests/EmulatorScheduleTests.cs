using SfBackup.Client.Operations;
using SfBackup.Tests.Infrastructure;

namespace SfBackup.Tests;

/// <summary>--Emulator:PeriodicBackups: backups happen on each policy's schedule, on the emulator's clock.</summary>
public sealed class EmulatorScheduleTests
{
    private static readonly Guid Stock1 = Guid.Parse(KnownIds.Stock[0]);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(EmulatorFixture Emulator, SfBackupClient Client)> StartAsync(string policy, bool periodic = true)
    {
        var emulator = periodic ? EmulatorFixture.With("--Emulator:PeriodicBackups=true") : EmulatorFixture.With();
        await emulator.InitializeAsync();
        var client = emulator.Client();
        await client.EnablePartitionBackupAsync(Stock1, policy, Ct);
        await Times(client); // the next look starts the partition's schedule, now
        return (emulator, client);
    }

    private static async Task<List<DateTime?>> Times(SfBackupClient client) =>
        [.. (await client.GetBackups(SfEntity.Partition(Stock1)).ReadAllAsync(Ct)).Select(b => b.CreationTimeUtc)];

    [Fact]
    public async Task An_hourly_policy_backs_up_every_hour_in_one_chain()
    {
        var (emulator, client) = await StartAsync("HourlyFileShareBackupPolicy");
        await using var _ = emulator;

        emulator.Clock.Advance(TimeSpan.FromHours(3) + TimeSpan.FromMinutes(1));
        var backups = await client.GetBackups(SfEntity.Partition(Stock1)).ReadAllAsync(Ct);

        Assert.Equal([new DateTime(2026, 6, 1, 10, 0, 0), new DateTime(2026, 6, 1, 11, 0, 0), new DateTime(2026, 6, 1, 12, 0, 0)], backups.Select(b => b.CreationTimeUtc!.Value));
        Assert.Equal(["Full", "Incremental", "Incremental"], backups.Select(b => b.BackupType));
        Assert.Single(backups.Select(b => b.BackupChainId).Distinct());
    }

    [Fact]
    public async Task Times_that_pass_while_suspended_are_skipped_not_owed()
    {
        var (emulator, client) = await StartAsync("HourlyFileShareBackupPolicy");
        await using var _ = emulator;

        await client.SuspendBackupAsync(SfEntity.Partition(Stock1), Ct);
        emulator.Clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));
        Assert.Empty(await Times(client));
        await client.ResumeBackupAsync(SfEntity.Partition(Stock1), Ct);
        emulator.Clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal([new DateTime(2026, 6, 1, 12, 0, 0)], await Times(client));
    }

    [Fact]
    public async Task A_daily_policy_backs_up_at_its_run_time_each_day()
    {
        var (emulator, client) = await StartAsync("DailyAzureBackupPolicy");
        await using var _ = emulator;

        emulator.Clock.Advance(TimeSpan.FromDays(3));

        Assert.Equal([new DateTime(2026, 6, 2, 9, 0, 0), new DateTime(2026, 6, 3, 9, 0, 0), new DateTime(2026, 6, 4, 9, 0, 0)], await Times(client));
    }

    [Fact]
    public async Task A_partition_told_to_fail_falls_behind()
    {
        var (emulator, client) = await StartAsync("HourlyFileShareBackupPolicy");
        await using var _ = emulator;
        lock (emulator.State.Gate) emulator.State.Partitions[Stock1].FailsBackups = true;

        emulator.Clock.Advance(TimeSpan.FromHours(5));

        Assert.Empty(await Times(client));
    }

    [Fact]
    public async Task Without_the_option_no_backup_happens_on_its_own()
    {
        var (emulator, client) = await StartAsync("HourlyFileShareBackupPolicy", periodic: false);
        await using var _ = emulator;

        emulator.Clock.Advance(TimeSpan.FromHours(5));

        Assert.Empty(await Times(client));
    }
}
