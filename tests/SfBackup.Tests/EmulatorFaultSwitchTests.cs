using System.Text.Json.Nodes;
using SfBackup.Tests.Infrastructure;

namespace SfBackup.Tests;

/// <summary>
/// The faults real clusters have, switched on while the emulator runs (FIDELITY.md, "Faults real clusters have"):
/// a corrupt chain member, backups with an LSN of -1, periodic backups stopped by an upgrade, an unreachable storage.
/// </summary>
public sealed class EmulatorFaultSwitchTests : IAsyncLifetime
{
    private const string Seed = KnownIds.Seed;
    private static readonly string Stock0 = KnownIds.Stock[0];
    private const string Share = """{"StorageKind":"FileShare","Path":"\\\\nas\\backups"}""";
    private readonly EmulatorFixture _emulator = EmulatorFixture.With("--Emulator:PeriodicBackups=true", "--Emulator:PageSize=0");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => _emulator.InitializeAsync();

    public ValueTask DisposeAsync() => _emulator.DisposeAsync();

    private async Task<(int Status, JsonNode? Json)> Send(string method, string target, string? body = null)
    {
        var answer = await _emulator.SendRawAsync(method, target, body, Ct);
        return (answer.Status, answer.Json);
    }

    private async Task<JsonArray> Backups(string partition) =>
        (JsonArray)(await Send("GET", $"/Partitions/{partition}/$/GetBackups?api-version=6.4")).Json!["Items"]!;

    private async Task<JsonNode> RestoreAndFinish(string partition, JsonNode backup, string? storage = null)
    {
        var body = $$"""{"BackupId":"{{backup["BackupId"]}}","BackupLocation":{{backup["BackupLocation"]!.ToJsonString()}}{{(storage is null ? "" : ",\"BackupStorage\":" + storage)}}}""";
        Assert.Equal(202, (await Send("POST", $"/Partitions/{partition}/$/Restore?api-version=6.4", body)).Status);
        _emulator.Clock.Advance(TimeSpan.FromSeconds(30));
        return (await Send("GET", $"/Partitions/{partition}/$/GetRestoreProgress?api-version=6.4")).Json!;
    }

    [Fact]
    public async Task A_corrupt_chain_member_makes_a_restore_accepted_and_then_failed()
    {
        _emulator.Reset();
        var backups = await Backups(Seed);
        var latest = backups.Last()!;
        var full = backups.Last(b => b!["BackupType"]!.ToString() == "Full" && b["BackupChainId"]!.ToString() == latest["BackupChainId"]!.ToString())!;
        Assert.Equal(204, (await Send("POST", $"/$Emulator/Backups/{full["BackupId"]}/Corrupt")).Status);

        var progress = await RestoreAndFinish(Seed, latest);

        Assert.Equal("Failure", progress["RestoreState"]!.ToString());
        Assert.Contains(full["BackupId"]!.ToString(), progress["FailureError"]!["Message"]!.ToString());
    }

    [Fact]
    public async Task Backups_with_an_lsn_of_minus_one_are_listed_and_do_not_restore()
    {
        _emulator.Reset();
        Assert.Equal(204, (await Send("POST", $"/$Emulator/Partitions/{Stock0}/LsnMinusOne", """{"Enabled":true}""")).Status);
        Assert.Equal(202, (await Send("POST", $"/Partitions/{Stock0}/$/Backup?api-version=6.4", $$"""{"BackupStorage":{{Share}}}""")).Status);
        _emulator.Clock.Advance(TimeSpan.FromSeconds(10));
        var listed = (await Send("POST", "/BackupRestore/$/GetBackups?api-version=6.4", $$"""{"Storage":{{Share}}}""")).Json!["Items"]!.AsArray();
        var backup = Assert.Single(listed, b => b!["PartitionInformation"]!["Id"]!.ToString() == Stock0)!;
        Assert.Equal("-1", backup["LsnOfLastBackupRecord"]!.ToString());

        var progress = await RestoreAndFinish(Stock0, backup, Share);

        Assert.Equal("Failure", progress["RestoreState"]!.ToString());
        Assert.Contains("-1", progress["FailureError"]!["Message"]!.ToString());
    }

    [Fact]
    public async Task Periodic_backups_stop_after_an_upgrade_until_the_policy_is_updated_again()
    {
        _emulator.Reset();
        Assert.Equal(202, (await Send("POST", $"/Partitions/{Stock0}/$/EnableBackup?api-version=6.4", """{"BackupPolicyName":"HourlyFileShareBackupPolicy"}""")).Status);
        // The schedule starts when the emulator first sees the partition with its policy.
        await Backups(Stock0);
        async Task<int> CountAfter(TimeSpan wait)
        {
            _emulator.Clock.Advance(wait);
            return (await Backups(Stock0)).Count;
        }

        var before = await CountAfter(TimeSpan.FromHours(3));
        Assert.True(before >= 2, $"{before} backups before the upgrade");
        Assert.Equal(204, (await Send("POST", "/$Emulator/Upgrade")).Status);
        var stopped = await CountAfter(TimeSpan.FromHours(3));
        Assert.Equal(before, stopped);

        // The documented fix: update the policy with its own values.
        var policy = (await Send("GET", "/BackupRestore/BackupPolicies/HourlyFileShareBackupPolicy?api-version=6.4")).Json!;
        Assert.Equal(200, (await Send("POST", "/BackupRestore/BackupPolicies/HourlyFileShareBackupPolicy/$/Update?api-version=6.4", policy.ToJsonString())).Status);
        var resumed = await CountAfter(TimeSpan.FromHours(3));
        Assert.True(resumed >= stopped + 2, $"{resumed} backups after the update, {stopped} before");
    }

    [Fact]
    public async Task An_unreachable_storage_fails_backups_and_refuses_listings_and_restores_until_it_heals()
    {
        _emulator.Reset();
        var latest = (await Backups(Seed)).Last()!;
        Assert.Equal(204, (await Send("POST", "/$Emulator/Storage", """{"Unreachable":true}""")).Status);

        Assert.Equal(202, (await Send("POST", $"/Partitions/{Stock0}/$/Backup?api-version=6.4", $$"""{"BackupStorage":{{Share}}}""")).Status);
        _emulator.Clock.Advance(TimeSpan.FromSeconds(10));
        var progress = (await Send("GET", $"/Partitions/{Stock0}/$/GetBackupProgress?api-version=6.4")).Json!;
        var listing = await Send("POST", "/BackupRestore/$/GetBackups?api-version=6.4", $$"""{"Storage":{{Share}}}""");
        var restore = await Send("POST", $"/Partitions/{Seed}/$/Restore?api-version=6.4",
            $$"""{"BackupId":"{{latest["BackupId"]}}","BackupLocation":{{latest["BackupLocation"]!.ToJsonString()}}}""");

        Assert.Equal("Failure", progress["BackupState"]!.ToString());
        Assert.Equal(500, listing.Status);
        Assert.Equal("E_UNEXPECTED", listing.Json!["Error"]!["Code"]!.ToString());
        Assert.Equal(500, restore.Status);

        Assert.Equal(204, (await Send("POST", "/$Emulator/Storage", """{"Unreachable":false}""")).Status);
        Assert.Equal(200, (await Send("POST", "/BackupRestore/$/GetBackups?api-version=6.4", $$"""{"Storage":{{Share}}}""")).Status);
    }
}
