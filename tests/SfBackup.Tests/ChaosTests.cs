using System.Management.Automation;
using SfBackup.Tests.Infrastructure;

namespace SfBackup.Tests;

/// <summary>
/// Exactly-once intent under faults, through the cmdlets in the real engine: enable, suspend, resume and back up
/// every partition of a generated cluster with -ThrottleLimit 32, against 5 % transient answers and 1 % dropped
/// connections (half of them after the change was applied). Every input item comes out exactly once, as output or
/// as one error naming it; no change is applied twice; no backup starts twice.
/// CI runs 200 partitions (800 operations); SFBACKUP_CHAOS_PARTITIONS=2500 runs the full 10,000.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class ChaosTests
{
    private static int Partitions => int.TryParse(Environment.GetEnvironmentVariable("SFBACKUP_CHAOS_PARTITIONS"), out var n) && n > 0 ? n : 200;

    [Fact]
    public async Task Every_intent_is_applied_once_and_every_item_reported_once_under_faults()
    {
        var n = Partitions;
        await using var emulator = EmulatorFixture.OnRealClock($"--Emulator:Partitions={n}", "--Emulator:BackupSeconds=3600",
            "--Emulator:Faults:Transient=0.05", "--Emulator:Faults:ResetBeforeApply=0.005", "--Emulator:Faults:ResetAfterApply=0.005",
            "--Emulator:Faults:Seed=2026", $"--Emulator:JournalSize={n * 40}");
        await emulator.InitializeAsync();
        var ids = Enumerable.Range(1, n).Select(i => $"00000000-0000-4000-8000-{i:D12}").ToArray();
        using var runspace = ModuleEngine.Open();
        ModuleEngine.Run(runspace, "param($Url) Connect-SfCluster -Endpoint $Url -RetryCount 6 | Out-Null", new Dictionary<string, object> { ["Url"] = emulator.BaseUri }).ThrowIfErrors();

        var report = new List<string>();
        foreach (var (cmdlet, extra, action) in new[]
                 {
                     ("Enable-SfPartitionBackup", "-BackupPolicyName DailyAzureBackupPolicy", "EnableBackup"),
                     ("Suspend-SfPartitionBackup", "", "SuspendBackup"),
                     ("Resume-SfPartitionBackup", "", "ResumeBackup"),
                     ("Start-SfPartitionBackup", "", "Backup"),
                 })
        {
            var outcome = ModuleEngine.Run(runspace, $"param($Ids) $Ids | {cmdlet} {extra} -ThrottleLimit 32 -PassThru 2>&1", new Dictionary<string, object> { ["Ids"] = ids });
            var done = outcome.Output.Where(o => o.BaseObject is not ErrorRecord).Select(o => o.Properties["PartitionId"].Value!.ToString()!).ToList();
            var failed = outcome.Output.Select(o => o.BaseObject).OfType<ErrorRecord>().ToList();

            // Every input exactly once, as output or as one error naming it.
            Assert.Equal(ids.Order(), done.Concat(failed.Select(e => e.TargetObject?.ToString() ?? "?")).Order());

            // The journal: no change applied twice; every change reported done was applied.
            var applied = emulator.Journal.Snapshot()
                .Where(e => e.Applied && e.Method == "POST" && e.RawTarget.Contains($"/$/{action}?"))
                .GroupBy(e => e.RawTarget.Split('/')[2])
                .ToDictionary(g => g.Key, g => g.Count());
            Assert.All(applied, pair => Assert.True(pair.Value == 1, $"{action} applied {pair.Value} times to {pair.Key}"));
            Assert.All(done, id => Assert.True(applied.ContainsKey(id), $"{action} reported done for {id} but never applied"));
            // An answer lost after the change was applied is resolved by reading, and reported as done, not as an error.
            Assert.All(failed, e => Assert.False(applied.ContainsKey(e.TargetObject?.ToString() ?? "?"), $"{action} on {e.TargetObject} was applied but reported as {e.FullyQualifiedErrorId}"));
            report.Add($"{cmdlet}: {done.Count} done, {failed.Count} reported ({string.Join(", ", failed.Select(f => f.FullyQualifiedErrorId.Split(',')[0]).Distinct())})");
        }

        var journal = emulator.Journal.Snapshot();
        report.Add($"{journal.Count} requests: {journal.Count(e => e.Fault == "Transient")} transient, {journal.Count(e => e.Fault == "ResetBeforeApply")} reset before, " +
                   $"{journal.Count(e => e.Fault == "ResetAfterApply")} reset after applying; 0 lost, 0 doubled");
        TestContext.Current.SendDiagnosticMessage(string.Join("\n", report));
        File.WriteAllLines(Path.Combine(Path.GetDirectoryName(TestPaths.PesterSummary)!, "chaos-summary.txt"), report);
        Assert.True(journal.Count(e => e.Fault is "ResetAfterApply") > 0, "no answer was lost after applying: the run proved nothing");
    }
}
