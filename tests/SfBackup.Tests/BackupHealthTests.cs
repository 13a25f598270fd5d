using Microsoft.AspNetCore.Http;
using System.Management.Automation.Runspaces;
using SfBackup.Client.Models;
using SfBackup.Client.Operations;
using SfBackup.Emulator;
using SfBackup.Tests.Infrastructure;

namespace SfBackup.Tests;

/// <summary>What a schedule promises, and how a row's status follows from what it holds.</summary>
public sealed class BackupHealthRuleTests
{
    [Fact]
    public void The_promised_interval_is_the_frequency_or_the_longest_gap_between_run_times_across_the_period_end()
    {
        Assert.Equal(TimeSpan.FromMinutes(15), SfBackupHealthReader.PromisedInterval(new FrequencyBackupSchedule(TimeSpan.FromMinutes(15))));
        Assert.Equal(TimeSpan.FromDays(1), SfBackupHealthReader.PromisedInterval(new TimeBackupSchedule(BackupScheduleFrequency.Daily, [TimeSpan.FromHours(9)])));
        // 01:00, 13:00, 19:00: gaps 12 h, 6 h and 6 h across midnight.
        Assert.Equal(TimeSpan.FromHours(12), SfBackupHealthReader.PromisedInterval(
            new TimeBackupSchedule(BackupScheduleFrequency.Daily, [TimeSpan.FromHours(19), TimeSpan.FromHours(1), TimeSpan.FromHours(13)])));
        // 22:00 and 02:00: 4 h across midnight, 20 h in the day.
        Assert.Equal(TimeSpan.FromHours(20), SfBackupHealthReader.PromisedInterval(
            new TimeBackupSchedule(BackupScheduleFrequency.Daily, [TimeSpan.FromHours(22), TimeSpan.FromHours(2)])));
        // Monday and Thursday 09:00: 3 days, then 4 across the week's end.
        Assert.Equal(TimeSpan.FromDays(4), SfBackupHealthReader.PromisedInterval(
            new TimeBackupSchedule(BackupScheduleFrequency.Weekly, [TimeSpan.FromHours(9)], [DayOfWeek.Thursday, DayOfWeek.Monday])));
    }

    private static SfBackupHealth Row(string? policy = "P", bool suspended = false, TimeSpan? age = null, FabricErrorInfo? failure = null)
    {
        var now = new DateTime(2026, 6, 1, 12, 0, 0, DateTimeKind.Utc);
        return new SfBackupHealth
        {
            PolicyName = policy, IsSuspended = suspended, SuspensionInheritedFrom = suspended ? BackupEntityKind.Service : BackupEntityKind.Invalid,
            LastBackupTimeUtc = age.HasValue ? now - age : null, LastBackupAge = age, PromisedInterval = TimeSpan.FromHours(1),
            Grace = TimeSpan.FromMinutes(30), LastFailure = failure, CheckedAtUtc = now,
        };
    }

    [Theory]
    [InlineData(null, false, 10, false, SfBackupHealthStatus.NotEnabled)]
    [InlineData("P", true, 600, true, SfBackupHealthStatus.Suspended)]
    [InlineData("P", false, 600, true, SfBackupHealthStatus.Failing)]
    [InlineData("P", false, -1, false, SfBackupHealthStatus.NeverBackedUp)]
    [InlineData("P", false, 91, false, SfBackupHealthStatus.Late)]
    [InlineData("P", false, 90, false, SfBackupHealthStatus.Healthy)]
    public void Status_follows_from_policy_suspension_failure_and_age_in_that_order(string? policy, bool suspended, int ageMinutes, bool failed, SfBackupHealthStatus expected)
    {
        var row = Row(policy, suspended, ageMinutes < 0 ? null : TimeSpan.FromMinutes(ageMinutes), failed ? new FabricErrorInfo { Code = "E_FAIL" } : null);

        SfBackupHealthReader.Evaluate(row);

        Assert.Equal(expected, row.Status);
        Assert.False(string.IsNullOrEmpty(row.Reason));
        Assert.Equal(expected is SfBackupHealthStatus.Failing or SfBackupHealthStatus.Late or SfBackupHealthStatus.NeverBackedUp or SfBackupHealthStatus.Suspended, row.NeedsAction);
    }
}

/// <summary>
/// Get-SfBackupHealth in the real engine against the emulator on a hand-moved clock (09:00Z at the start). Stock gets
/// the hourly policy; its first partition is backed up at 09:00, its second fails its backups, its third is
/// suspended, its fourth never backed up. CalcService is suspended at service level; Load001/Svc1 has no policy.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class BackupHealthTests : IAsyncLifetime
{
    private static readonly Guid[] Stock = [.. KnownIds.Stock.Select(Guid.Parse)];
    private static readonly Guid[] Load = [Guid.Parse("00000000-0000-4000-8000-000000000001"), Guid.Parse("00000000-0000-4000-8000-000000000002")];
    private readonly EmulatorFixture _emulator = EmulatorFixture.With("--Emulator:Partitions=2");
    private Runspace _runspace = null!;

    public async ValueTask InitializeAsync()
    {
        await _emulator.InitializeAsync();
        _runspace = ModuleEngine.Open();
        Run("Enable-SfServiceBackup fabric:/Inventory/Stock -BackupPolicyName HourlyFileShareBackupPolicy; Suspend-SfPartitionBackup " + Stock[2]).ThrowIfErrors();
        var client = _emulator.Client();
        lock (_emulator.State.Gate) _emulator.State.Partitions[Stock[1]].FailsBackups = true;
        await client.BackupPartitionAsync(Stock[0]);
        await client.BackupPartitionAsync(Stock[1]);
        _emulator.Clock.Advance(TimeSpan.FromSeconds(10));
        _emulator.Clock.Advance(TimeSpan.FromMinutes(60) - TimeSpan.FromSeconds(10)); // 10:00
        _emulator.Journal.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        _runspace.Dispose();
        await _emulator.DisposeAsync();
    }

    private ModuleEngine.Outcome Run(string script) =>
        ModuleEngine.Run(_runspace, "param($Url) Connect-SfCluster -Endpoint $Url | Out-Null\n" + script, new Dictionary<string, object> { ["Url"] = _emulator.BaseUri });

    private List<SfBackupHealth> Rows(string script) => [.. Run(script).ThrowIfErrors().Output.Select(o => o.BaseObject).OfType<SfBackupHealth>()];

    private SfBackupHealthStatus StatusOf(List<SfBackupHealth> rows, Guid partition) => rows.Single(r => r.PartitionId == partition).Status;

    [Fact]
    public void Each_partition_gets_its_status_on_the_clusters_clock_worst_first_from_one_listing_per_service()
    {
        var rows = Rows("Get-SfBackupHealth");

        Assert.Equal(SfBackupHealthStatus.Healthy, StatusOf(rows, Stock[0]));
        Assert.Equal(SfBackupHealthStatus.Failing, StatusOf(rows, Stock[1]));
        Assert.Equal(SfBackupHealthStatus.Suspended, StatusOf(rows, Stock[2]));
        Assert.Equal(SfBackupHealthStatus.NeverBackedUp, StatusOf(rows, Stock[3]));
        Assert.Equal(SfBackupHealthStatus.Suspended, StatusOf(rows, Guid.Parse(KnownIds.Seed)));
        Assert.All(Load, id => Assert.Equal(SfBackupHealthStatus.NotEnabled, StatusOf(rows, id)));
        Assert.Equal(8, rows.Count); // every stateful partition, the stateless gateway left out
        Assert.Equal(rows.OrderBy(r => r.Status).Select(r => r.PartitionId), rows.Select(r => r.PartitionId));

        var healthy = rows.Single(r => r.PartitionId == Stock[0]);
        Assert.Equal(TimeSpan.FromHours(1), healthy.PromisedInterval);
        Assert.Equal(TimeSpan.FromMinutes(59) + TimeSpan.FromSeconds(55), healthy.LastBackupAge);
        Assert.Equal(BackupEntityKind.Service, healthy.PolicyInheritedFrom);
        var failing = rows.Single(r => r.PartitionId == Stock[1]);
        Assert.Equal("E_FAIL", failing.LastFailure?.Code);
        Assert.Equal(BackupEntityKind.Partition, rows.Single(r => r.PartitionId == Stock[2]).SuspensionInheritedFrom);

        // One Latest listing per service with a policy; backup progress only for the two partitions without a recent backup.
        var journal = _emulator.Journal.Snapshot();
        var listings = journal.Where(e => e.RawTarget.Contains("/$/GetBackups", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, listings.Count);
        Assert.All(listings, e => Assert.StartsWith("/Services/", e.RawTarget, StringComparison.Ordinal));
        Assert.All(listings, e => Assert.Contains("Latest=true", e.RawTarget, StringComparison.Ordinal));
        var progress = journal.Where(e => e.RawTarget.Contains("/$/GetBackupProgress", StringComparison.Ordinal)).Select(e => e.RawTarget).ToList();
        Assert.Equal(2, progress.Count);
        Assert.Contains(progress, t => t.Contains(Stock[1].ToString(), StringComparison.Ordinal));
        Assert.Contains(progress, t => t.Contains(Stock[3].ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void A_partition_is_Late_past_the_promised_interval_plus_the_grace_and_Grace_moves_that_line()
    {
        _emulator.Clock.Advance(TimeSpan.FromMinutes(45)); // the 09:00:05 backup is 1 h 44 m old

        Assert.Equal(SfBackupHealthStatus.Late, StatusOf(Rows("Get-SfBackupHealth -ServiceName fabric:/Inventory/Stock"), Stock[0]));
        Assert.Equal(SfBackupHealthStatus.Healthy, StatusOf(Rows("Get-SfBackupHealth -ServiceName fabric:/Inventory/Stock -Grace 01:00:00"), Stock[0]));
        Assert.Equal(SfBackupHealthStatus.Late, StatusOf(Rows($"[pscustomobject]@{{ PartitionId = '{Stock[0]}' }} | Get-SfBackupHealth"), Stock[0]));
        // From discovery: every partition of an application, the stateless gateway's passed over without an error.
        var piped = Rows("Get-SfService fabric:/CalcApp | Get-SfPartition | Get-SfBackupHealth");
        Assert.Equal([Guid.Parse(KnownIds.Seed), Guid.Parse("5e4a2f31-55a6-4a0e-9a1f-6d4bb2a8c0de")], piped.Select(r => r.PartitionId).Order());
    }

    [Fact]
    public void Unhealthy_keeps_only_rows_that_need_action_and_Summary_counts_each_status()
    {
        var unhealthy = Rows("Get-SfBackupHealth -Unhealthy");
        var summary = Run("Get-SfBackupHealth -Summary").ThrowIfErrors().Output.Select(o => o.BaseObject).OfType<SfBackupHealthSummary>().ToDictionary(s => s.Status, s => s.Count);

        Assert.Equal([Stock[1], Stock[3]], unhealthy.Take(2).Select(r => r.PartitionId));
        Assert.Equal(5, unhealthy.Count);
        Assert.All(unhealthy, r => Assert.True(r.NeedsAction));
        Assert.Equal(new Dictionary<SfBackupHealthStatus, int>
        {
            [SfBackupHealthStatus.Failing] = 1, [SfBackupHealthStatus.Late] = 0, [SfBackupHealthStatus.NeverBackedUp] = 1,
            [SfBackupHealthStatus.Suspended] = 3, [SfBackupHealthStatus.NotEnabled] = 2, [SfBackupHealthStatus.Healthy] = 1,
        }, summary);
    }

    [Fact]
    public void ReportHealth_sends_each_unhealthy_partition_to_the_health_store_and_WhatIf_sends_none()
    {
        Run("Get-SfBackupHealth -ApplicationName fabric:/Inventory -ReportHealth -WhatIf").ThrowIfErrors();
        Assert.DoesNotContain(_emulator.Journal.Snapshot(), e => e.RawTarget.Contains("/$/ReportHealth", StringComparison.Ordinal));

        Run("Get-SfBackupHealth -ApplicationName fabric:/Inventory -ReportHealth -HealthTimeToLive 02:00:00").ThrowIfErrors();

        HealthReport? Report(Guid partition)
        {
            lock (_emulator.State.Gate) return _emulator.State.Partitions[partition].Health.GetValueOrDefault(("SfBackup", "BackupRpo"));
        }
        Assert.Null(Report(Stock[0]));
        Assert.Equal("Error", Report(Stock[1])!.HealthState);
        Assert.Equal("Warning", Report(Stock[2])!.HealthState);
        Assert.Equal("Warning", Report(Stock[3])!.HealthState);
        Assert.Equal(TimeSpan.FromHours(2), Report(Stock[1])!.TimeToLive);
        Assert.True(Report(Stock[1])!.RemoveWhenExpired);
        Assert.Contains("E_FAIL", Report(Stock[1])!.Description);
    }
}

/// <summary>Clusters that answer 404 FABRIC_E_BACKUP_NOT_ENABLED for an entity no policy covers: NotEnabled rows, not errors.</summary>
public sealed class BackupHealthToleranceTests
{
    [Fact]
    public async Task A_service_whose_configuration_is_404_backup_not_enabled_reads_as_NotEnabled()
    {
        var partition = Guid.NewGuid();
        await using var server = await ScriptedServer.StartAsync(async (context, _) =>
        {
            var path = context.Request.Path.Value ?? "";
            context.Response.ContentType = "application/json";
            if (path.EndsWith("/$/GetPartitions", StringComparison.Ordinal))
            {
                await context.Response.WriteAsync($$$"""{"ContinuationToken":"","Items":[{"ServiceKind":"Stateful","PartitionInformation":{"ServicePartitionKind":"Singleton","Id":"{{{partition}}}"}}]}""");
                return;
            }
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync("""{"Error":{"Code":"FABRIC_E_BACKUP_NOT_ENABLED","Message":"Backup is not enabled."}}""");
        });
        var client = new SfBackupClient(new Client.Session.SfClusterConnection(new Client.Session.SfConnectionOptions { Endpoints = [server.BaseUri] }));

        var reads = await new SfBackupHealthReader(client).ReadAsync([SfEntity.Service("fabric:/App/Cache"), SfEntity.Partition(partition)], 2, TestContext.Current.CancellationToken);

        Assert.All(reads, r => Assert.Null(r.Failure));
        var rows = reads.SelectMany(r => r.Rows).ToList();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal(SfBackupHealthStatus.NotEnabled, r.Status));
        Assert.All(rows, r => Assert.Equal(partition, r.PartitionId));
    }

    [Fact]
    public async Task A_backup_progress_or_policy_the_cluster_cannot_answer_leaves_the_row_as_the_listing_shows_it()
    {
        var partition = Guid.NewGuid();
        await using var server = await ScriptedServer.StartAsync(async (context, _) =>
        {
            var path = context.Request.Path.Value ?? "";
            context.Response.ContentType = "application/json";
            var answer = path switch
            {
                _ when path.EndsWith("/$/GetPartitions", StringComparison.Ordinal) =>
                    $$$"""{"ContinuationToken":"","Items":[{"ServiceKind":"Stateful","PartitionInformation":{"ServicePartitionKind":"Singleton","Id":"{{{partition}}}"}}]}""",
                _ when path.EndsWith("/$/GetBackupConfigurationInfo", StringComparison.Ordinal) =>
                    """{"ContinuationToken":"","Items":[{"Kind":"Service","ServiceName":"fabric:/App/Orders","PolicyName":"Gone","PolicyInheritedFrom":"Service","SuspensionInfo":{"IsSuspended":false,"SuspensionInheritedFrom":"Invalid"}}]}""",
                _ when path.EndsWith("/$/GetBackups", StringComparison.Ordinal) => """{"ContinuationToken":"","Items":[]}""",
                _ => null,
            };
            if (answer is null)
            {
                // The policy was deleted meanwhile, and the backup progress fails outright.
                context.Response.StatusCode = path.Contains("/BackupPolicies/", StringComparison.Ordinal) ? 404 : 500;
                answer = path.Contains("/BackupPolicies/", StringComparison.Ordinal)
                    ? """{"Error":{"Code":"FABRIC_E_BACKUP_POLICY_NOT_EXISTING","Message":"No such policy."}}"""
                    : """{"Error":{"Code":"E_FAIL","Message":"Something broke."}}""";
            }
            await context.Response.WriteAsync(answer);
        });
        var client = new SfBackupClient(new Client.Session.SfClusterConnection(new Client.Session.SfConnectionOptions { Endpoints = [server.BaseUri], MaxRetries = 0 }));

        var read = Assert.Single(await new SfBackupHealthReader(client).ReadAsync([SfEntity.Service("fabric:/App/Orders")], 1, TestContext.Current.CancellationToken));

        Assert.Null(read.Failure);
        var row = Assert.Single(read.Rows);
        Assert.Equal(SfBackupHealthStatus.NeverBackedUp, row.Status);
        Assert.Null(row.PromisedInterval);
        Assert.Contains(server.Targets, t => t.Contains("/$/GetBackupProgress", StringComparison.Ordinal));
    }
}
