using SfBackup.Client.Models;
using SfBackup.Client.Operations;
using SfBackup.Tests.Infrastructure;

namespace SfBackup.Tests;

/// <summary>What tab completion offers, from the emulator and from servers that fail.</summary>
public sealed class NameSuggestionTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorFixture _emulator;

    public NameSuggestionTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("", new[] { "DailyAzureBackupPolicy", "HourlyFileShareBackupPolicy" })]
    [InlineData("daily", new[] { "DailyAzureBackupPolicy" })]
    [InlineData("'Hour", new[] { "HourlyFileShareBackupPolicy" })]
    [InlineData("x", new string[0])]
    public async Task Policy_names_that_start_with_what_was_typed(string typed, string[] expected) =>
        Assert.Equal(expected, await SfNameSuggestions.PolicyNamesAsync(_emulator.Client(), typed, Ct));

    [Theory]
    [InlineData("fabric:/Calc")]
    [InlineData("Calc")]
    [InlineData("/calc")]
    public async Task Application_names_match_with_or_without_fabric(string typed) =>
        Assert.Equal(["fabric:/CalcApp"], await SfNameSuggestions.ApplicationNamesAsync(_emulator.Client(), typed, Ct));

    [Theory]
    [InlineData("", new[] { "fabric:/CalcApp/CalcGateway", "fabric:/CalcApp/CalcService", "fabric:/Inventory/Stock" })]
    [InlineData("fabric:/CalcApp/CalcS", new[] { "fabric:/CalcApp/CalcService" })]
    [InlineData("Inv", new[] { "fabric:/Inventory/Stock" })]
    [InlineData("'calcapp/calcg", new[] { "fabric:/CalcApp/CalcGateway" })]
    [InlineData("fabric:/Nope/", new string[0])]
    public async Task Service_names_across_applications_or_within_the_one_typed(string typed, string[] expected) =>
        Assert.Equal(expected, await SfNameSuggestions.ServiceNamesAsync(_emulator.Client(), typed, Ct));

    [Fact]
    public async Task Service_names_list_only_the_applications_the_typed_name_can_be_in()
    {
        await SfNameSuggestions.ServiceNamesAsync(_emulator.Client(), "fabric:/Inventory/S", Ct);

        var services = _emulator.Journal.Snapshot().Where(e => e.RawTarget.Contains("/$/GetServices")).ToList();
        Assert.Single(services);
        Assert.Contains("/Applications/Inventory/$/GetServices", services[0].RawTarget);
    }

    [Fact]
    public async Task Suggestions_stop_at_the_page_bound()
    {
        var client = _emulator.Client();
        var storage = new FileShareBackupStorage(@"\\s\b");
        for (var i = 0; i < 11; i++)
            await client.CreateBackupPolicyAsync(new BackupPolicy { Name = $"team{i:00}", Schedule = new FrequencyBackupSchedule(TimeSpan.FromHours(1)), Storage = storage }, cancellationToken: Ct);
        _emulator.Journal.Clear();

        var names = await SfNameSuggestions.PolicyNamesAsync(client, "team", Ct);

        // 13 policies in name order, 2 a page: five pages hold the two defaults and team00..team07; team08..team10
        // are past the bound and no sixth page is asked for.
        Assert.Equal(SfNameSuggestions.MaxPages, _emulator.Journal.Snapshot().Count);
        Assert.Equal(["team00", "team01", "team02", "team03", "team04", "team05", "team06", "team07"], names);
    }

    [Fact]
    public async Task A_failing_server_gives_no_suggestions_rather_than_an_error()
    {
        await using var server = await ScriptedServer.AnswerAsync(503, "text/plain", "busy");

        var names = await SfNameSuggestions.PolicyNamesAsync(new SfBackupClient(server.Connect(o => o.MaxRetries = 0)), "", Ct);

        Assert.Empty(names);
    }
}
