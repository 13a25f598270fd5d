using SfBackup.Client.Models;
using SfBackup.Client.Operations;
using SfBackup.Client.Transport;
using SfBackup.Tests.Infrastructure;

namespace SfBackup.Tests;

/// <summary>Backup configuration as code below the cmdlets: the file, the comparison, the plan, and a sync under faults.</summary>
public sealed class ConfigurationTests : IAsyncLifetime
{
    private const string SharePassword = "Sh4re-Pa55-xunit";
    private readonly EmulatorFixture _production = EmulatorFixture.With();
    private readonly EmulatorFixture _standby = EmulatorFixture.With("--Emulator:NewCluster=true");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _production.InitializeAsync();
        await _standby.InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _production.DisposeAsync();
        await _standby.DisposeAsync();
    }

    private static BackupPolicy SharePolicy() => new()
    {
        Name = "NightlyShare",
        Schedule = new TimeBackupSchedule(BackupScheduleFrequency.Daily, [TimeSpan.FromHours(2)]),
        Storage = new FileShareBackupStorage(@"\\nas\sf-backups") { PrimaryUserName = "ops", PrimaryPassword = SecretText.FromPlain(SharePassword) },
        RetentionPolicy = new BasicRetentionPolicy(TimeSpan.FromDays(7)),
    };

    private static System.Security.SecureString? Vault(string name) => name switch
    {
        "SfBackup/NightlyShare/PrimaryPassword" => SecretText.FromPlain(SharePassword),
        "SfBackup/DailyAzureBackupPolicy/ConnectionString" => SecretText.FromPlain("DefaultEndpointsProtocol=https;AccountName=emulator;AccountKey=emulator-account-key"),
        _ => null,
    };

    private static Task<SfBackupConfiguration> Read(SfBackupClient client) => SfBackupConfiguration.ReadAsync(client, SfBackupConfiguration.DefaultSecretName, Ct);

    [Fact]
    public async Task The_file_round_trips_sorted_with_every_secret_a_reference_and_partitions_by_key()
    {
        var client = _production.Client();
        await client.CreateBackupPolicyAsync(SharePolicy(), cancellationToken: Ct);
        await client.EnablePartitionBackupAsync(Guid.Parse(KnownIds.Stock[1]), "NightlyShare", Ct);

        var text = (await Read(client)).ToJson();

        Assert.DoesNotContain(SharePassword, text);
        Assert.DoesNotContain("emulator-account-key", text);
        Assert.DoesNotContain("****", text);
        Assert.Contains("\"SecretName\": \"SfBackup/NightlyShare/PrimaryPassword\"", text);
        Assert.Contains("\"Partition\": \"Int64Range|100|199\"", text);
        Assert.DoesNotContain(KnownIds.Stock[1], text);
        var again = SfBackupConfiguration.FromJson(text);
        Assert.Equal(text, again.ToJson());
        Assert.Equal(["DailyAzureBackupPolicy", "HourlyFileShareBackupPolicy", "NightlyShare"], again.PolicyNames);
        Assert.Empty(SfBackupConfiguration.Compare(again, await Read(client)));
    }

    [Theory]
    [InlineData("[]", "not a JSON object")]
    [InlineData("{\"Policies\":[]}", "no \"SfBackupConfiguration\" version")]
    [InlineData("{\"SfBackupConfiguration\":2}", "version 2")]
    [InlineData("{\"SfBackupConfiguration\":1,\"Policies\":{}}", "\"Policies\" is not an array")]
    [InlineData("{\"SfBackupConfiguration\":1,\"Policies\":[{\"Name\":\"p\",\"Storage\":{\"StorageKind\":\"AzureBlobStore\",\"ContainerName\":\"c\",\"ConnectionString\":\"AccountKey=x\"}}]}", "never the secret itself")]
    [InlineData("{\"SfBackupConfiguration\":1,\"Mappings\":[{\"Kind\":\"Partition\",\"Name\":\"fabric:/A/B\",\"Policy\":\"p\"}]}", "needs its key")]
    [InlineData("{\"SfBackupConfiguration\":1,\"Mappings\":[{\"Kind\":\"Cluster\",\"Name\":\"x\",\"Policy\":\"p\"}]}", "Kind 'Cluster'")]
    [InlineData("{\"SfBackupConfiguration\":1,\"Suspensions\":[{\"Kind\":\"Service\",\"Name\":\"fabric:/A/..\"}]}", "a suspension")]
    [InlineData("{\"SfBackupConfiguration\":1,\"Mappings\":[{\"Kind\":\"Application\",\"Name\":\"fabric:/A\",\"Policy\":\"p\"},{\"Kind\":\"Application\",\"Name\":\"fabric:/A\",\"Policy\":\"q\"}]}", "mapped twice")]
    public void A_file_SfBackup_cannot_apply_is_refused_with_the_reason(string json, string reason)
    {
        var refused = Assert.Throws<SfRefusedInputException>(() => SfBackupConfiguration.FromJson(json));
        Assert.Equal("SfInvalidConfigurationFile", refused.ErrorId);
        Assert.Contains(reason, refused.Message);
    }

    [Fact]
    public async Task The_plan_runs_policies_first_then_mappings_then_suspensions_and_prunes_last_in_reverse()
    {
        var file = await Read(_production.Client());
        var standbyClient = _standby.Client();
        await standbyClient.CreateBackupPolicyAsync(SharePolicy(), cancellationToken: Ct);
        await standbyClient.EnableBackupAsync(SfEntity.Service("fabric:/Inventory/Stock"), "NightlyShare", Ct);
        await standbyClient.SuspendBackupAsync(SfEntity.Service("fabric:/Inventory/Stock"), Ct);
        await standbyClient.ResumeBackupAsync(SfEntity.Service("fabric:/CalcApp/CalcService"), Ct);
        await standbyClient.DisableBackupAsync(SfEntity.Application("fabric:/CalcApp"), false, Ct);

        var differences = SfBackupConfiguration.Compare(file, await Read(standbyClient));
        Assert.Contains(differences, d => d.Section == SfConfigSection.Policy && d.Change == SfConfigChange.Extra && d.Target == "NightlyShare");
        Assert.Contains(differences, d => d.Section == SfConfigSection.Mapping && d.Change == SfConfigChange.Missing && d.Target == "Application fabric:/CalcApp");

        var plain = SfBackupConfiguration.Plan(file, differences, prune: false, reapply: false);
        Assert.Equal([SfConfigAction.EnableBackup, SfConfigAction.SuspendBackup], plain.Select(s => s.Action));
        var pruned = SfBackupConfiguration.Plan(file, differences, prune: true, reapply: false);
        Assert.Equal([SfConfigAction.EnableBackup, SfConfigAction.SuspendBackup, SfConfigAction.ResumeBackup, SfConfigAction.DisableBackup, SfConfigAction.DeletePolicy],
            pruned.Select(s => s.Action));

        var keys = new SfPartitionKeys(standbyClient);
        foreach (var step in pruned) await SfBackupConfiguration.RunStepAsync(standbyClient, file, step, Vault, keys, Ct);
        Assert.Empty(SfBackupConfiguration.Compare(file, await Read(standbyClient)));
    }

    [Fact]
    public async Task A_sync_under_transient_faults_and_lost_answers_converges_and_creates_each_policy_once()
    {
        var production = _production.Client();
        await production.CreateBackupPolicyAsync(SharePolicy(), cancellationToken: Ct);
        await production.EnablePartitionBackupAsync(Guid.Parse(KnownIds.Stock[1]), "NightlyShare", Ct);
        var file = await Read(production);
        var standby = _standby.Client();
        await standby.DeleteBackupPolicyAsync("HourlyFileShareBackupPolicy", Ct);
        _standby.Journal.Clear();
        await _standby.SendRawAsync("POST", "/$Emulator/Faults", """{"Transient":0.1,"ResetBeforeApply":0.05,"ResetAfterApply":0.15,"Seed":11}""", Ct);

        var runs = 0;
        var converged = false;
        var seen = new List<string>();
        while (!converged && runs++ < 20)
        {
            try
            {
                var differences = SfBackupConfiguration.Compare(file, await Read(standby));
                converged = differences.Count == 0;
                var keys = new SfPartitionKeys(standby);
                foreach (var step in SfBackupConfiguration.Plan(file, differences, prune: true, reapply: false))
                {
                    try
                    {
                        await SfBackupConfiguration.RunStepAsync(standby, file, step, Vault, keys, Ct);
                    }
                    catch (SfClientException ex)
                    {
                        // this run leaves it; the next run's comparison finds it again
                        seen.Add(step + ": " + ex.Message);
                    }
                }
            }
            catch (SfClientException ex)
            {
                // a read that the faults broke: the next run reads again
                seen.Add("read: " + ex.Message);
            }
        }
        await _standby.SendRawAsync("POST", "/$Emulator/Faults", "{}", Ct);

        Assert.True(converged, $"not converged after {runs} runs:\n" + string.Join("\n", seen));
        Assert.Empty(SfBackupConfiguration.Compare(file, await Read(standby)));
        var journal = _standby.Journal.Snapshot();
        Assert.Contains(journal, e => e.Fault is not null);
        var creates = journal.Where(e => e.RawTarget.StartsWith("/BackupRestore/BackupPolicies/$/Create", StringComparison.Ordinal)).ToList();
        foreach (var name in new[] { "HourlyFileShareBackupPolicy", "NightlyShare" })
            Assert.Single(creates, e => e.Applied && e.Body.Contains($"\"Name\":\"{name}\"", StringComparison.Ordinal));
        Assert.DoesNotContain(creates, e => e.Status == 409);
        Assert.DoesNotContain(journal, e => e.Body.Contains("****", StringComparison.Ordinal));
    }
}

/// <summary>The catalog file: what a cluster listed comes back the same from the file, and a file that is not a catalog is refused.</summary>
public sealed class CatalogFileTests : IAsyncLifetime
{
    private readonly EmulatorFixture _emulator = EmulatorFixture.With();

    public ValueTask InitializeAsync() => _emulator.InitializeAsync();

    public ValueTask DisposeAsync() => _emulator.DisposeAsync();

    [Fact]
    public async Task A_catalog_read_back_from_its_file_is_the_listing_backup_for_backup()
    {
        var listed = await SfBackupCatalog.FromClusterAsync(_emulator.Client(), null, TestContext.Current.CancellationToken);
        Assert.NotEmpty(listed);
        var text = SfBackupCatalog.ToJson(listed, ["http://127.0.0.1"], new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc));
        var read = SfBackupCatalog.FromJson(text);

        Assert.Equal(SfBackupCatalog.ToJson(read, ["http://127.0.0.1"], new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc)), text);
        Assert.Equal(listed.Select(b => (b.BackupId, b.PartitionId, b.BackupType, b.CreationTimeUtc, b.LsnOfLastBackupRecord, b.EpochOfLastBackupRecord?.ToString(), b.BackupLocation)),
            read.Select(b => (b.BackupId, b.PartitionId, b.BackupType, b.CreationTimeUtc, b.LsnOfLastBackupRecord, b.EpochOfLastBackupRecord?.ToString(), b.BackupLocation)));
        var reports = SfBackupCatalog.Chains(read);
        Assert.All(reports, r => Assert.Equal("Complete", r.State));
        Assert.Equal(read.Count, reports.Sum(r => r.Backups));
    }

    [Theory]
    [InlineData("{}", "no \"SfBackupCatalog\" version")]
    [InlineData("{\"SfBackupCatalog\":2,\"Items\":[]}", "version 2")]
    [InlineData("nope", "not valid JSON")]
    public void A_file_that_is_not_a_catalog_is_refused(string json, string reason)
    {
        var refused = Assert.Throws<SfRefusedInputException>(() => SfBackupCatalog.FromJson(json));
        Assert.Equal("SfInvalidCatalogFile", refused.ErrorId);
        Assert.Contains(reason, refused.Message);
    }
}

/// <summary>Sync-SfBackupConfiguration -Prune in a real engine: every removal is asked first, unless -Force.</summary>
[Collection(EngineCollection.Name)]
public sealed class SyncPromptTests : IAsyncLifetime
{
    private readonly EmulatorFixture _emulator = EmulatorFixture.With();
    private readonly RecordingHost _host = new("No");
    private System.Management.Automation.Runspaces.Runspace _runspace = null!;
    private readonly string _file = Path.Combine(Path.GetTempPath(), "sfbackup-prune-" + Guid.NewGuid().ToString("N") + ".json");

    public async ValueTask InitializeAsync()
    {
        await _emulator.InitializeAsync();
        _runspace = ModuleEngine.Open(_host);
        ModuleEngine.Run(_runspace, "param($Url, $File) Connect-SfCluster -Endpoint $Url | Out-Null; Export-SfBackupConfiguration -Path $File",
            new Dictionary<string, object> { ["Url"] = _emulator.BaseUri, ["File"] = _file }).ThrowIfErrors();
    }

    public async ValueTask DisposeAsync()
    {
        _runspace.Dispose();
        await _emulator.DisposeAsync();
        File.Delete(_file);
    }

    private int Disables => _emulator.Journal.Snapshot().Count(e => e.RawTarget.Contains("/$/DisableBackup", StringComparison.Ordinal));

    [Fact]
    public void A_prune_asks_before_each_removal_and_sends_none_that_was_refused_then_Force_sends_it_unasked()
    {
        ModuleEngine.Run(_runspace, "Enable-SfServiceBackup fabric:/Inventory/Stock -BackupPolicyName HourlyFileShareBackupPolicy").ThrowIfErrors();

        var refused = ModuleEngine.Run(_runspace, "param($File) Sync-SfBackupConfiguration -Path $File -Prune", new Dictionary<string, object> { ["File"] = _file }).ThrowIfErrors();
        var prompt = Assert.Single(_host.Prompts);
        Assert.Contains("Disable backup", prompt);
        Assert.Contains("fabric:/Inventory/Stock", prompt);
        Assert.Empty(refused.Output);
        Assert.Equal(0, Disables);

        var forced = ModuleEngine.Run(_runspace, "param($File) Sync-SfBackupConfiguration -Path $File -Prune -Force", new Dictionary<string, object> { ["File"] = _file }).ThrowIfErrors();
        Assert.Single(_host.Prompts);
        Assert.Equal("Applied", Assert.Single(forced.Output.Select(o => o.BaseObject).OfType<SfConfigStep>()).Result);
        Assert.Equal(1, Disables);
    }
}
