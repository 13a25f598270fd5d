using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SfBackup.Tests.Infrastructure;

namespace SfBackup.Tests;

/// <summary>
/// One check per rule of src/SfBackup.Emulator/FIDELITY.md: the request a client sends, the status, error code and
/// body shape the real Backup Restore Service gives (as its source in microsoft/service-fabric has it). A meta-test
/// holds the document and these checks to the same list of rule ids.
/// </summary>
public sealed partial class FidelityTests : IAsyncLifetime
{
    private const string Seed = KnownIds.Seed;
    private static readonly string[] Stock = KnownIds.Stock;
    private const string Share = """{"StorageKind":"FileShare","Path":"\\\\nas\\backups"}""";
    private const string Blob = """{"StorageKind":"AzureBlobStore","ConnectionString":"DefaultEndpointsProtocol=https;AccountName=emulator;AccountKey=emulator-account-key","ContainerName":"BackupContainer"}""";
    private readonly EmulatorFixture _emulator = EmulatorFixture.With();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => _emulator.InitializeAsync();

    public ValueTask DisposeAsync() => _emulator.DisposeAsync();

    private Task<RawAnswer> Send(string method, string target, string? body = null) => _emulator.SendRawAsync(method, target, body, Ct);

    private Task<RawAnswer> Post(string target, string? body = null) => Send("POST", target, body);
    private Task<RawAnswer> Get(string target) => Send("GET", target);

    private static void Is(RawAnswer answer, int status, string? code = null)
    {
        Assert.True(answer.Status == status, $"expected {status} {code}, got {answer.Status}: {answer.Text}");
        if (code is not null) Assert.Equal(code, answer.Code);
        if (status >= 400)
        {
            // FabricErrorError: {"Error":{"Code","Message"}}
            Assert.NotNull(answer.Json?["Error"]?["Message"]);
        }
    }

    private static string Policy(string name, string schedule = """{"ScheduleKind":"FrequencyBased","Interval":"PT1H"}""", string storage = Share,
        string? retention = null, int maxIncremental = 2) =>
        $$"""{"Name":"{{name}}","AutoRestoreOnDataLoss":false,"MaxIncrementalBackups":{{maxIncremental}},"Schedule":{{schedule}},"Storage":{{storage}}{{(retention is null ? "" : ",\"RetentionPolicy\":" + retention)}}}""";

    private const string Create = "/BackupRestore/BackupPolicies/$/Create?api-version=6.4";

    private static string PolicyPath(string name, string action = "") =>
        $"/BackupRestore/BackupPolicies/{Uri.EscapeDataString(name)}{(action.Length == 0 ? "" : "/$/" + action)}?api-version=6.4";

    private static string Partition(string id, string action, string apiVersion = "6.4") => $"/Partitions/{id}/$/{action}?api-version={apiVersion}";

    private async Task EnablePartition(string id, string policy) =>
        Is(await Post(Partition(id, "EnableBackup"), $$"""{"BackupPolicyName":"{{policy}}"}"""), 202);

    /// <summary>Backs a partition up now and moves the clock past the run, so that it is recorded.</summary>
    private async Task BackUp(string id, string? storage = null)
    {
        Is(await Post(Partition(id, "Backup"), storage is null ? "{}" : $$"""{"BackupStorage":{{storage}}}"""), 202);
        _emulator.Clock.Advance(TimeSpan.FromSeconds(10));
        Is(await Get(Partition(id, "GetBackupProgress")), 200);
    }

    /// <summary>Every backup of a partition, oldest first, in one unpaged answer.</summary>
    private async Task<JsonArray> Backups(string id)
    {
        var before = _emulator.Options.PageSize;
        _emulator.Options.PageSize = 0;
        try
        {
            return (JsonArray)(await Get(Partition(id, "GetBackups")))!.Json!["Items"]!;
        }
        finally
        {
            _emulator.Options.PageSize = before;
        }
    }

    public static TheoryData<string> RuleIds() => new(Rules.Keys.Order());

    [Theory]
    [MemberData(nameof(RuleIds))]
    public async Task Rule_holds(string id)
    {
        _emulator.Reset();
        await Rules[id](this);
    }

    [Fact]
    public void Every_rule_of_FIDELITY_md_has_its_check_here_and_every_check_a_rule_there()
    {
        var document = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "src", "SfBackup.Emulator", "FIDELITY.md"));
        var documented = RuleRow().Matches(document).Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(documented.Count, documented.Distinct().Count());
        Assert.True(documented.Count >= 60, $"{documented.Count} rules");
        Assert.Equal(documented.Order(), Rules.Keys.Order());
        // Every rule names the source it comes from.
        foreach (Match row in RuleRow().Matches(document)) Assert.Matches(@"\.cs|azure-rest-api-specs|service-fabric-client-dotnet", row.Value);
    }

    [Fact]
    public async Task SfBackups_client_pages_real_tokens_escaped_and_reads_every_backup_once()
    {
        _emulator.Reset();
        var client = _emulator.Client();
        var expected = await AllBackupIds(Service + "GetBackups?api-version=6.4");

        var read = await client.GetBackups(Client.Operations.SfEntity.Service("fabric:/CalcApp/CalcService"), maxResults: 1).ReadAllAsync(Ct);

        Assert.Equal(expected.Order(), read.Select(b => b.BackupId.ToString()).Order());
        var paged = _emulator.Journal.Snapshot().Where(e => e.RawTarget.Contains("ContinuationToken=", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(paged);
        Assert.All(paged, e => Assert.Matches(@"ContinuationToken=[0-9a-f-]{36}%2BCalcApp%2BCalcService%2B[0-9a-f-]{36}%2B\d{4}-\d\d-\d\d%20", e.RawTarget));
    }

    [Theory]
    [InlineData("FABRIC_E_BACKUP_POLICY_ALREADY_EXISTS")]
    [InlineData("FABRIC_E_BACKUP_POLICY_ALREADY_EXISTING")]
    public void Both_spellings_of_policy_already_exists_are_a_busy_resource(string code) =>
        Assert.Equal(Client.Transport.SfErrorKind.Busy, Client.Transport.FabricErrorClassifier.Classify(409, code));

    [GeneratedRegex(@"^\| (F\d\d) \|.*$", RegexOptions.Multiline)]
    private static partial Regex RuleRow();
}
