using SfBackup.Client.Models;
using SfBackup.Tests.Infrastructure;
using static SfBackup.Tests.SeedExamples;

namespace SfBackup.Tests;

/// <summary>The emulator as a stateful cluster: backups run over time, policies override, state resets.</summary>
public sealed class EmulatorBehaviourTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorFixture _emulator;

    public EmulatorBehaviourTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_backup_moves_from_accepted_to_in_progress_to_success_over_time()
    {
        await _emulator.Client().BackupPartitionAsync(Partition, null, null, Ct);
        var run = _emulator.State.Partitions[Partition].CurrentBackup!;

        Assert.Equal("Accepted", run.State(_emulator.Clock.GetUtcNow()));
        _emulator.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("BackupInProgress", run.State(_emulator.Clock.GetUtcNow()));
        _emulator.Clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal("Success", run.State(_emulator.Clock.GetUtcNow()));
        Assert.Equal("AzureBlobStore", run.StorageKind);
    }

    [Fact]
    public async Task Once_a_backup_finished_the_next_one_is_accepted()
    {
        var client = _emulator.Client();
        await client.BackupPartitionAsync(Partition, null, null, Ct);
        _emulator.Clock.Advance(TimeSpan.FromSeconds(10));

        var response = await client.BackupPartitionAsync(Partition, null, null, Ct);

        Assert.Equal(202, response.StatusCode);
    }

    [Fact]
    public async Task A_backup_timeout_shorter_than_the_work_ends_in_timeout()
    {
        using var emulator = new EmulatorFixtureScope(["--Emulator:BackupSeconds=120"]);
        await emulator.Fixture.InitializeAsync();
        await emulator.Fixture.Client().BackupPartitionAsync(Partition, null, 1, Ct);
        var run = emulator.Fixture.State.Partitions[Partition].CurrentBackup!;

        emulator.Fixture.Clock.Advance(TimeSpan.FromSeconds(61));

        Assert.Equal("Timeout", run.State(emulator.Fixture.Clock.GetUtcNow()));
        Assert.False(run.IsRunning(emulator.Fixture.Clock.GetUtcNow()));
    }

    [Fact]
    public async Task A_one_off_storage_is_used_instead_of_the_policys()
    {
        await _emulator.Client().BackupPartitionAsync(Partition, new FileShareBackupStorage(@"\\nas\adhoc"), null, Ct);

        Assert.Equal("FileShare", _emulator.State.Partitions[Partition].CurrentBackup!.StorageKind);
    }

    [Fact]
    public async Task Enabling_a_partition_overrides_the_inherited_policy_and_partitions_inherit_otherwise()
    {
        var second = _emulator.State.Services["CalcApp~CalcService"].Partitions[1];
        Assert.Equal("DailyAzureBackupPolicy", second.EffectivePolicy);

        await _emulator.Client().EnablePartitionBackupAsync(second.Id, "HourlyFileShareBackupPolicy", Ct);

        Assert.Equal("HourlyFileShareBackupPolicy", second.EffectivePolicy);
        Assert.Equal("DailyAzureBackupPolicy", _emulator.State.Partitions[Partition].EffectivePolicy);
    }

    [Fact]
    public async Task Reset_restores_the_starting_state_and_empties_the_journal()
    {
        await _emulator.Client().ResumePartitionBackupAsync(Partition, Ct);
        Assert.False(_emulator.State.Partitions[Partition].Suspended);

        using var raw = _emulator.Raw();
        using var answer = await raw.PostAsync("/$Emulator/Reset", null, Ct);

        Assert.Equal(204, (int)answer.StatusCode);
        Assert.True(_emulator.State.Partitions[Partition].Suspended);
        Assert.Empty(_emulator.Journal.Snapshot());
    }

    [Fact]
    public async Task A_partition_with_no_restore_answers_invalid_state()
    {
        var progress = await _emulator.Client().GetPartitionRestoreProgressAsync(Guid.Parse("a1b2c3d4-0001-4000-8000-000000000001"), Ct);

        Assert.Equal(RestoreState.Invalid, progress.RestoreState);
        Assert.Null(progress.RestoredLsn);
    }

    [Fact]
    public async Task The_restore_answer_uses_the_6_4_epoch_names_for_6_4_callers_and_the_client_reads_both()
    {
        var client = _emulator.Client(configure: o => o.ApiVersion = "6.4");

        var progress = await client.GetPartitionRestoreProgressAsync(Partition, Ct);
        using var raw = _emulator.Raw();
        var body = await raw.GetStringAsync($"/Partitions/{PartitionId}/$/GetRestoreProgress?api-version=6.4", Ct);

        Assert.Contains("DataLossVersion", body);
        Assert.DoesNotContain("DataLossNumber", body);
        Assert.Equal(131462452931584510L, progress.RestoredEpoch!.DataLossNumber);
    }

    [Fact]
    public async Task A_topology_file_replaces_the_default_cluster()
    {
        var file = Path.Combine(Path.GetTempPath(), $"sfbackup-topology-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """
            {"Policies":[{"Name":"p1"}],
             "Applications":[{"Name":"fabric:/Solo","Services":[{"Name":"fabric:/Solo/One","Kind":"Stateful",
               "Partitions":[{"Id":"11111111-2222-4333-8444-555555555555"}]}]}]}
            """, Ct);
        try
        {
            using var emulator = new EmulatorFixtureScope([$"--Emulator:TopologyFile={file}"]);
            await emulator.Fixture.InitializeAsync();

            var response = await emulator.Fixture.Client().EnablePartitionBackupAsync(Guid.Parse("11111111-2222-4333-8444-555555555555"), "p1", Ct);

            Assert.Equal(202, response.StatusCode);
            Assert.DoesNotContain(Partition, emulator.Fixture.State.Partitions.Keys);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>A second emulator with other settings, for the few tests that need them.</summary>
    private sealed class EmulatorFixtureScope(string[] extraArgs) : IDisposable
    {
        public EmulatorFixture Fixture { get; } = EmulatorFixture.With(extraArgs);
        public void Dispose() => Fixture.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
