using System.Management.Automation;
using System.Management.Automation.Runspaces;
using SfBackup.Tests.Infrastructure;

namespace SfBackup.Tests;

/// <summary>
/// The default connection belongs to the runspace (issue 11): runspaces side by side, each connected to its own
/// emulator, never send a request to the other's, whichever connected last.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class RunspaceDefaultTests : IAsyncLifetime
{
    private static readonly string[] StockPartitions = KnownIds.Stock;
    private const string SeedPartition = KnownIds.Seed;
    private readonly EmulatorFixture _a = EmulatorFixture.With();
    private readonly EmulatorFixture _b = EmulatorFixture.With();

    public async ValueTask InitializeAsync()
    {
        await _a.InitializeAsync();
        await _b.InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    [Fact]
    public void Parallel_runspaces_send_every_request_to_their_own_cluster_including_under_ThrottleLimit()
    {
        using var host = ModuleEngine.Open();
        // Both connect, then wait for each other, so that with one shared default both would now hold the second.
        var outcome = ModuleEngine.Run(host, """
            param($Clusters, $Manifest, $Partitions)
            $barrier = [System.Threading.Barrier]::new($Clusters.Count)
            $Clusters | ForEach-Object -ThrottleLimit $Clusters.Count -Parallel {
                $cluster = $_
                Import-Module $using:Manifest
                Connect-SfCluster -Endpoint $cluster.Url | Out-Null
                $null = ($using:barrier).SignalAndWait([timespan]::FromSeconds(30))
                foreach ($round in 1..3) {
                    $using:Partitions | Enable-SfPartitionBackup -BackupPolicyName $cluster.Policy -ThrottleLimit 4 -PassThru |
                        ForEach-Object { [pscustomobject]@{ Cluster = $cluster.Name; Partition = $_.PartitionId } }
                    Get-SfBackupPolicy -Name $cluster.Policy | ForEach-Object { [pscustomobject]@{ Cluster = $cluster.Name; Policy = $_.Name } }
                }
            }
            """, new Dictionary<string, object>
        {
            ["Clusters"] = new[]
            {
                new PSObject(new { Name = "A", Url = _a.BaseUri.ToString(), Policy = "DailyAzureBackupPolicy" }),
                new PSObject(new { Name = "B", Url = _b.BaseUri.ToString(), Policy = "HourlyFileShareBackupPolicy" }),
            },
            ["Manifest"] = ModuleEngine.Manifest,
            ["Partitions"] = StockPartitions,
        }).ThrowIfErrors();

        Assert.Equal(2 * 3 * 5, outcome.Output.Count);
        AssertOnly(_a, "DailyAzureBackupPolicy", "HourlyFileShareBackupPolicy");
        AssertOnly(_b, "HourlyFileShareBackupPolicy", "DailyAzureBackupPolicy");
    }

    /// <summary>Every request this emulator saw names its own cluster's policy, never the other's: 3 × (4 enables + 1 read).</summary>
    private static void AssertOnly(EmulatorFixture emulator, string own, string other)
    {
        var journal = Sent(emulator);
        Assert.Equal(15, journal.Count);
        // Connect-SfCluster's gateway check went to its own cluster, once.
        Assert.Single(emulator.Journal.Snapshot(), e => e.RawTarget.Contains(GatewayCheck));
        Assert.Equal(12, journal.Count(e => e.Method == "POST" && e.RawTarget.Contains("/$/EnableBackup") && e.Body.Contains(own)));
        Assert.Equal(3, journal.Count(e => e.Method == "GET" && e.RawTarget.Contains("/BackupPolicies/" + own)));
        Assert.DoesNotContain(journal, e => e.Body.Contains(other) || e.RawTarget.Contains(other));
    }

    [Fact]
    public async Task Runspaces_on_their_own_threads_keep_their_own_default()
    {
        using var first = ModuleEngine.Open();
        using var second = ModuleEngine.Open();
        using var bothConnected = new Barrier(2);
        var runs = new[] { (first, _a), (second, _b) }.Select(pair => Task.Run(() =>
        {
            ModuleEngine.Run(pair.Item1, "param($Url) Connect-SfCluster -Endpoint $Url | Out-Null", new Dictionary<string, object> { ["Url"] = pair.Item2.BaseUri }).ThrowIfErrors();
            bothConnected.SignalAndWait(TimeSpan.FromSeconds(30));
            return ModuleEngine.Run(pair.Item1, "param($P) 1..5 | ForEach-Object { Get-SfPartitionRestoreProgress -PartitionId $P } | Out-Null; (Get-SfClusterConnection).Endpoints[0].Port",
                new Dictionary<string, object> { ["P"] = SeedPartition }).ThrowIfErrors();
        })).ToArray();
        var outcomes = await Task.WhenAll(runs).WaitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(_a.BaseUri.Port, (int)outcomes[0].Output.Single().BaseObject);
        Assert.Equal(_b.BaseUri.Port, (int)outcomes[1].Output.Single().BaseObject);
        Assert.Equal(5, Sent(_a).Count);
        Assert.Equal(5, Sent(_b).Count);
    }

    [Fact]
    public void A_runspace_that_never_connected_gets_SfNoConnection_while_another_is_connected()
    {
        using var connected = ModuleEngine.Open();
        using var other = ModuleEngine.Open();
        ModuleEngine.Run(connected, "param($Url) Connect-SfCluster -Endpoint $Url | Out-Null", new Dictionary<string, object> { ["Url"] = _a.BaseUri }).ThrowIfErrors();

        var outcome = ModuleEngine.Run(other, "param($P) Resume-SfPartitionBackup -PartitionId $P; Get-SfClusterConnection", new Dictionary<string, object> { ["P"] = SeedPartition });

        Assert.Equal(["SfNoConnection,SfBackup.PowerShell.Cmdlets.ResumeSfPartitionBackupCommand", "SfNoConnection,SfBackup.PowerShell.Cmdlets.GetSfClusterConnectionCommand"],
            outcome.ErrorIds);
        Assert.Empty(outcome.Output);
        Assert.Empty(Sent(_a));
    }

    [Fact]
    public void Connect_inside_a_function_or_a_child_scope_sets_the_runspace_default_and_only_that()
    {
        using var runspace = ModuleEngine.Open();
        using var other = ModuleEngine.Open();
        var outcome = ModuleEngine.Run(runspace, """
            param($A, $B)
            function Connect-Inside($Url) { Connect-SfCluster -Endpoint $Url | Out-Null }
            Connect-Inside $A
            (Get-SfClusterConnection).Endpoints[0].Port
            & { Connect-SfCluster -Endpoint $B | Out-Null }
            (Get-SfClusterConnection).Endpoints[0].Port
            """, new Dictionary<string, object> { ["A"] = _a.BaseUri, ["B"] = _b.BaseUri }).ThrowIfErrors();

        Assert.Equal([_a.BaseUri.Port, _b.BaseUri.Port], outcome.Output.Select(o => (int)o.BaseObject));
        Assert.Equal(["SfNoConnection,SfBackup.PowerShell.Cmdlets.GetSfClusterConnectionCommand"], ModuleEngine.Run(other, "Get-SfClusterConnection").ErrorIds);
    }

    [Fact]
    public void Disconnect_closes_only_the_calling_runspace_default_and_a_Session_works_in_any_runspace()
    {
        using var first = ModuleEngine.Open();
        using var second = ModuleEngine.Open();
        var a = ModuleEngine.Run(first, "param($Url) Connect-SfCluster -Endpoint $Url", new Dictionary<string, object> { ["Url"] = _a.BaseUri }).ThrowIfErrors().Output.Single();
        ModuleEngine.Run(second, "param($Url) Connect-SfCluster -Endpoint $Url | Out-Null; Disconnect-SfCluster", new Dictionary<string, object> { ["Url"] = _b.BaseUri }).ThrowIfErrors();

        Assert.False((bool)a.Properties["IsDisposed"].Value);
        Assert.Single(ModuleEngine.Run(first, "Get-SfClusterConnection").ThrowIfErrors().Output);
        // The first runspace's connection, passed explicitly, serves the second runspace (which has no default).
        ModuleEngine.Run(second, "param($S, $P) Get-SfPartitionRestoreProgress -PartitionId $P -Session $S | Out-Null",
            new Dictionary<string, object> { ["S"] = a, ["P"] = SeedPartition }).ThrowIfErrors();
        Assert.Single(Sent(_a));
    }

    [Fact]
    public void A_reused_parallel_runspace_does_not_carry_the_default_into_the_next_iteration()
    {
        using var host = ModuleEngine.Open();
        // -ThrottleLimit 1: every iteration runs in the same reused runspace, whose state PowerShell resets in between.
        var outcome = ModuleEngine.Run(host, """
            param($Manifest, $A, $B, $P)
            'a', 'none', 'b' | ForEach-Object -ThrottleLimit 1 -Parallel {
                $name = $_
                Import-Module $using:Manifest
                if ($name -eq 'a') { Connect-SfCluster -Endpoint $using:A | Out-Null }
                if ($name -eq 'b') { Connect-SfCluster -Endpoint $using:B | Out-Null }
                try { Get-SfPartitionRestoreProgress -PartitionId $using:P -ErrorAction Stop | Out-Null; "$name sent" }
                catch { "$name $($_.FullyQualifiedErrorId)" }
            }
            """, new Dictionary<string, object> { ["Manifest"] = ModuleEngine.Manifest, ["A"] = _a.BaseUri, ["B"] = _b.BaseUri, ["P"] = SeedPartition }).ThrowIfErrors();

        Assert.Equal(["a sent", "none SfNoConnection,SfBackup.PowerShell.Cmdlets.GetSfPartitionRestoreProgressCommand", "b sent"],
            outcome.Output.Select(o => o.ToString()));
        Assert.Single(Sent(_a));
        Assert.Single(Sent(_b));
    }

    [Fact]
    public void ResetRunspaceState_closes_the_default()
    {
        using var runspace = ModuleEngine.Open();
        var connection = ModuleEngine.Run(runspace, "param($Url) Connect-SfCluster -Endpoint $Url", new Dictionary<string, object> { ["Url"] = _a.BaseUri }).ThrowIfErrors().Output.Single();
        runspace.ResetRunspaceState();

        Assert.Equal(["SfNoConnection,SfBackup.PowerShell.Cmdlets.GetSfClusterConnectionCommand"], ModuleEngine.Run(runspace, "Get-SfClusterConnection").ErrorIds);
        Assert.True((bool)connection.Properties["IsDisposed"].Value);
    }

    [Fact]
    public void Closing_a_runspace_releases_its_default_with_no_growth_over_1000_runspaces()
    {
        using (ModuleEngine.OpenBare()) { } // loads the module into the process
        var before = DefaultsHeld();
        var connections = new List<PSObject>();
        for (var i = 0; i < 1000; i++)
        {
            using (var runspace = ModuleEngine.OpenBare())
            using (var ps = PowerShell.Create(runspace))
            {
                connections.Add(ps.AddCommand("Connect-SfCluster").AddParameter("Endpoint", _a.BaseUri).Invoke().Single());
                Assert.Equal(before + 1, DefaultsHeld());
            }
            Assert.Equal(before, DefaultsHeld());
        }
        Assert.All(connections, c => Assert.True((bool)c.Properties["IsDisposed"].Value));

        // A -NoDefault connection belongs to no runspace: closing the runspace that made it leaves it open.
        PSObject kept;
        using (var runspace = ModuleEngine.OpenBare())
        using (var ps = PowerShell.Create(runspace))
            kept = ps.AddCommand("Connect-SfCluster").AddParameter("Endpoint", _a.BaseUri).AddParameter("NoDefault").Invoke().Single();
        Assert.False((bool)kept.Properties["IsDisposed"].Value);
    }

    private const string GatewayCheck = "/$/GetClusterVersion";

    /// <summary>What an emulator was sent besides Connect-SfCluster's gateway checks.</summary>
    private static List<SfBackup.Emulator.JournalEntry> Sent(EmulatorFixture emulator) =>
        emulator.Journal.Snapshot().Where(e => !e.RawTarget.Contains(GatewayCheck)).ToList();

    /// <summary>How many runspaces in this process hold a default, as the module counts them.</summary>
    private static int DefaultsHeld() =>
        (int)AppDomain.CurrentDomain.GetAssemblies().Single(a => a.GetName().Name == "SfBackup.PowerShell")
            .GetType("SfBackup.PowerShell.SfModuleState", throwOnError: true)!
            .GetProperty("RunspacesWithDefault")!.GetValue(null)!;
}

/// <summary>In-process engine tests share the module's per-process state; they run one class at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EngineCollection
{
    public const string Name = "In-process engine";
}
