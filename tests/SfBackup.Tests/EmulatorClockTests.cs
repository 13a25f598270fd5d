using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SfBackup.Client.Models;
using SfBackup.Tests.Infrastructure;

namespace SfBackup.Tests;

/// <summary>POST /$Emulator/Clock moves the emulator's time forward for scripts in another process.</summary>
public sealed class EmulatorClockTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Moving_the_clock_forward_finishes_a_backup_that_runs_five_minutes()
    {
        await using var emulator = EmulatorFixture.OnRealClock("--Emulator:BackupSeconds=300");
        await emulator.InitializeAsync();
        var client = emulator.Client();
        var partition = Guid.Parse(KnownIds.Seed);
        using var http = emulator.Raw();

        await client.BackupPartitionAsync(partition, null, null, Ct);
        Assert.NotEqual(BackupState.Success, (await client.GetPartitionBackupProgressAsync(partition, Ct)).BackupState);
        using var moved = await http.PostAsJsonAsync("/$Emulator/Clock", new { AdvanceSeconds = 400 }, Ct);

        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        using var now = JsonDocument.Parse(await moved.Content.ReadAsStringAsync(Ct));
        Assert.Equal(400, now.RootElement.GetProperty("offsetSeconds").GetDouble());
        Assert.Equal(BackupState.Success, (await client.GetPartitionBackupProgressAsync(partition, Ct)).BackupState);
    }

    [Theory]
    [InlineData("""{"AdvanceSeconds":-5}""")]
    [InlineData("""{"AdvanceSeconds":"soon"}""")]
    [InlineData("not json")]
    public async Task The_clock_never_moves_back_and_refuses_what_it_cannot_read(string body)
    {
        await using var emulator = EmulatorFixture.With();
        await emulator.InitializeAsync();
        using var http = emulator.Raw();

        using var refused = await http.PostAsync("/$Emulator/Clock", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        using var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync(Ct));
        Assert.Equal("E_INVALIDARG", error.RootElement.GetProperty("Error").GetProperty("Code").GetString());
    }
}

/// <summary>POST /$Emulator/Partitions/{id}/FailBackups makes a partition's backups fail, for health and alerting tests.</summary>
public sealed class EmulatorFailingBackupTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_partition_told_to_fail_ends_its_backups_in_Failure_and_keeps_no_record_until_told_otherwise()
    {
        await using var emulator = EmulatorFixture.With();
        await emulator.InitializeAsync();
        var client = emulator.Client();
        var partition = Guid.Parse(KnownIds.Seed);
        using var http = emulator.Raw();
        var before = (await client.GetBackups(Client.Operations.SfEntity.Partition(partition)).ReadAllAsync(Ct)).Count;

        using (var fail = await http.PostAsJsonAsync($"/$Emulator/Partitions/{partition}/FailBackups", new { Fail = true }, Ct)) Assert.Equal(HttpStatusCode.NoContent, fail.StatusCode);
        await client.BackupPartitionAsync(partition, null, null, Ct);
        emulator.Clock.Advance(TimeSpan.FromSeconds(10));
        var failed = await client.GetPartitionBackupProgressAsync(partition, Ct);

        Assert.Equal(BackupState.Failure, failed.BackupState);
        Assert.Equal("E_FAIL", failed.FailureError?.Code);
        Assert.Equal(before, (await client.GetBackups(Client.Operations.SfEntity.Partition(partition)).ReadAllAsync(Ct)).Count);

        using (var heal = await http.PostAsJsonAsync($"/$Emulator/Partitions/{partition}/FailBackups", new { Fail = false }, Ct)) Assert.Equal(HttpStatusCode.NoContent, heal.StatusCode);
        await client.BackupPartitionAsync(partition, null, null, Ct);
        emulator.Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(BackupState.Success, (await client.GetPartitionBackupProgressAsync(partition, Ct)).BackupState);
        Assert.Equal(before + 1, (await client.GetBackups(Client.Operations.SfEntity.Partition(partition)).ReadAllAsync(Ct)).Count);
    }

    [Theory]
    [InlineData("99999999-9999-4999-8999-999999999999", HttpStatusCode.NotFound)]
    [InlineData("not-a-guid", HttpStatusCode.BadRequest)]
    public async Task Failing_an_unknown_partition_is_refused(string id, HttpStatusCode status)
    {
        await using var emulator = EmulatorFixture.With();
        await emulator.InitializeAsync();
        using var http = emulator.Raw();

        using var refused = await http.PostAsJsonAsync($"/$Emulator/Partitions/{id}/FailBackups", new { Fail = true }, Ct);

        Assert.Equal(status, refused.StatusCode);
    }
}
