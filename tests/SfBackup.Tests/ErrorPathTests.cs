using System.Net.Http.Headers;
using System.Text;
using SfBackup.Client.Models;
using SfBackup.Client.Operations;
using SfBackup.Client.Transport;
using SfBackup.Tests.Infrastructure;
using static SfBackup.Tests.SeedExamples;

namespace SfBackup.Tests;

/// <summary>Every error the emulator gives for these operations, decoded by the client into SfFabricException.</summary>
public sealed class ErrorPathTests : IClassFixture<EmulatorFixture>
{
    private static readonly Guid Unknown = Guid.Parse("99999999-9999-4999-8999-999999999999");
    private static readonly Guid Stateless = Guid.Parse("0b1e9c42-3c55-4f2b-8f4e-0f6a1f0c7a11");
    private static readonly Guid Stock1 = Guid.Parse("a1b2c3d4-0001-4000-8000-000000000001");
    private readonly EmulatorFixture _emulator;

    public ErrorPathTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<SfFabricException> Fails(Func<SfBackupClient, Task> call, int status, string code, SfErrorKind kind)
    {
        var ex = await Assert.ThrowsAsync<SfFabricException>(() => call(_emulator.Client()));
        Assert.Equal(status, ex.StatusCode);
        Assert.Equal(code, ex.ErrorCode);
        Assert.Equal(code, ex.ErrorId);
        Assert.Equal(kind, ex.Kind);
        Assert.False(string.IsNullOrEmpty(ex.FabricMessage));
        Assert.True(Guid.TryParse(ex.RequestId, out _));
        return ex;
    }

    [Fact]
    public Task Unknown_partition_is_404_partition_not_found() =>
        Fails(c => c.ResumePartitionBackupAsync(Unknown, Ct), 404, "FABRIC_E_PARTITION_NOT_FOUND", SfErrorKind.NotFound);

    [Fact]
    public Task Restore_progress_of_unknown_partition_is_404() =>
        Fails(c => c.GetPartitionRestoreProgressAsync(Unknown, Ct), 404, "FABRIC_E_PARTITION_NOT_FOUND", SfErrorKind.NotFound);

    [Fact]
    public Task Stateless_partition_is_400_invalid_for_stateless() =>
        Fails(c => c.EnablePartitionBackupAsync(Stateless, "DailyAzureBackupPolicy", Ct), 400, "FABRIC_E_INVALID_FOR_STATELESS_SERVICES", SfErrorKind.InvalidArgument);

    [Fact]
    public Task Stateless_service_resume_is_400_invalid_for_stateless() =>
        Fails(c => c.ResumeServiceBackupAsync("CalcApp~CalcGateway", Ct), 400, "FABRIC_E_INVALID_FOR_STATELESS_SERVICES", SfErrorKind.InvalidArgument);

    [Fact]
    public Task Unknown_service_is_404_service_does_not_exist() =>
        Fails(c => c.ResumeServiceBackupAsync("fabric:/CalcApp/Nope", Ct), 404, "FABRIC_E_SERVICE_DOES_NOT_EXIST", SfErrorKind.NotFound);

    [Fact]
    public Task Unknown_policy_is_404_policy_does_not_exist() =>
        Fails(c => c.EnablePartitionBackupAsync(Partition, "NoSuchPolicy", Ct), 404, "FABRIC_E_BACKUP_POLICY_DOES_NOT_EXIST", SfErrorKind.NotFound);

    [Fact]
    public Task Resume_when_backup_was_never_enabled_is_404_not_enabled() =>
        Fails(c => c.ResumePartitionBackupAsync(Stock1, Ct), 404, "FABRIC_E_BACKUP_NOT_ENABLED", SfErrorKind.NotFound);

    [Fact]
    public Task Resume_service_when_backup_was_never_enabled_is_404_not_enabled() =>
        Fails(c => c.ResumeServiceBackupAsync("Inventory/Stock", Ct), 404, "FABRIC_E_BACKUP_NOT_ENABLED", SfErrorKind.NotFound);

    [Fact]
    public async Task Resume_when_not_suspended_is_accepted_as_the_real_service_does()
    {
        // ResumeBackupOperation: removing a suspension that is not there is no error (the operation is idempotent).
        await _emulator.Client().ResumePartitionBackupAsync(Partition, Ct);
        var again = await _emulator.Client().ResumePartitionBackupAsync(Partition, Ct);
        Assert.Equal(202, again.StatusCode);
    }

    [Fact]
    public async Task Resume_of_a_partition_suspended_by_its_service_is_accepted_and_the_partition_stays_suspended()
    {
        var second = _emulator.State.Services["CalcApp~CalcService"].Partitions[1].Id;
        var response = await _emulator.Client().ResumePartitionBackupAsync(second, Ct);
        Assert.Equal(202, response.StatusCode);
        Assert.True(_emulator.State.Partitions[second].EffectivelySuspended);
    }

    [Fact]
    public Task Backup_when_not_enabled_and_no_storage_is_404_not_enabled() =>
        Fails(c => c.BackupPartitionAsync(Stock1, null, null, Ct), 404, "FABRIC_E_BACKUP_NOT_ENABLED", SfErrorKind.NotFound);

    [Fact]
    public async Task Backup_when_not_enabled_but_with_storage_is_accepted()
    {
        var storage = new AzureBlobBackupStorage(SecretText.FromPlain(AzureConnectionString), "adhoc");
        var response = await _emulator.Client().BackupPartitionAsync(Stock1, storage, null, Ct);
        Assert.Equal(202, response.StatusCode);
    }

    [Fact]
    public async Task Second_backup_while_one_runs_is_409_backup_in_progress()
    {
        await _emulator.Client().BackupPartitionAsync(Partition, null, null, Ct);
        await Fails(c => c.BackupPartitionAsync(Partition, null, null, Ct), 409, "FABRIC_E_BACKUP_IN_PROGRESS", SfErrorKind.Busy);
    }

    private async Task<(int Status, string Body)> RawPost(string target, string? body)
    {
        using var raw = _emulator.Raw();
        using var content = body is null ? null : new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        using var answer = await raw.PostAsync(target, content, Ct);
        return ((int)answer.StatusCode, await answer.Content.ReadAsStringAsync(Ct));
    }

    private static void AssertFabricError(int status, string code, (int Status, string Body) answer)
    {
        Assert.Equal(status, answer.Status);
        var decoded = SfTransport.DecodeError(answer.Status, Encoding.UTF8.GetBytes(answer.Body), null, null);
        Assert.Equal(code, decoded.ErrorCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("{not json")]
    [InlineData("[\"DailyAzureBackupPolicy\"]")]
    [InlineData("{}")]
    [InlineData("{\"BackupPolicyName\": 7}")]
    public async Task Enable_with_a_missing_or_malformed_body_is_400(string? body) =>
        AssertFabricError(400, "E_INVALIDARG", await RawPost(EnablePartition.Target, body));

    [Theory]
    [InlineData("{\"BackupStorage\": {\"StorageKind\": \"Tape\"}}")]
    [InlineData("{\"BackupStorage\": {\"StorageKind\": \"AzureBlobStore\", \"ContainerName\": \"c\"}}")]
    [InlineData("{\"BackupStorage\": {\"StorageKind\": \"ManagedIdentityAzureBlobStore\", \"BlobServiceUri\": \"https://x/\", \"ContainerName\": \"c\", \"ManagedIdentityType\": \"User\"}}")]
    [InlineData("{\"BackupStorage\": \"somewhere\"}")]
    [InlineData("{oops")]
    public async Task Backup_with_a_malformed_storage_is_400(string body) =>
        AssertFabricError(400, "E_INVALIDARG", await RawPost(BackupTarget, body));

    [Theory]
    [InlineData("/Partitions/not-a-guid/$/ResumeBackup?api-version=6.2-preview")]
    [InlineData("/Partitions/1daae3f5-7fd6-42e9-b1ba/$/ResumeBackup?api-version=6.2-preview")]
    public async Task A_bad_partition_guid_is_400(string target) =>
        AssertFabricError(400, "E_INVALIDARG", await RawPost(target, null));

    [Theory]
    [InlineData("")]
    [InlineData("?api-version=6.1")]
    [InlineData("?api-version=6.2")]
    [InlineData("?api-version=99.0")]
    [InlineData("?api-version=latest")]
    public async Task Backup_partition_refuses_api_versions_below_6_4_above_the_runtime_or_missing(string query) =>
        AssertFabricError(400, "E_INVALIDARG", await RawPost($"/Partitions/{PartitionId}/$/Backup{query}", "{}"));

    [Theory]
    [InlineData("6.2-preview")]
    [InlineData("6.4")]
    [InlineData("10.1")]
    public async Task Resume_accepts_its_documented_api_version_and_higher_ones(string version) =>
        Assert.Equal(202, (await RawPost($"/Partitions/{PartitionId}/$/ResumeBackup?api-version={version}", null)).Status);

    [Theory]
    [InlineData("0")]
    [InlineData("4294967296")]
    [InlineData("-5")]
    [InlineData("ten")]
    public async Task The_emulator_validates_the_timeout_parameter(string timeout) =>
        AssertFabricError(400, "E_INVALIDARG", await RawPost($"/Partitions/{PartitionId}/$/ResumeBackup?api-version=6.2-preview&timeout={timeout}", null));

    [Fact]
    public async Task The_largest_timeout_is_accepted() =>
        Assert.Equal(202, (await RawPost($"/Partitions/{PartitionId}/$/ResumeBackup?api-version=6.2-preview&timeout=4294967295", null)).Status);

    [Fact]
    public async Task An_unknown_operation_is_404_with_a_fabric_error_body() =>
        AssertFabricError(404, "NotFound", await RawPost($"/Partitions/{PartitionId}/$/Explode?api-version=6.4", null));
}
