using System.Diagnostics;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using SfBackup.Tests.Infrastructure;

namespace SfBackup.Tests;

/// <summary>
/// What users do in the engine they use, where a script cannot control the timing: Ctrl+C mid-call, the order of
/// output under -ThrottleLimit, error actions, prompts, tab completion. A real engine in-process over the emulator.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class EngineBehaviourTests : IAsyncLifetime
{
    private const string Seed = KnownIds.Seed;
    private const string Unknown = KnownIds.Unknown;
    private static readonly string[] Stock = KnownIds.Stock;
    private const string EnableCommand = "SfBackup.PowerShell.Cmdlets.EnableSfPartitionBackupCommand";
    private readonly EmulatorFixture _emulator = EmulatorFixture.With();
    private Runspace _runspace = null!;

    public async ValueTask InitializeAsync()
    {
        await _emulator.InitializeAsync();
        _runspace = Connected(ModuleEngine.Open());
    }

    public async ValueTask DisposeAsync()
    {
        _runspace.Dispose();
        await _emulator.DisposeAsync();
    }

    private Runspace Connected(Runspace runspace)
    {
        ModuleEngine.Run(runspace, "param($Url) Connect-SfCluster -Endpoint $Url -RetryCount 0 | Out-Null", new Dictionary<string, object> { ["Url"] = _emulator.BaseUri }).ThrowIfErrors();
        _emulator.Reset();
        return runspace;
    }

    private static void WaitFor(Func<bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(15)) Assert.Fail($"Timed out waiting for {what}.");
            Thread.Sleep(10);
        }
    }

    /// <summary>Starts <paramref name="script"/>, presses Ctrl+C once <paramref name="ready"/> holds; how long Stop took and how it ended.</summary>
    private (TimeSpan StopTook, Exception? Ended) StopWhen(string script, Func<bool> ready, IDictionary<string, object>? parameters = null)
    {
        using var ps = PowerShell.Create(_runspace);
        ps.AddScript(script);
        if (parameters is not null) ps.AddParameters((System.Collections.IDictionary)parameters);
        var running = ps.BeginInvoke();
        WaitFor(ready, "the call to be in flight");
        var stop = Stopwatch.StartNew();
        ps.Stop();
        stop.Stop();
        Exception? ended = null;
        try
        {
            ps.EndInvoke(running);
        }
        catch (Exception ex)
        {
            ended = ex;
        }
        return (stop.Elapsed, ended);
    }

    [Fact]
    public void CtrlC_during_a_call_in_flight_returns_within_a_second_and_the_request_is_never_applied()
    {
        _emulator.Options.LatencyMs = 3000;
        var (took, ended) = StopWhen($"Resume-SfPartitionBackup -PartitionId {Seed}", () => _emulator.Journal.InProgress == 1);

        Assert.True(took < TimeSpan.FromSeconds(1), $"Stop took {took}.");
        Assert.IsType<PipelineStoppedException>(ended);
        WaitFor(() => _emulator.Journal.InProgress == 0, "the emulator to see the request go");
        Thread.Sleep(3200); // past the latency: a request still running would be answered and journaled by now
        Assert.Empty(_emulator.Journal.Snapshot());
    }

    [Fact]
    public void CtrlC_during_Wait_returns_within_a_second_and_stops_polling()
    {
        // The manual clock never moves: the backup stays Accepted and -Wait would poll forever.
        var (took, ended) = StopWhen($"Start-SfPartitionBackup -PartitionId {Seed} -Wait",
            () => _emulator.Journal.Snapshot().Count(e => e.RawTarget.Contains("GetBackupProgress")) >= 2);

        Assert.True(took < TimeSpan.FromSeconds(1), $"Stop took {took}.");
        Assert.IsType<PipelineStoppedException>(ended);
        var seen = _emulator.Journal.Snapshot().Count;
        Thread.Sleep(2500); // longer than the poll interval
        Assert.Equal(seen, _emulator.Journal.Snapshot().Count);
        Assert.Equal(0, _emulator.Journal.InProgress);
    }

    [Fact]
    public void CtrlC_during_a_point_in_time_restore_with_Wait_returns_within_a_second_and_stops_polling()
    {
        // The manual clock never moves: the restore stays Accepted and -Wait would poll forever.
        var (took, ended) = StopWhen("Restore-SfService fabric:/CalcApp/CalcService -PointInTime '2026-05-01T00:00:00Z' -AllowPartial -Force -Wait",
            () => _emulator.Journal.Snapshot().Count(e => e.RawTarget.Contains("GetRestoreProgress")) >= 2);

        Assert.True(took < TimeSpan.FromSeconds(1), $"Stop took {took}.");
        Assert.IsType<PipelineStoppedException>(ended);
        var seen = _emulator.Journal.Snapshot().Count;
        Thread.Sleep(2500); // longer than the poll interval
        Assert.Equal(seen, _emulator.Journal.Snapshot().Count);
        Assert.Single(_emulator.Journal.Snapshot(), e => e.RawTarget.Contains("/$/Restore?", StringComparison.Ordinal));
    }

    [Fact]
    public void CtrlC_during_a_ThrottleLimit_16_pipeline_returns_within_a_second_and_leaves_no_request_running()
    {
        _emulator.Options.LatencyMs = 2000;
        var items = Enumerable.Range(0, 100).Select(i => Stock[i % 4]).ToArray();
        var (took, ended) = StopWhen("param($Items) $Items | Enable-SfPartitionBackup -BackupPolicyName DailyAzureBackupPolicy -ThrottleLimit 16",
            () => _emulator.Journal.InProgress == 16, new Dictionary<string, object> { ["Items"] = items });

        Assert.True(took < TimeSpan.FromSeconds(1), $"Stop took {took}.");
        Assert.IsType<PipelineStoppedException>(ended);
        WaitFor(() => _emulator.Journal.InProgress == 0, "the emulator to see all 16 requests go");
        Thread.Sleep(2200);
        Assert.Empty(_emulator.Journal.Snapshot());
    }

    [Fact]
    public void ThrottleLimit_writes_output_and_errors_in_input_order_each_once()
    {
        _emulator.Options.LatencyMs = 1;
        _emulator.Options.LatencyJitterMs = 25; // answers come back out of order
        var items = Enumerable.Range(0, 100).Select(i => i == 37 ? Unknown : Stock[i % 4]).ToArray();

        var outcome = ModuleEngine.Run(_runspace,
            "param($Items) $Items | Enable-SfPartitionBackup -BackupPolicyName DailyAzureBackupPolicy -ThrottleLimit 16 -PassThru 2>&1",
            new Dictionary<string, object> { ["Items"] = items });

        var seen = outcome.Output.Select(o => o.BaseObject is ErrorRecord e
            ? $"error {e.TargetObject} {e.FullyQualifiedErrorId}"
            : o.Properties["PartitionId"].Value.ToString()).ToList();
        Assert.Equal(items.Select(i => i == Unknown ? $"error {Unknown} FABRIC_E_PARTITION_NOT_FOUND,{EnableCommand}" : i), seen);
        Assert.Equal(100, _emulator.Journal.Snapshot().Count(e => e.Method == "POST"));
    }

    [Theory]
    [InlineData("$ErrorActionPreference = 'Stop'; $Items | Enable-SfPartitionBackup -BackupPolicyName DailyAzureBackupPolicy -PassThru")]
    [InlineData("$Items | Enable-SfPartitionBackup -BackupPolicyName DailyAzureBackupPolicy -PassThru -ErrorAction Stop")]
    [InlineData("$Items | Enable-SfPartitionBackup -BackupPolicyName DailyAzureBackupPolicy -PassThru -ErrorAction Stop -ThrottleLimit 1")]
    public void Stop_makes_the_first_per_item_error_terminating_with_its_id_and_target(string pipeline)
    {
        var outcome = ModuleEngine.Run(_runspace,
            "param($Items) try { " + pipeline + " | ForEach-Object { \"ok $($_.PartitionId)\" } } catch { \"caught $($_.FullyQualifiedErrorId) $($_.TargetObject)\" }",
            new Dictionary<string, object> { ["Items"] = new[] { Stock[0], Unknown, Stock[1] } });

        Assert.Equal([$"ok {Stock[0]}", $"caught FABRIC_E_PARTITION_NOT_FOUND,{EnableCommand} {Unknown}"], outcome.Output.Select(o => o.ToString()));
        // Nothing after the failing item was sent.
        Assert.Equal(2, _emulator.Journal.Snapshot().Count);
    }

    [Fact]
    public void ErrorVariable_collects_every_per_item_error_and_the_pipeline_goes_on()
    {
        var outcome = ModuleEngine.Run(_runspace, """
            param($Items)
            $ok = $Items | Enable-SfPartitionBackup -BackupPolicyName DailyAzureBackupPolicy -PassThru -ThrottleLimit 4 -ErrorVariable failed -ErrorAction SilentlyContinue
            "ok $(@($ok).Count)"
            $failed | ForEach-Object { "$($_.FullyQualifiedErrorId) $($_.TargetObject)" }
            """, new Dictionary<string, object> { ["Items"] = new[] { Stock[0], Unknown, Stock[1], "88888888-8888-4888-8888-888888888888", Stock[2] } });

        Assert.Equal(["ok 3", $"FABRIC_E_PARTITION_NOT_FOUND,{EnableCommand} {Unknown}", $"FABRIC_E_PARTITION_NOT_FOUND,{EnableCommand} 88888888-8888-4888-8888-888888888888"],
            outcome.Output.Select(o => o.ToString()));
    }

    public static TheoryData<string, int, string> Prompting
    {
        get
        {
            var cases = new (string Script, int Prompts)[]
            {
                // Medium impact: silent by default; once with -Confirm or $ConfirmPreference = 'Low'.
                ($"Resume-SfPartitionBackup -PartitionId {Seed}", 0),
                ($"Resume-SfPartitionBackup -PartitionId {Seed} -Confirm", 1),
                ($"$ConfirmPreference = 'Low'; Resume-SfPartitionBackup -PartitionId {Seed}", 1),
                ("Suspend-SfApplicationBackup -ApplicationName fabric:/CalcApp", 0),
                // High impact: exactly once by default; never with -Confirm:$false or -Force.
                ($"Get-SfBackup -PartitionId {Seed} -Latest | Restore-SfPartition", 1),
                ($"Get-SfBackup -PartitionId {Seed} -Latest | Restore-SfPartition -Confirm:$false", 0),
                ("Remove-SfBackupPolicy -Name HourlyFileShareBackupPolicy", 1),
                ("Remove-SfBackupPolicy -Name HourlyFileShareBackupPolicy -Confirm:$false", 0),
                ("Disable-SfApplicationBackup -ApplicationName fabric:/CalcApp -CleanBackup", 1),
                ("Disable-SfApplicationBackup -ApplicationName fabric:/CalcApp -CleanBackup -Force", 0),
                ("$ConfirmPreference = 'Low'; Disable-SfApplicationBackup -ApplicationName fabric:/CalcApp -CleanBackup", 1),
                ("Disable-SfApplicationBackup -ApplicationName fabric:/CalcApp", 0),
            };
            var data = new TheoryData<string, int, string>();
            foreach (var (script, prompts) in cases)
            {
                data.Add(script, prompts, "Yes");
                if (prompts > 0) data.Add(script, prompts, "No");
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Prompting))]
    public void Prompts_exactly_as_the_impact_and_switches_say_and_sends_only_after_a_Yes(string script, int prompts, string answer)
    {
        var host = new RecordingHost(answer);
        using var runspace = Connected(ModuleEngine.Open(host));

        ModuleEngine.Run(runspace, script).ThrowIfErrors();

        Assert.Equal(prompts, host.Prompts.Count);
        var changes = _emulator.Journal.Snapshot().Count(e => e.Method == "POST");
        Assert.Equal(answer == "Yes" ? 1 : 0, changes);
    }

    [Theory]
    [InlineData("Enable-SfPartitionBackup -PartitionId " + Seed + " -BackupPolicyName Dai", "DailyAzureBackupPolicy")]
    [InlineData("Get-SfBackupPolicy -Name hour", "HourlyFileShareBackupPolicy")]
    [InlineData("Suspend-SfApplicationBackup -ApplicationName fabric:/Ca", "fabric:/CalcApp")]
    [InlineData("Get-SfBackup -ApplicationName Inv", "fabric:/Inventory")]
    [InlineData("Get-SfPartition -ServiceName fabric:/CalcApp/CalcS", "fabric:/CalcApp/CalcService")]
    [InlineData("Resume-SfServiceBackup -ServiceName Inventory/", "fabric:/Inventory/Stock")]
    [InlineData("Get-SfPartition -ServiceName calcapp/calcg", "fabric:/CalcApp/CalcGateway")]
    public void Tab_completes_policy_application_and_service_names_from_the_cluster(string input, string expected)
    {
        using var ps = PowerShell.Create(_runspace);

        var completion = CommandCompletion.CompleteInput(input, input.Length, null, ps);

        Assert.Equal([expected], completion.CompletionMatches.Select(m => m.CompletionText));
    }

    // A stateless service has no backups: the backup cmdlets do not offer it (and fall back to nothing, not to file names).
    [Theory]
    [InlineData("Get-SfBackupConfiguration -ServiceName calcapp/calcg")]
    [InlineData("Suspend-SfServiceBackup -ServiceName fabric:/CalcApp/CalcG")]
    [InlineData("Restore-SfService -ServiceName fabric:/CalcApp/CalcG")]
    public void Backup_cmdlets_do_not_offer_stateless_services(string input)
    {
        using var ps = PowerShell.Create(_runspace);

        var completion = CommandCompletion.CompleteInput(input, input.Length, null, ps);

        Assert.DoesNotContain(completion.CompletionMatches, m => m.CompletionText.Contains("CalcGateway", StringComparison.Ordinal));
        Assert.DoesNotContain(completion.CompletionMatches, m => m.ResultType == CompletionResultType.ProviderItem || m.ResultType == CompletionResultType.ProviderContainer);
    }

    [Theory]
    [InlineData("Resume-SfPartitionBackup -PartitionId ", 6)]
    [InlineData("Resume-SfPartitionBackup -PartitionId a1b2", 4)]
    [InlineData("Get-SfBackup -ServiceName fabric:/Inventory/Stock -PartitionId ", 4)]
    [InlineData("Get-SfBackupHealth -ApplicationName fabric:/CalcApp -PartitionId ", 2)]
    [InlineData("Get-SfBackup -ServiceName fabric:/CalcApp/CalcService -PartitionId 1daa", 1)]
    public void Tab_completes_partition_ids_of_stateful_services_narrowed_by_the_service_or_application_on_the_line(string input, int count)
    {
        using var ps = PowerShell.Create(_runspace);

        var completion = CommandCompletion.CompleteInput(input, input.Length, null, ps);

        Assert.Equal(count, completion.CompletionMatches.Count);
        Assert.All(completion.CompletionMatches, m => Assert.True(Guid.TryParse(m.CompletionText, out _), m.CompletionText));
        Assert.DoesNotContain(completion.CompletionMatches, m => m.CompletionText == "0b1e9c42-3c55-4f2b-8f4e-0f6a1f0c7a11");
        Assert.All(completion.CompletionMatches, m => Assert.Contains("fabric:/", m.ToolTip));
    }

    // The request trace follows -Verbose as PowerShell users expect: the switch when it is given (either way), else
    // $VerbosePreference in the caller's scope, which an advanced function's -Verbose also sets.
    [Theory]
    [InlineData("Get-SfPartitionRestoreProgress -PartitionId " + Seed + " -Verbose", true)]
    [InlineData("$VerbosePreference = 'Continue'; Get-SfPartitionRestoreProgress -PartitionId " + Seed, true)]
    [InlineData("function Read-It { [CmdletBinding()] param() Get-SfPartitionRestoreProgress -PartitionId " + Seed + " }; Read-It -Verbose", true)]
    [InlineData("$VerbosePreference = 'Continue'; Get-SfPartitionRestoreProgress -PartitionId " + Seed + " -Verbose:$false", false)]
    [InlineData("Get-SfPartitionRestoreProgress -PartitionId " + Seed, false)]
    public void The_request_trace_is_written_exactly_when_verbose_output_is_wanted(string script, bool traced)
    {
        var outcome = ModuleEngine.Run(_runspace,
            $"@(& {{ {script} }} 4>&1 | Where-Object {{ $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like '*X-ServiceFabricRequestId*' }}).Count").ThrowIfErrors();

        Assert.Equal(traced ? 1 : 0, (int)outcome.Output.Single().BaseObject);
    }
}
