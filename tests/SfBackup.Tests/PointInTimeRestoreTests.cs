using System.Management.Automation;
using System.Management.Automation.Runspaces;
using SfBackup.Client.Models;
using SfBackup.Client.Operations;
using SfBackup.Emulator;
using SfBackup.Tests.Infrastructure;

namespace SfBackup.Tests;

/// <summary>The planner's rules, alone: key-range matching, the backup chosen for a point in time, complete chains, refusals.</summary>
public sealed class RestorePlannerTests
{
    private static readonly DateTime T = new(2026, 6, 1, 9, 30, 0, DateTimeKind.Utc);

    private static PartitionInformation Range(Guid id, long low, long high) => new() { ServicePartitionKind = "Int64Range", Id = id, LowKey = low, HighKey = high };
    private static SfPartition Target(PartitionInformation info) => new() { ServiceKind = "Stateful", PartitionInformation = info };

    private static BackupInfo Backup(PartitionInformation source, DateTime at, string type, Guid chain, FabricErrorInfo? failure = null) => new()
    {
        BackupId = Guid.NewGuid(), BackupChainId = chain, PartitionInformation = source, CreationTimeUtc = at, BackupType = type,
        BackupLocation = $"loc/{at:HHmm}.zip", FailureError = failure,
    };

    [Fact]
    public void Takes_the_latest_backup_at_or_before_the_point_in_time_of_the_partition_with_the_same_key_range()
    {
        var source = Range(Guid.NewGuid(), 0, 99);
        var chain = Guid.NewGuid();
        var before = Backup(source, T.AddHours(-1), "Incremental", chain);
        var backups = new[] { Backup(source, T.AddHours(-2), "Full", chain), before, Backup(source, T.AddMinutes(1), "Incremental", chain) };
        var target = Range(Guid.NewGuid(), 0, 99);

        var step = Assert.Single(SfRestorePlanner.Plan("fabric:/New/Svc", [Target(target)], "fabric:/Old/Svc", [source], backups, T));

        Assert.True(step.CanRestore, step.Problem);
        Assert.Equal(target.Id, step.TargetPartitionId);
        Assert.Equal(source.Id, step.SourcePartitionId);
        Assert.Equal(before.BackupId, step.BackupId);
        Assert.Equal(TimeSpan.FromHours(1), step.BehindPointInTime);
        Assert.Equal("0..99", step.KeyRange);
    }

    [Fact]
    public void Named_matches_by_name_and_Singleton_matches_Singleton_whatever_the_ids()
    {
        var oldNamed = new PartitionInformation { ServicePartitionKind = "Named", Id = Guid.NewGuid(), Name = "east" };
        var oldOther = new PartitionInformation { ServicePartitionKind = "Named", Id = Guid.NewGuid(), Name = "west" };
        var newNamed = new PartitionInformation { ServicePartitionKind = "Named", Id = Guid.NewGuid(), Name = "east" };
        var oldSingle = new PartitionInformation { ServicePartitionKind = "Singleton", Id = Guid.NewGuid() };
        var newSingle = new PartitionInformation { ServicePartitionKind = "Singleton", Id = Guid.NewGuid() };
        var east = Backup(oldNamed, T.AddHours(-1), "Full", Guid.NewGuid());
        var west = Backup(oldOther, T.AddMinutes(-1), "Full", Guid.NewGuid());
        var single = Backup(oldSingle, T.AddHours(-3), "Full", Guid.NewGuid());

        var named = SfRestorePlanner.Plan("fabric:/A/S", [Target(newNamed)], "fabric:/A/S", [oldNamed], [east, west], T);
        var singleton = SfRestorePlanner.Plan("fabric:/A/T", [Target(newSingle)], "fabric:/A/T", null, [single], T);

        Assert.Equal(east.BackupId, Assert.Single(named).BackupId);
        Assert.Equal(single.BackupId, Assert.Single(singleton).BackupId);
    }

    [Fact]
    public void A_backup_whose_chain_has_no_full_backup_or_a_failed_link_is_passed_over_for_the_latest_complete_one()
    {
        var source = Range(Guid.NewGuid(), 0, 99);
        var good = Guid.NewGuid();
        var orphan = Guid.NewGuid();
        var broken = Guid.NewGuid();
        var full = Backup(source, T.AddHours(-4), "Full", broken);
        var backups = new[]
        {
            Backup(source, T.AddHours(-5), "Full", good),
            full,
            Backup(source, T.AddHours(-3), "Incremental", broken, new FabricErrorInfo { Code = "E_FAIL" }),
            Backup(source, T.AddHours(-2), "Incremental", broken),
            Backup(source, T.AddHours(-1), "Incremental", orphan), // its full backup was deleted
        };

        var step = Assert.Single(SfRestorePlanner.Plan("fabric:/A/S", [Target(Range(Guid.NewGuid(), 0, 99))], "fabric:/A/S", [source], backups, T));

        Assert.Equal(full.BackupId, step.BackupId);
        Assert.Equal("Full", step.BackupType);
    }

    [Fact]
    public void A_storage_without_backups_of_the_source_says_so_for_every_partition()
    {
        var plan = SfRestorePlanner.Plan("fabric:/A/S", [Target(Range(Guid.NewGuid(), 0, 99)), Target(Range(Guid.NewGuid(), 100, 199))], "fabric:/A/Old", null, [], T);

        Assert.Equal(2, plan.Count);
        Assert.All(plan, s => Assert.Equal("the storage holds no backup of fabric:/A/Old at or before 2026-06-01 09:30:00Z", s.Problem));
    }

    [Fact]
    public void Different_schemes_name_every_unmatched_range_on_both_sides_and_a_partition_without_backups()
    {
        var sourceA = Range(Guid.NewGuid(), 0, 99);
        var sourceB = Range(Guid.NewGuid(), 100, 199);
        var sourceC = Range(Guid.NewGuid(), 200, 299);
        var backups = new[] { Backup(sourceA, T.AddHours(-1), "Full", Guid.NewGuid()), Backup(sourceB, T.AddHours(1), "Full", Guid.NewGuid()) };
        var targets = new[] { Target(Range(Guid.NewGuid(), 0, 99)), Target(Range(Guid.NewGuid(), 100, 199)), Target(Range(Guid.NewGuid(), 200, 349)) };

        var plan = SfRestorePlanner.Plan("fabric:/A/S", targets, "fabric:/A/Old", [sourceA, sourceB, sourceC], backups, T);

        Assert.Equal(4, plan.Count);
        Assert.True(plan[0].CanRestore);
        Assert.Contains("no backup at or before 2026-06-01 09:30:00Z", plan[1].Problem);
        Assert.Equal("fabric:/A/Old has no partition with this key range", plan[2].Problem);
        Assert.Equal("200..349", plan[2].KeyRange);
        Assert.Equal(Guid.Empty, plan[3].TargetPartitionId);
        Assert.Equal("200..299", plan[3].KeyRange);
        Assert.Equal("fabric:/A/S has no partition with this key range", plan[3].Problem);
        var text = SfRestorePlanner.DescribeProblems(plan);
        Assert.Contains("(Int64Range 100..199)", text);
        Assert.Contains("(Int64Range 200..349): fabric:/A/Old has no partition with this key range", text);
        Assert.Contains($"Partition {sourceC.Id:D} of fabric:/A/Old (Int64Range 200..299): fabric:/A/S has no partition", text);
    }
}

/// <summary>
/// Restore-SfService and Restore-SfApplication in the real engine against the emulator on a hand-moved clock: the
/// plan, -WhatIf, the single prompt, refusal with nothing sent, -AllowPartial, and a restore into a second emulator
/// (a rebuilt cluster with other partition ids) through a shared storage directory.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class PointInTimeRestoreTests : IAsyncLifetime
{
    private const string Seed = KnownIds.Seed;
    private const string Second = "5e4a2f31-55a6-4a0e-9a1f-6d4bb2a8c0de";
    private const string Service = "fabric:/CalcApp/CalcService";
    private readonly string _storageDirectory = Path.Combine(Path.GetTempPath(), "sfbackup-storage-" + Guid.NewGuid().ToString("N"));
    private readonly EmulatorFixture _old;
    private readonly EmulatorFixture _new;

    public PointInTimeRestoreTests()
    {
        _old = EmulatorFixture.With("--Emulator:StorageDirectory=" + _storageDirectory);
        _new = EmulatorFixture.With("--Emulator:StorageDirectory=" + _storageDirectory, "--Emulator:NewCluster=true");
    }

    public async ValueTask InitializeAsync()
    {
        await _old.InitializeAsync();
        await _new.InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _old.DisposeAsync();
        await _new.DisposeAsync();
        try
        {
            Directory.Delete(_storageDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    /// <summary>The emulator's clock starts at 2026-06-01 09:00Z; a backup started now ends 5 s later.</summary>
    private static readonly DateTime Start = new(2026, 6, 1, 9, 0, 0, DateTimeKind.Utc);

    private static async Task BackupNow(EmulatorFixture emulator, params string[] partitions)
    {
        var client = emulator.Client();
        foreach (var partition in partitions) await client.BackupPartitionAsync(Guid.Parse(partition));
        emulator.Clock.Advance(TimeSpan.FromSeconds(10));
    }

    /// <summary>Backups of both CalcService partitions at 09:00:05 and 10:00:05.</summary>
    private async Task TwoRoundsOfBackups()
    {
        await BackupNow(_old, Seed, Second);
        _old.Clock.Advance(TimeSpan.FromHours(1) - TimeSpan.FromSeconds(10));
        await BackupNow(_old, Seed, Second);
    }

    private static ModuleEngine.Outcome Run(Runspace runspace, EmulatorFixture emulator, string script) =>
        ModuleEngine.Run(runspace, "param($Url) Connect-SfCluster -Endpoint $Url | Out-Null\n" + script, new Dictionary<string, object> { ["Url"] = emulator.BaseUri });

    private static List<JournalEntry> Restores(EmulatorFixture emulator) =>
        [.. emulator.Journal.Snapshot().Where(e => e.Method == "POST" && e.RawTarget.Contains("/$/Restore", StringComparison.Ordinal))];

    private static SfRestoreStep[] Steps(ModuleEngine.Outcome outcome) => [.. outcome.Output.Select(o => o.BaseObject).OfType<SfRestoreStep>()];

    [Fact]
    public async Task WhatIf_shows_the_backup_each_partition_gets_on_either_side_of_the_time_and_sends_nothing()
    {
        await TwoRoundsOfBackups();
        using var runspace = ModuleEngine.Open();

        var between = Steps(Run(runspace, _old, $"Restore-SfService {Service} -PointInTime '2026-06-01T09:30:00Z' -WhatIf").ThrowIfErrors());
        var after = Steps(Run(runspace, _old, $"Restore-SfService {Service} -PointInTime '2026-06-01T10:30:00Z' -WhatIf").ThrowIfErrors());

        Assert.Equal([Guid.Parse(Seed), Guid.Parse(Second)], between.Select(s => s.TargetPartitionId));
        Assert.All(between, s => Assert.Equal(Start.AddSeconds(5), s.BackupTimeUtc));
        Assert.All(between, s => Assert.Equal(TimeSpan.FromMinutes(29) + TimeSpan.FromSeconds(55), s.BehindPointInTime));
        Assert.All(between, s => Assert.Equal(SfRestoreStepResult.Planned, s.Result));
        Assert.All(after, s => Assert.Equal(Start.AddHours(1).AddSeconds(5), s.BackupTimeUtc));
        Assert.Equal("Incremental", between[0].BackupType); // the seeded chain goes on
        Assert.Equal("Full", between[1].BackupType);
        Assert.Empty(Restores(_old));
    }

    [Theory]
    [InlineData("Yes", 2)]
    [InlineData("No", 0)]
    public async Task One_prompt_covers_the_whole_plan(string answer, int restoresSent)
    {
        await TwoRoundsOfBackups();
        var host = new RecordingHost(answer);
        using var runspace = ModuleEngine.Open(host);

        var outcome = Run(runspace, _old, $"Restore-SfService {Service} -PointInTime '2026-06-01T09:30:00Z'").ThrowIfErrors();

        var prompt = Assert.Single(host.Prompts);
        Assert.Contains("Restore 2 partition(s) to 2026-06-01 09:30:00Z", prompt);
        Assert.Equal(restoresSent, Restores(_old).Count);
        Assert.Equal(restoresSent, Steps(outcome).Count(s => s.Result == SfRestoreStepResult.Accepted));
    }

    [Fact]
    public async Task Different_partition_schemes_are_refused_before_anything_is_sent_naming_each_range()
    {
        await TwoRoundsOfBackups();
        using var runspace = ModuleEngine.Open();

        var outcome = Run(runspace, _old, $"Restore-SfService fabric:/Inventory/Stock -SourceServiceName {Service} -PointInTime '2026-06-01T10:30:00Z' -Force");

        var error = Assert.Single(outcome.Errors);
        Assert.Equal("SfRestorePlanRefused,SfBackup.PowerShell.Cmdlets.RestoreSfServiceCommand", error.FullyQualifiedErrorId);
        foreach (var range in new[] { "0..99", "100..199", "200..299", "300..399", "-9223372036854775808..-1", "0..9223372036854775807" })
            Assert.Contains("Int64Range " + range + ")", error.Exception.Message);
        Assert.Empty(Steps(outcome));
        Assert.Empty(Restores(_old));
    }

    [Fact]
    public async Task AllowPartial_restores_the_partitions_that_have_a_backup_and_reports_the_rest()
    {
        await BackupNow(_old, Seed);
        _old.Journal.Clear();
        using var runspace = ModuleEngine.Open();

        var refused = Run(runspace, _old, $"Restore-SfService {Service} -PointInTime '2026-06-01T09:30:00Z' -Force");
        Assert.Equal("SfRestorePlanRefused", Assert.Single(refused.Errors).FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains($"Partition {Second} (Int64Range 0..9223372036854775807): no backup at or before 2026-06-01 09:30:00Z", refused.Errors[0].Exception.Message);
        Assert.Empty(Restores(_old));

        var outcome = Run(runspace, _old,
            $"Restore-SfService {Service} -PointInTime '2026-06-01T09:30:00Z' -AllowPartial -Force -InformationVariable info\n'summary: ' + ($info.MessageData.Message -join '')").ThrowIfErrors();

        var steps = Steps(outcome);
        Assert.Equal([SfRestoreStepResult.Accepted, SfRestoreStepResult.Skipped], steps.Select(s => s.Result));
        var restore = Assert.Single(Restores(_old));
        Assert.Contains($"/Partitions/{Seed}/$/Restore", restore.RawTarget);
        Assert.Contains(outcome.Warnings, w => w.Contains(Second, StringComparison.Ordinal) && w.Contains("skipped", StringComparison.Ordinal));
        Assert.Contains("summary: Restore of fabric:/CalcApp/CalcService to 2026-06-01 09:30:00Z: 0 restored, 1 accepted (not waited for), 0 failed, 1 skipped.",
            outcome.Output.Select(o => o.BaseObject).OfType<string>());
    }

    [Fact]
    public async Task Restore_SfApplication_plans_every_stateful_service_under_one_confirmation()
    {
        await TwoRoundsOfBackups();
        var host = new RecordingHost("Yes");
        using var runspace = ModuleEngine.Open(host);

        var steps = Steps(Run(runspace, _old, "Restore-SfApplication fabric:/CalcApp -PointInTime '2026-06-01T09:30:00Z'").ThrowIfErrors());

        Assert.Single(host.Prompts);
        Assert.Equal(2, steps.Length);
        Assert.All(steps, s => Assert.Equal(Service, s.TargetServiceName));
        Assert.Equal(2, Restores(_old).Count);
    }

    [Fact]
    public async Task A_rebuilt_cluster_restores_from_the_old_clusters_backups_in_a_shared_storage_matched_by_key_range()
    {
        await TwoRoundsOfBackups();
        using var runspace = ModuleEngine.Open();
        var masked = Run(runspace, _new, $"Restore-SfService {Service} -PointInTime '2026-06-01T09:30:00Z' -Storage (Get-SfBackupPolicy DailyAzureBackupPolicy).Storage -Force");
        Assert.Equal("SfMaskedStorageSecret", Assert.Single(masked.Errors).FullyQualifiedErrorId.Split(',')[0]);
        var storage = "(New-SfBackupStorage -ConnectionString (ConvertTo-SecureString 'AccountName=emulator' -AsPlainText -Force) -ContainerName BackupContainer)";

        var outcome = Run(runspace, _new, $"Restore-SfService {Service} -PointInTime '2026-06-01T09:30:00Z' -Storage {storage} -Force").ThrowIfErrors();

        var steps = Steps(outcome);
        var newIds = _new.State.Partitions.Values.Where(p => p.Service.Name == Service).Select(p => p.Id).ToHashSet();
        Assert.Equal(2, steps.Length);
        Assert.All(steps, s => Assert.Contains(s.TargetPartitionId, newIds));
        Assert.DoesNotContain(Guid.Parse(Seed), newIds);
        Assert.Equal([Guid.Parse(Seed), Guid.Parse(Second)], steps.Select(s => s.SourcePartitionId!.Value));
        Assert.Equal(2, Restores(_new).Count(r => r.Applied));
        Assert.Empty(Restores(_old));

        // The restores run to Success in the new cluster, at the old backups' LSNs.
        _new.Clock.Advance(TimeSpan.FromMinutes(1));
        var client = _new.Client();
        var expected = _old.State.Partitions[Guid.Parse(Seed)].Backups.Single(b => b.BackupId == steps[0].BackupId).Lsn;
        var progress = await client.GetPartitionRestoreProgressAsync(steps[0].TargetPartitionId);
        Assert.Equal(RestoreState.Success, progress.RestoreState);
        Assert.Equal(expected, progress.RestoredLsn);
    }

    [Fact]
    public async Task The_emulator_refuses_a_backup_of_a_partition_with_another_key_range()
    {
        await TwoRoundsOfBackups();
        var old = _old.State.Partitions[Guid.Parse(Seed)].Backups.Last();
        var restore = new RestorePartitionDescription { BackupId = old.BackupId, BackupLocation = old.Location };

        var mismatch = await Assert.ThrowsAsync<Client.Transport.SfFabricException>(
            () => _new.Client().RestorePartitionAsync(EmulatorState.NewClusterId(Guid.Parse(Second)), restore));

        Assert.Equal("FABRIC_E_RESTORE_SOURCE_TARGET_PARTITION_MISMATCH", mismatch.ErrorId);
        await _new.Client().RestorePartitionAsync(EmulatorState.NewClusterId(Guid.Parse(Seed)), restore);
    }
}

/// <summary>Restore-SfService -Wait on the real clock: every partition followed to Success, and the summary says so.</summary>
[Collection(EngineCollection.Name)]
public sealed class PointInTimeRestoreWaitTests : IAsyncLifetime
{
    private readonly EmulatorFixture _emulator = EmulatorFixture.OnRealClock("--Emulator:AcceptedSeconds=0.2", "--Emulator:BackupSeconds=0.3", "--Emulator:RestoreSeconds=0.5");

    public ValueTask InitializeAsync() => _emulator.InitializeAsync();

    public ValueTask DisposeAsync() => _emulator.DisposeAsync();

    [Fact]
    public void Wait_follows_every_restore_to_its_end()
    {
        using var runspace = ModuleEngine.Open();
        var outcome = ModuleEngine.Run(runspace, """
            param($Url)
            Connect-SfCluster -Endpoint $Url | Out-Null
            Get-SfPartition fabric:/CalcApp/CalcService | Start-SfPartitionBackup -Wait | Out-Null
            $t = [datetime]::UtcNow
            Restore-SfService fabric:/CalcApp/CalcService -PointInTime $t -Wait -ThrottleLimit 2 -Force -InformationVariable info
            'summary: ' + ($info.MessageData.Message -join '')
            """, new Dictionary<string, object> { ["Url"] = _emulator.BaseUri }).ThrowIfErrors();

        var steps = outcome.Output.Select(o => o.BaseObject).OfType<SfRestoreStep>().ToList();
        Assert.Equal(2, steps.Count);
        Assert.All(steps, s => Assert.Equal(SfRestoreStepResult.Restored, s.Result));
        Assert.Contains(outcome.Output.Select(o => o.BaseObject).OfType<string>(), s => s.EndsWith(": 2 restored, 0 failed, 0 skipped.", StringComparison.Ordinal));
    }
}

/// <summary>Named partitions, from a topology file: the emulator lists them by name, and a restore matches them by name.</summary>
public sealed class NamedPartitionRestoreTests : IAsyncLifetime
{
    private readonly string _topology = Path.Combine(Path.GetTempPath(), "sfbackup-named-" + Guid.NewGuid().ToString("N") + ".json");
    private EmulatorFixture _emulator = null!;

    public async ValueTask InitializeAsync()
    {
        File.WriteAllText(_topology, """
            {
              "Policies": [ { "Name": "Daily", "StorageKind": "FileShare", "Path": "\\\\nas\\sf" } ],
              "Applications": [ { "Name": "fabric:/Shop", "BackupPolicyName": "Daily", "Services": [
                { "Name": "fabric:/Shop/Carts", "Kind": "Stateful", "Partitions": [
                  { "Id": "0a000000-0000-4000-8000-000000000001", "Name": "east" },
                  { "Id": "0a000000-0000-4000-8000-000000000002", "Name": "west" } ] },
                { "Name": "fabric:/Shop/CartsCopy", "Kind": "Stateful", "Partitions": [
                  { "Id": "0b000000-0000-4000-8000-000000000001", "Name": "west" },
                  { "Id": "0b000000-0000-4000-8000-000000000002", "Name": "east" } ] } ] } ]
            }
            """);
        _emulator = EmulatorFixture.With("--Emulator:TopologyFile=" + _topology);
        await _emulator.InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _emulator.DisposeAsync();
        File.Delete(_topology);
    }

    [Fact]
    public async Task Another_service_with_the_same_names_in_another_order_is_restored_partition_by_name()
    {
        var client = _emulator.Client();
        var east = Guid.Parse("0a000000-0000-4000-8000-000000000001");
        var west = Guid.Parse("0a000000-0000-4000-8000-000000000002");
        await client.BackupPartitionAsync(east);
        await client.BackupPartitionAsync(west);
        _emulator.Clock.Advance(TimeSpan.FromSeconds(10));

        var partitions = await client.GetPartitions("fabric:/Shop/Carts").ReadAllAsync();
        Assert.All(partitions, p => Assert.Equal("Named", p.PartitionInformation!.ServicePartitionKind));
        Assert.Equal(["east", "west"], partitions.Select(p => p.PartitionInformation!.Name));

        var plan = await SfRestoreRunner.PlanServiceAsync(client, "fabric:/Shop/CartsCopy", "fabric:/Shop/Carts", null, new DateTime(2026, 6, 2, 0, 0, 0, DateTimeKind.Utc), TestContext.Current.CancellationToken);
        Assert.Equal([west, east], plan.Select(s => s.SourcePartitionId!.Value));
        var outcomes = await SfRestoreRunner.RunAsync(client, plan, new SfRestoreOptions(), null, TestContext.Current.CancellationToken);

        Assert.All(outcomes, o => Assert.Null(o.Failure));
        Assert.All(outcomes, o => Assert.Equal(SfRestoreStepResult.Accepted, o.Step.Result));
    }
}
