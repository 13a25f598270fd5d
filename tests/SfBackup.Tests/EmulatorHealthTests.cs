using System.Net;
using System.Text;
using System.Text.Json;
using SfBackup.Tests.Infrastructure;

namespace SfBackup.Tests;

/// <summary>The emulator keeps partition health reports as a health store does: by source and property, until they expire.</summary>
public sealed class EmulatorHealthTests : IAsyncLifetime
{
    private const string Path = "/Partitions/" + KnownIds.Seed + "/$/";
    private readonly EmulatorFixture _emulator = EmulatorFixture.With();
    private HttpClient _http = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _emulator.InitializeAsync();
        _http = _emulator.Raw();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _emulator.DisposeAsync();
    }

    private async Task<HttpResponseMessage> Report(string body) =>
        await _http.PostAsync(Path + "ReportHealth?api-version=6.0", new StringContent(body, Encoding.UTF8, "application/json"), Ct);

    private async Task<JsonElement> Health() =>
        JsonDocument.Parse(await _http.GetStringAsync(Path + "GetHealth?api-version=6.0", Ct)).RootElement;

    [Fact]
    public async Task A_report_shows_in_the_partition_health_and_the_worst_state_wins()
    {
        using (var ok = await Report("""{"SourceId":"SfBackup","Property":"BackupRpo","HealthState":"Warning","TimeToLiveInMilliSeconds":"PT1H","Description":"late"}""")) Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using (var other = await Report("""{"SourceId":"Other","Property":"Disk","HealthState":"Ok"}""")) Assert.Equal(HttpStatusCode.OK, other.StatusCode);

        var health = await Health();

        Assert.Equal("Warning", health.GetProperty("AggregatedHealthState").GetString());
        var report = health.GetProperty("HealthEvents").EnumerateArray().Single(e => e.GetProperty("SourceId").GetString() == "SfBackup");
        Assert.Equal(("BackupRpo", "late", "PT1H"), (report.GetProperty("Property").GetString(), report.GetProperty("Description").GetString(), report.GetProperty("TimeToLiveInMilliSeconds").GetString()));
    }

    [Fact]
    public async Task A_report_replaces_the_same_source_and_property_unless_its_sequence_number_is_stale()
    {
        using (await Report("""{"SourceId":"SfBackup","Property":"BackupRpo","HealthState":"Error","SequenceNumber":"5"}""")) { }
        using (var newer = await Report("""{"SourceId":"SfBackup","Property":"BackupRpo","HealthState":"Ok","SequenceNumber":"6"}""")) Assert.Equal(HttpStatusCode.OK, newer.StatusCode);
        using var stale = await Report("""{"SourceId":"SfBackup","Property":"BackupRpo","HealthState":"Error","SequenceNumber":"6"}""");

        Assert.Equal(HttpStatusCode.BadRequest, stale.StatusCode);
        Assert.Contains("FABRIC_E_HEALTH_STALE_REPORT", await stale.Content.ReadAsStringAsync(Ct));
        var health = await Health();
        Assert.Equal("Ok", health.GetProperty("AggregatedHealthState").GetString());
        Assert.Single(health.GetProperty("HealthEvents").EnumerateArray());
    }

    [Theory]
    [InlineData(true, "Ok", 0)]
    [InlineData(false, "Error", 1)]
    public async Task An_expired_report_goes_or_turns_into_an_error(bool removeWhenExpired, string aggregated, int events)
    {
        using (await Report($$"""{"SourceId":"SfBackup","Property":"BackupRpo","HealthState":"Warning","TimeToLiveInMilliSeconds":"PT10M","RemoveWhenExpired":{{(removeWhenExpired ? "true" : "false")}}}""")) { }

        _emulator.Clock.Advance(TimeSpan.FromMinutes(11));

        var health = await Health();
        Assert.Equal(aggregated, health.GetProperty("AggregatedHealthState").GetString());
        Assert.Equal(events, health.GetProperty("HealthEvents").GetArrayLength());
    }

    [Theory]
    [InlineData("""{"Property":"BackupRpo","HealthState":"Warning"}""")]
    [InlineData("""{"SourceId":"SfBackup","Property":"BackupRpo","HealthState":"Bad"}""")]
    [InlineData("""{"SourceId":"SfBackup","Property":"BackupRpo","HealthState":"Ok","TimeToLiveInMilliSeconds":"soon"}""")]
    [InlineData("""{"SourceId":"SfBackup","HealthState":"Ok"}""")]
    public async Task A_report_without_what_a_health_store_needs_is_refused(string body)
    {
        using var refused = await Report(body);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(0, (await Health()).GetProperty("HealthEvents").GetArrayLength());
    }
}
