using System.Diagnostics;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using SfBackup.Client.Models;
using SfBackup.Client.Operations;
using SfBackup.Emulator;
using SfBackup.Tests.Infrastructure;

namespace SfBackup.Tests;

/// <summary>Restore drills below the cmdlet: how a listed chain is judged, how partitions fall into slices, how a drill's health report reads back.</summary>
public sealed class DrillRuleTests
{
    private static readonly DateTime Day = new(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);

    private static BackupInfo Backup(Guid chain, string type, int hour, long lsn = 100, string? failure = null) => new()
    {
        BackupId = Guid.NewGuid(), BackupChainId = chain, BackupType = type, CreationTimeUtc = Day.AddHours(hour), LsnOfLastBackupRecord = lsn,
        FailureError = failure is null ? null : new FabricErrorInfo { Code = failure },
    };

    [Fact]
    public void A_chain_is_complete_from_its_latest_full_backup_up_to_the_backup()
    {
        var chain = Guid.NewGuid();
        var older = Backup(chain, "Full", 0);
        var full = Backup(chain, "Full", 1);
        var first = Backup(chain, "Incremental", 2);
        var second = Backup(chain, "Incremental", 3);
        var later = Backup(chain, "Incremental", 4);
        var other = Backup(Guid.NewGuid(), "Full", 2);

        var check = SfBackupChain.Check(second, [later, other, second, older, first, full]);

        Assert.Equal(SfChainState.Complete, check.State);
        Assert.Equal([full.BackupId, first.BackupId, second.BackupId], check.Members.Select(b => b.BackupId));
        Assert.Null(check.Problem);
        Assert.Equal(SfChainState.Complete, SfBackupChain.Check(full, [full]).State);
    }

    [Fact]
    public void A_chain_without_its_full_backup_with_a_failed_member_or_an_LSN_of_minus_one_is_named_for_what_is_wrong()
    {
        var chain = Guid.NewGuid();
        var incremental = Backup(chain, "Incremental", 2);
        var noFull = SfBackupChain.Check(incremental, [incremental, Backup(chain, "Full", 5)]);
        Assert.Equal(SfChainState.NoFull, noFull.State);
        Assert.Contains(chain.ToString("D"), noFull.Problem);

        var full = Backup(chain, "Full", 1);
        var failed = Backup(chain, "Incremental", 2, failure: "FABRIC_E_BACKUP_FAILED");
        var latest = Backup(chain, "Incremental", 3);
        var failedCheck = SfBackupChain.Check(latest, [full, failed, latest]);
        Assert.Equal(SfChainState.FailedInChain, failedCheck.State);
        Assert.Contains(failed.BackupId.ToString("D"), failedCheck.Problem);

        var minusOne = Backup(chain, "Incremental", 2, lsn: -1);
        var anomaly = SfBackupChain.Check(latest, [full, minusOne, latest]);
        Assert.Equal(SfChainState.LsnAnomaly, anomaly.State);
        Assert.Contains(minusOne.BackupId.ToString("D"), anomaly.Problem);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(7)]
    public void Every_partition_falls_in_exactly_one_slice_and_N_consecutive_days_drill_every_slice_once(int of)
    {
        var ids = Enumerable.Range(0, 700).Select(_ => Guid.NewGuid()).ToList();
        var slices = ids.Select(id => SfDrill.SliceOf(id, of)).ToList();
        Assert.All(slices, s => Assert.InRange(s, 1, of));
        Assert.Equal(slices, ids.Select(id => SfDrill.SliceOf(id, of)));
        // 700 random ids: every slice holds some, none holds nearly all.
        Assert.All(Enumerable.Range(1, of), s => Assert.InRange(slices.Count(x => x == s), 700 / of / 2, 700 / of * 2));

        var days = Enumerable.Range(0, of).Select(d => SfDrill.SliceForDay(Day.AddDays(d).AddHours(13), of)).ToList();
        Assert.Equal(Enumerable.Range(1, of), days.OrderBy(d => d));
        Assert.Throws<ArgumentOutOfRangeException>(() => SfDrill.SliceOf(Guid.NewGuid(), 0));
    }

    [Fact]
    public void The_last_drill_reads_back_from_the_partitions_health_as_Verified_Failed_Expired_or_Never()
    {
        SfHealthEvent Report(string state, bool expired, int hour) => new()
        {
            SourceId = SfBackupHealthReader.HealthSource, Property = SfBackupHealthReader.VerifiedProperty, HealthState = state,
            IsExpired = expired, SourceUtcTimestamp = Day.AddHours(hour), Description = state + " at " + hour,
        };
        SfBackupHealth Read(params SfHealthEvent[] events)
        {
            var row = new SfBackupHealth();
            SfBackupHealthReader.ApplyVerification(row, new SfPartitionHealth { AggregatedHealthState = "Ok", HealthEvents = [.. events] });
            return row;
        }

        var verified = Read(new SfHealthEvent { SourceId = "System.FM", Property = "State", HealthState = "Ok" }, Report("Ok", false, 5));
        Assert.Equal(SfVerificationState.Verified, verified.Verification);
        Assert.Equal(Day.AddHours(5), verified.LastVerifiedUtc);
        Assert.Equal(Day.AddHours(5), verified.LastDrillUtc);

        var failed = Read(Report("Error", false, 6));
        Assert.Equal(SfVerificationState.Failed, failed.Verification);
        Assert.Null(failed.LastVerifiedUtc);
        Assert.Equal("Error at 6", failed.LastDrillDetail);

        var expired = Read(Report("Ok", true, 2));
        Assert.Equal(SfVerificationState.Expired, expired.Verification);
        Assert.Equal(Day.AddHours(2), expired.LastVerifiedUtc);

        var never = Read(new SfHealthEvent { SourceId = "SfBackup", Property = "BackupRpo", HealthState = "Error" });
        Assert.Equal(SfVerificationState.Never, never.Verification);
        Assert.Null(never.LastDrillUtc);
    }

    [Fact]
    public void The_emulator_finds_a_chain_member_missing_in_the_middle_as_the_service_walks_parent_links()
    {
        var owner = new BackupOwner(Guid.NewGuid(), "fabric:/A", "fabric:/A/S", "Singleton", null, null, null);
        BackupRecord Record(string type, int hour, Guid? parent) => new()
        {
            BackupId = Guid.NewGuid(), ChainId = owner.PartitionId, Owner = owner, ParentBackupId = parent, BackupType = type,
            CreationTimeUtc = new DateTimeOffset(Day).AddHours(hour), Location = "l", StorageKey = "k", DataLossNumber = 1, ConfigurationNumber = 1, Lsn = hour,
        };
        var full = Record("Full", 1, null);
        var first = Record("Incremental", 2, full.BackupId);
        var second = Record("Incremental", 3, first.BackupId);

        Assert.Null(EmulatorState.ChainGap(second, [full, first, second]));
        Assert.Contains(first.BackupId.ToString(), EmulatorState.ChainGap(second, [full, second]));
        Assert.Contains(full.BackupId.ToString(), EmulatorState.ChainGap(second, [first, second]));
    }
}

/// <summary>
/// Test-SfLastBackup in a real engine over one emulator whose topology has a source service and a scratch service
/// with the same key ranges: a drill into the scratch service, Ctrl+C mid-drill, and the refusals that keep a drill
/// off every source partition.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class DrillEngineTests : IAsyncLifetime
{
    private static readonly Guid Low = Guid.Parse("0c000000-0000-4000-8000-000000000001");
    private static readonly Guid High = Guid.Parse("0c000000-0000-4000-8000-000000000002");
    private static readonly Guid ScratchLow = Guid.Parse("0d000000-0000-4000-8000-000000000001");
    private static readonly Guid ScratchHigh = Guid.Parse("0d000000-0000-4000-8000-000000000002");
    private readonly string _topology = Path.Combine(Path.GetTempPath(), "sfbackup-drill-" + Guid.NewGuid().ToString("N") + ".json");
    private readonly RecordingHost _host = new();
    private EmulatorFixture _emulator = null!;
    private Runspace _runspace = null!;

    public async ValueTask InitializeAsync()
    {
        File.WriteAllText(_topology, $$"""
            {
              "Policies": [ { "Name": "Daily", "StorageKind": "FileShare", "Path": "\\\\nas\\sf" } ],
              "Applications": [ { "Name": "fabric:/Bank", "BackupPolicyName": "Daily", "Services": [
                { "Name": "fabric:/Bank/Ledger", "Kind": "Stateful", "Partitions": [
                  { "Id": "{{Low}}", "LowKey": "0", "HighKey": "99", "BackupCount": 3 },
                  { "Id": "{{High}}", "LowKey": "100", "HighKey": "199", "BackupCount": 2 } ] },
                { "Name": "fabric:/Bank/LedgerDrill", "Kind": "Stateful", "Partitions": [
                  { "Id": "{{ScratchHigh}}", "LowKey": "100", "HighKey": "199" },
                  { "Id": "{{ScratchLow}}", "LowKey": "0", "HighKey": "99" } ] } ] } ]
            }
            """);
        _emulator = EmulatorFixture.OnRealClock("--Emulator:TopologyFile=" + _topology, "--Emulator:AcceptedSeconds=0.1", "--Emulator:RestoreSeconds=0.3");
        await _emulator.InitializeAsync();
        _runspace = ModuleEngine.Open(_host);
        ModuleEngine.Run(_runspace, "param($Url) Connect-SfCluster -Endpoint $Url -RetryCount 0 | Out-Null", new Dictionary<string, object> { ["Url"] = _emulator.BaseUri }).ThrowIfErrors();
        _emulator.Journal.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        _runspace.Dispose();
        await _emulator.DisposeAsync();
        File.Delete(_topology);
    }

    private IEnumerable<string> Restores => _emulator.Journal.Snapshot().Where(e => e.Method == "POST" && e.RawTarget.Contains("/$/Restore?", StringComparison.Ordinal)).Select(e => e.RawTarget);

    [Fact]
    public void A_drill_into_a_scratch_service_restores_each_partition_into_its_key_range_twin_and_verifies_it()
    {
        var outcome = ModuleEngine.Run(_runspace, "Test-SfLastBackup -ServiceName fabric:/Bank/Ledger -DrillServiceName fabric:/Bank/LedgerDrill -ReportHealth").ThrowIfErrors();

        var rows = outcome.Output.Select(o => o.BaseObject).OfType<SfDrillResult>().OrderBy(r => r.SourcePartitionId).ToList();
        Assert.Equal([Low, High], rows.Select(r => r.SourcePartitionId));
        Assert.Equal([ScratchLow, ScratchHigh], rows.Select(r => r.DrillPartitionId!.Value));
        Assert.All(rows, r => Assert.Equal(SfDrillStatus.Verified, r.Result));
        Assert.Equal([3, 2], rows.Select(r => r.ChainLength));
        Assert.All(rows, r => Assert.InRange(r.Rto!.Value, TimeSpan.FromSeconds(0.3), TimeSpan.FromSeconds(20)));
        Assert.Equal(2, Restores.Count());
        Assert.All(Restores, target => Assert.True(target.Contains(ScratchLow.ToString()) || target.Contains(ScratchHigh.ToString()), target));

        // Get-SfBackupHealth reads the drill's report back.
        var health = ModuleEngine.Run(_runspace, "Get-SfBackupHealth -ServiceName fabric:/Bank/Ledger -IncludeLastVerified").ThrowIfErrors()
            .Output.Select(o => o.BaseObject).OfType<SfBackupHealth>().ToList();
        Assert.Equal(2, health.Count);
        Assert.All(health, h => Assert.Equal(SfVerificationState.Verified, h.Verification));
        Assert.All(health, h => Assert.NotNull(h.LastVerifiedUtc));
        var plain = ModuleEngine.Run(_runspace, "Get-SfBackupHealth -ServiceName fabric:/Bank/Ledger").ThrowIfErrors()
            .Output.Select(o => o.BaseObject).OfType<SfBackupHealth>().ToList();
        Assert.All(plain, h => Assert.Null(h.Verification));
    }

    [Fact]
    public void A_drill_target_that_is_a_source_of_the_same_run_stops_the_command_before_anything_is_sent()
    {
        // The application holds both services: LedgerDrill would be drilled as a source and restored into as a target.
        var outcome = ModuleEngine.Run(_runspace,
            "try { Test-SfLastBackup -ApplicationName fabric:/Bank -DrillServiceName fabric:/Bank/LedgerDrill } catch { $_ }").ThrowIfErrors();
        var error = Assert.Single(outcome.Output.Select(o => o.BaseObject).OfType<ErrorRecord>());
        Assert.Equal("SfDrillOntoSource,SfBackup.PowerShell.Cmdlets.TestSfLastBackupCommand", error.FullyQualifiedErrorId);
        Assert.Contains("which this run also drills as a source", error.Exception.Message);
        Assert.DoesNotContain(_emulator.Journal.Snapshot(), e => e.Method != "GET");
    }

    [Fact]
    public void CtrlC_mid_drill_returns_within_a_second_names_the_restores_under_way_and_stops_polling()
    {
        _emulator.Options.RestoreSeconds = 120;
        using var ps = PowerShell.Create(_runspace);
        ps.AddScript("Test-SfLastBackup -ServiceName fabric:/Bank/Ledger -DrillServiceName fabric:/Bank/LedgerDrill -ThrottleLimit 2");
        var running = ps.BeginInvoke();
        var wait = Stopwatch.StartNew();
        while (_emulator.Journal.Snapshot().Count(e => e.RawTarget.Contains("GetRestoreProgress", StringComparison.Ordinal)) < 2)
        {
            Assert.True(wait.Elapsed < TimeSpan.FromSeconds(15), "The drill never polled its restores.");
            Thread.Sleep(10);
        }
        var stop = Stopwatch.StartNew();
        ps.Stop();
        stop.Stop();
        Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(running));

        Assert.True(stop.Elapsed < TimeSpan.FromSeconds(1), $"Stop took {stop.Elapsed}.");
        var warning = Assert.Single(_host.HostWarnings);
        Assert.Contains("2 drill restore(s) were under way", warning);
        Assert.Contains(ScratchLow.ToString("D"), warning);
        Assert.Contains(ScratchHigh.ToString("D"), warning);
        var seen = _emulator.Journal.Snapshot().Count;
        Thread.Sleep(2500); // longer than the poll interval
        Assert.Equal(seen, _emulator.Journal.Snapshot().Count);
        Assert.Equal(2, Restores.Count());
    }
}
