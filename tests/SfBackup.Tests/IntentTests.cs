using SfBackup.Client.Operations;
using SfBackup.Tests.Infrastructure;

namespace SfBackup.Tests;

/// <summary>
/// A partition state change whose answer is lost is resolved by reading the cluster: done if it was applied, sent
/// again if it was not; never applied twice, never a second backup.
/// </summary>
public sealed class IntentTests : IAsyncLifetime
{
    private static readonly Guid Stock1 = Guid.Parse(KnownIds.Stock[0]);
    private static readonly Guid Seed = Guid.Parse(KnownIds.Seed);
    private readonly EmulatorFixture _emulator = EmulatorFixture.OnRealClock("--Emulator:BackupSeconds=60");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => _emulator.InitializeAsync();
    public ValueTask DisposeAsync() => _emulator.DisposeAsync();

    public static TheoryData<string, string> Cases => new()
    {
        { "Enable", "ResetAfterApply" }, { "Enable", "ResetBeforeApply" }, { "Enable", "Transient" },
        { "Suspend", "ResetAfterApply" }, { "Suspend", "ResetBeforeApply" },
        { "Resume", "ResetAfterApply" }, { "Resume", "ResetBeforeApply" },
        { "Backup", "ResetAfterApply" }, { "Backup", "ResetBeforeApply" },
        { "Restore", "ResetAfterApply" }, { "Restore", "ResetBeforeApply" },
    };

    private (SfEntity Partition, Func<CancellationToken, Task<Client.Transport.SfResponse>> Send, SfIntents.Check Holds, string Action) Intent(SfBackupClient client, string verb) => verb switch
    {
        "Enable" => (SfEntity.Partition(Stock1), t => client.EnableBackupAsync(SfEntity.Partition(Stock1), "HourlyFileShareBackupPolicy", t), SfIntents.Enabled("HourlyFileShareBackupPolicy"), "EnableBackup"),
        // The seed partition has backup enabled (inherited) and starts suspended at partition level.
        "Suspend" => (SfEntity.Partition(Seed), t => client.SuspendBackupAsync(SfEntity.Partition(Seed), t), SfIntents.Suspended, "SuspendBackup"),
        "Resume" => (SfEntity.Partition(Seed), t => client.ResumeBackupAsync(SfEntity.Partition(Seed), t), SfIntents.Resumed, "ResumeBackup"),
        "Restore" => (SfEntity.Partition(Seed), t => client.RestorePartitionAsync(Seed, LatestSeedBackup(), null, t), SfIntents.RestoreStarted, "/$/Restore"),
        _ => (SfEntity.Partition(Seed), t => client.BackupPartitionAsync(Seed, null, null, t), SfIntents.BackupStarted, "/$/Backup"),
    };

    private Client.Models.RestorePartitionDescription LatestSeedBackup()
    {
        lock (_emulator.State.Gate)
        {
            var backup = _emulator.State.Partitions[Seed].Backups.Last();
            return new Client.Models.RestorePartitionDescription { BackupId = backup.BackupId, BackupLocation = backup.Location };
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_lost_answer_is_resolved_by_reading_and_the_change_is_applied_exactly_once(string verb, string fault)
    {
        var client = _emulator.Client(configure: o => o.RetryDelay = TimeSpan.Zero);
        if (verb == "Suspend") await client.ResumeBackupAsync(SfEntity.Partition(Seed), Ct);
        _emulator.Journal.Clear();
        var (partition, send, holds, action) = Intent(client, verb);
        _emulator.Faults.ForceNext([fault]);

        var response = await client.SendIntentAsync(send, (sent, t) => holds(client, partition, sent, t), Ct);

        var posts = _emulator.Journal.Snapshot().Where(e => e.Method == "POST" && e.RawTarget.Contains(action)).ToList();
        Assert.Equal(1, posts.Count(e => e.Applied));
        // Applied, then lost: verified by a read, not sent again. Not applied: sent once more.
        Assert.Equal(fault == "ResetAfterApply", response.VerifiedByRead);
        Assert.Equal(fault == "ResetAfterApply" ? 1 : 2, posts.Count);
        Assert.True(await holds(client, partition, DateTime.UtcNow.AddMinutes(-1), Ct));
    }

    [Fact]
    public async Task Without_a_way_to_check_a_lost_answer_is_still_reported()
    {
        var client = _emulator.Client(configure: o => o.RetryDelay = TimeSpan.Zero);
        _emulator.Faults.ForceNext(["ResetAfterApply"]);

        var ex = await Assert.ThrowsAsync<Client.Transport.SfConnectionException>(() => client.SkipAutoRestoreAsync(Seed, Ct));

        Assert.True(ex.AnswerLost);
        Assert.Single(_emulator.Journal.Snapshot());
    }
}
