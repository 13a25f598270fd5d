using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SfBackup.Client.Operations;
using SfBackup.Client.Transport;
using SfBackup.Emulator;
using SfBackup.Tests.Infrastructure;

namespace SfBackup.Tests;

/// <summary>
/// The emulator never crashes on what it is sent, answers the cluster reads other tools make on connect, fails on
/// purpose when told to, says in its journal what it applied, and can hold a large generated cluster.
/// </summary>
public sealed class EmulatorFaultTests
{
    private static readonly Guid Stock1 = Guid.Parse(KnownIds.Stock[0]);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Seed = KnownIds.Seed;

    /// <summary>Malformed paths, methods, queries, headers and bodies, the /$/ family included.</summary>
    public static TheoryData<string, string, string?, string?> Hostile => new()
    {
        { "GET", "/", null, null },
        { "GET", "/$", null, null },
        { "GET", "/$/", null, null },
        { "GET", "/$/Nope?api-version=6.4", null, null },
        { "GET", "/$/GetClusterManifest", null, null },
        { "POST", "/$/GetClusterManifest?api-version=6.0", null, null },
        { "GET", "//", null, null },
        { "GET", "///$///", null, null },
        { "GET", "/Partitions", null, null },
        { "GET", "/Partitions/$/GetRestoreProgress?api-version=6.4", null, null },
        { "GET", "/Partitions/not-a-guid/$/GetRestoreProgress?api-version=6.4", null, null },
        { "GET", "/Partitions/%ZZ%/$/GetRestoreProgress?api-version=6.4", null, null },
        { "POST", "/Partitions/" + Seed + "/$/Backup?api-version=6.4&BackupTimeout=abc", "application/json", "{}" },
        { "POST", "/Partitions/" + Seed + "/$/Backup?api-version=6.4&BackupTimeout=-5", "application/json", "{}" },
        { "GET", "/Services//$/GetBackups?api-version=6.4", null, null },
        { "GET", "/Applications/~/$/GetBackups?api-version=6.4", null, null },
        { "GET", "/Applications/%2F%2F/$/GetBackupConfigurationInfo?api-version=6.4", null, null },
        { "GET", "/BackupRestore", null, null },
        { "GET", "/BackupRestore/BackupPolicies/?api-version=6.4&MaxResults=-1", null, null },
        { "GET", "/BackupRestore/BackupPolicies?api-version=6.4&MaxResults=abc", null, null },
        { "GET", "/BackupRestore/BackupPolicies?api-version=6.4&ContinuationToken=%00%FF", null, null },
        { "POST", "/BackupRestore/BackupPolicies/%2F/$/Delete?api-version=6.4", null, null },
        { "GET", "/Partitions/" + Seed + "/$/GetRestoreProgress?api-version=latest", null, null },
        { "GET", "/Partitions/" + Seed + "/$/GetRestoreProgress?api-version=6.4&api-version=7.0", null, null },
        { "GET", "/Partitions/" + Seed + "/$/GetRestoreProgress?api-version=6.4&timeout=abc", null, null },
        { "GET", "/Partitions/" + Seed + "/$/GetBackups?api-version=6.4&StartDateTimeFilter=yesterday", null, null },
        { "PUT", "/Partitions/" + Seed + "/$/ResumeBackup?api-version=6.4", null, null },
        { "DELETE", "/BackupRestore/BackupPolicies/DailyAzureBackupPolicy?api-version=6.4", null, null },
        { "PATCH", "/$/GetClusterVersion?api-version=6.4", null, null },
        { "POST", "/Partitions/" + Seed + "/$/EnableBackup?api-version=6.4", "application/json", "not json" },
        { "POST", "/Partitions/" + Seed + "/$/EnableBackup?api-version=6.4", "application/json", "[1,2,3]" },
        { "POST", "/Partitions/" + Seed + "/$/EnableBackup?api-version=6.4", "application/json", """{"BackupPolicyName":42}""" },
        { "POST", "/Partitions/" + Seed + "/$/EnableBackup?api-version=6.4", "text/plain", """{"BackupPolicyName":null}""" },
        { "POST", "/Partitions/" + Seed + "/$/Restore?api-version=6.4", "application/json", """{"BackupId":"x","BackupLocation":7}""" },
        { "POST", "/Partitions/" + Seed + "/$/Backup?api-version=6.4", "application/json", """{"BackupStorage":{"StorageKind":"Nope"}}""" },
        { "POST", "/Partitions/" + Seed + "/$/Backup?api-version=6.4", "application/json", """{"BackupStorage":"text"}""" },
        { "POST", "/BackupRestore/BackupPolicies/$/Create?api-version=6.4", "application/json", """{"Name":"","Schedule":{"ScheduleKind":"FrequencyBased","Interval":"nope"}}""" },
        { "POST", "/BackupRestore/BackupPolicies/$/Create?api-version=6.4", "application/json", """{"Name":"p","Schedule":null,"Storage":{}}""" },
        { "POST", "/BackupRestore/$/GetBackups?api-version=6.4", "application/json", """{"Storage":{"StorageKind":"FileShare"},"BackupEntity":{"EntityKind":"Partition"}}""" },
        { "POST", "/BackupRestore/$/GetBackups?api-version=6.4", "application/json", new string('{', 5000) },
        { "GET", "/Applications?api-version=6.1&ContinuationToken=" + new string('x', 4000), null, null },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task A_malformed_request_gets_a_FabricError_answer_never_a_crash(string method, string target, string? contentType, string? body)
    {
        await using var emulator = EmulatorFixture.With();
        await emulator.InitializeAsync();
        using var http = emulator.Raw();
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(emulator.BaseUri.GetLeftPart(UriPartial.Authority) + target));
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, contentType ?? "application/json");

        using var response = await http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.True((int)response.StatusCode < 500, $"{method} {target}: {(int)response.StatusCode} {text}");
        if (!response.IsSuccessStatusCode)
        {
            using var error = JsonDocument.Parse(text);
            Assert.False(string.IsNullOrEmpty(error.RootElement.GetProperty("Error").GetProperty("Code").GetString()), text);
        }
    }

    [Fact]
    public async Task It_answers_the_cluster_reads_other_tools_make_on_connect()
    {
        await using var emulator = EmulatorFixture.With();
        await emulator.InitializeAsync();
        using var http = emulator.Raw();

        using var manifest = JsonDocument.Parse(await http.GetStringAsync("/$/GetClusterManifest?api-version=6.0", Ct));
        using var version = JsonDocument.Parse(await http.GetStringAsync("/$/GetClusterVersion?api-version=6.4", Ct));

        Assert.StartsWith("<?xml", manifest.RootElement.GetProperty("Manifest").GetString());
        Assert.Equal("10.1.0.0", version.RootElement.GetProperty("Version").GetString());
    }

    private static async Task<EmulatorFixture> Faulty(string fault)
    {
        var emulator = EmulatorFixture.With($"--Emulator:Faults:{fault}=1");
        await emulator.InitializeAsync();
        return emulator;
    }

    private static SfBackupClient Client(EmulatorFixture emulator, int retries = 2) => emulator.Client(configure: o => o.MaxRetries = retries);

    private static bool Suspended(EmulatorFixture emulator, Guid partition)
    {
        lock (emulator.State.Gate) return emulator.State.Partitions[partition].Suspended;
    }

    [Fact]
    public async Task Transient_answers_are_the_documented_codes_and_change_nothing()
    {
        await using var emulator = await Faulty("Transient");
        await Client(emulator).EnablePartitionBackupAsync(Stock1, "DailyAzureBackupPolicy", Ct).ContinueWith(_ => { }, Ct);

        var ex = await Assert.ThrowsAsync<SfFabricException>(() => Client(emulator, retries: 0).SuspendBackupAsync(SfEntity.Partition(Stock1), Ct));

        Assert.Contains(ex.ErrorCode, new[] { "FABRIC_E_NOT_READY", "FABRIC_E_RECONFIGURATION_PENDING", "FABRIC_E_NO_WRITE_QUORUM", "FABRIC_E_TIMEOUT" });
        Assert.All(emulator.Journal.Snapshot(), e => Assert.Equal(("Transient", false), (e.Fault, e.Applied)));
        Assert.False(Suspended(emulator, Stock1));
    }

    [Fact]
    public async Task A_reset_before_applying_leaves_the_cluster_as_it_was()
    {
        await using var emulator = await Faulty("ResetBeforeApply");

        await Assert.ThrowsAsync<SfConnectionException>(() => Client(emulator).SuspendBackupAsync(SfEntity.Partition(Stock1), Ct));

        var entry = Assert.Single(emulator.Journal.Snapshot());
        Assert.Equal((0, "ResetBeforeApply", false), (entry.Status, entry.Fault, entry.Applied));
    }

    [Fact]
    public async Task A_reset_after_applying_changes_the_cluster_but_loses_the_answer()
    {
        await using var emulator = await Faulty("ResetAfterApply");

        await Assert.ThrowsAsync<SfConnectionException>(() => Client(emulator).ResumePartitionBackupAsync(Guid.Parse(Seed), Ct));

        var entry = Assert.Single(emulator.Journal.Snapshot());
        Assert.Equal((0, "ResetAfterApply", true), (entry.Status, entry.Fault, entry.Applied));
        Assert.False(Suspended(emulator, Guid.Parse(Seed)));
    }

    [Fact]
    public async Task A_proxy_page_and_a_truncated_answer_reach_the_client_as_such()
    {
        await using var html = await Faulty("Html502");
        var proxy = await Assert.ThrowsAsync<SfFabricException>(() => Client(html).GetPartitionRestoreProgressAsync(Guid.Parse(Seed), Ct));
        Assert.Equal("Http502", proxy.ErrorId);

        await using var cut = await Faulty("Truncated");
        await Assert.ThrowsAsync<SfConnectionException>(() => Client(cut).GetPartitionRestoreProgressAsync(Guid.Parse(Seed), Ct));
        // A read is sent again after a lost answer: 1 + 2 retries, each cut off.
        Assert.Equal(3, cut.Journal.Snapshot().Count(e => e.Fault == "Truncated"));
    }

    [Fact]
    public async Task Faults_change_at_run_time_through_the_control_endpoint()
    {
        await using var emulator = EmulatorFixture.With();
        await emulator.InitializeAsync();
        using var http = emulator.Raw();

        using var set = await http.PostAsJsonAsync("/$Emulator/Faults", new { Html502 = 1.0, LatencyMs = 5 }, Ct);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(5, emulator.Options.LatencyMs);
        using (var faulted = await http.GetAsync("/Partitions/" + Seed + "/$/GetRestoreProgress?api-version=6.4", Ct)) Assert.Equal(HttpStatusCode.BadGateway, faulted.StatusCode);

        using var refused = await http.PostAsJsonAsync("/$Emulator/Faults", new { Transient = 1.5 }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        using (var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync(Ct)))
            Assert.Equal("E_INVALIDARG", error.RootElement.GetProperty("Error").GetProperty("Code").GetString());

        using var clear = await http.PostAsJsonAsync("/$Emulator/Faults", new { LatencyMs = 0 }, Ct);
        using var now = JsonDocument.Parse(await http.GetStringAsync("/$Emulator/Faults", Ct));
        Assert.Equal(0, now.RootElement.GetProperty("html502").GetDouble());
        using (var normal = await http.GetAsync("/Partitions/" + Seed + "/$/GetRestoreProgress?api-version=6.4", Ct)) Assert.Equal(HttpStatusCode.OK, normal.StatusCode);
    }

    [Fact]
    public async Task A_generated_cluster_holds_thousands_of_partitions()
    {
        await using var emulator = EmulatorFixture.With("--Emulator:Partitions=2000");
        await emulator.InitializeAsync();
        var client = emulator.Client();

        lock (emulator.State.Gate) Assert.Equal(2007, emulator.State.Partitions.Count);
        var applications = await client.GetApplications().ReadAllAsync(Ct);
        Assert.Equal(2 + 40, applications.Count);
        var partitions = await client.GetPartitions("fabric:/Load040/Svc5").ReadAllAsync(Ct);
        Assert.Equal(10, partitions.Count);
        Assert.Equal(long.MaxValue, partitions[^1].PartitionInformation!.HighKey);
        await client.EnablePartitionBackupAsync(Guid.Parse("00000000-0000-4000-8000-000000002000"), "DailyAzureBackupPolicy", Ct);
    }
}
