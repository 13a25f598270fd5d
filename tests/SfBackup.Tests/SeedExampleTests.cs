using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SfBackup.Client.Models;
using SfBackup.Client.Transport;
using SfBackup.Tests.Infrastructure;
using static SfBackup.Tests.SeedExamples;
using static SfBackup.Tests.Infrastructure.JsonAssert;

namespace SfBackup.Tests;

/// <summary>Each seed document's example, sent by our client to the emulator: the exact request and the answer.</summary>
public sealed class SeedExampleTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorFixture _emulator;

    public SeedExampleTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Resume_partition_backup_sends_the_documented_request_and_gets_202()
    {
        var response = await _emulator.Client().ResumePartitionBackupAsync(Partition, Ct);

        var sent = _emulator.LastRequest;
        Assert.Equal(202, response.StatusCode);
        Assert.Equal(ResumePartition.Method, sent.Method);
        Assert.Equal(ResumePartition.Target, sent.RawTarget);
        Assert.Equal("", sent.Body);
        Assert.False(_emulator.State.Partitions[Partition].Suspended);
    }

    [Fact]
    public async Task Resume_service_backup_sends_the_tilde_form_and_gets_202()
    {
        var response = await _emulator.Client().ResumeServiceBackupAsync("fabric:/CalcApp/CalcService", Ct);

        Assert.Equal(202, response.StatusCode);
        Assert.Equal("POST", _emulator.LastRequest.Method);
        Assert.Equal(ResumeServiceAsSent, _emulator.LastRequest.RawTarget);
        Assert.False(_emulator.State.Services["CalcApp~CalcService"].Suspended);
    }

    [Fact]
    public async Task Resume_service_backup_example_path_works_verbatim_against_the_emulator()
    {
        using var raw = _emulator.Raw();
        using var answer = await raw.PostAsync(ResumeService.Target, null, Ct);

        Assert.Equal(202, (int)answer.StatusCode);
        Assert.Equal(ResumeService.Target, _emulator.LastRequest.RawTarget);
    }

    [Fact]
    public async Task Enable_partition_backup_sends_the_documented_body()
    {
        var response = await _emulator.Client().EnablePartitionBackupAsync(Partition, "DailyAzureBackupPolicy", Ct);

        var sent = _emulator.LastRequest;
        Assert.Equal(202, response.StatusCode);
        Assert.Equal(EnablePartition.Target, sent.RawTarget);
        AssertJsonEqual(EnablePartition.Body!, sent.Body);
        Assert.Equal("application/json; charset=utf-8", sent.Headers["Content-Type"]);
        Assert.Equal("DailyAzureBackupPolicy", _emulator.State.Partitions[Partition].PolicyName);
    }

    public static TheoryData<string> BackupExampleNames() => new(BackupExamples().Select(e => e.Name));

    [Theory]
    [MemberData(nameof(BackupExampleNames))]
    public async Task Backup_partition_example_is_sent_exactly_and_accepted(string name)
    {
        var example = BackupExamples().Single(e => e.Name == name);

        var response = await _emulator.Client().BackupPartitionAsync(Partition, example.Storage(), null, Ct);

        var sent = _emulator.LastRequest;
        Assert.Equal(202, response.StatusCode);
        Assert.Equal("POST", sent.Method);
        Assert.Equal(BackupTarget, sent.RawTarget);
        AssertJsonEqual(example.Body, sent.Body);
        Assert.NotNull(_emulator.State.Partitions[Partition].CurrentBackup);
    }

    [Fact]
    public async Task Backup_partition_with_storage_writes_fields_in_the_documents_order()
    {
        var storage = BackupExamples().Single(e => e.Name.Contains("managed identity")).Storage();

        await _emulator.Client().BackupPartitionAsync(Partition, storage, null, Ct);

        Assert.Equal(
            """{"BackupStorage":{"StorageKind":"ManagedIdentityAzureBlobStore","BlobServiceUri":"https://managedidentitytest.blob.core.windows.net/","ContainerName":"BackupContainer","ManagedIdentityType":"Cluster"}}""",
            _emulator.LastRequest.Body);
    }

    [Fact]
    public async Task Backup_timeout_goes_before_api_version_as_the_document_lists_it()
    {
        await _emulator.Client().BackupPartitionAsync(Partition, null, 30, Ct);

        Assert.Equal($"/Partitions/{PartitionId}/$/Backup?BackupTimeout=30&api-version=6.4", _emulator.LastRequest.RawTarget);
    }

    [Fact]
    public async Task Get_restore_progress_reads_the_documented_answer()
    {
        var progress = await _emulator.Client().GetPartitionRestoreProgressAsync(Partition, Ct);

        Assert.Equal(GetRestoreProgress.Target, _emulator.LastRequest.RawTarget);
        Assert.Equal("GET", _emulator.LastRequest.Method);
        Assert.Equal(Partition, progress.PartitionId);
        Assert.Equal(RestoreState.Success, progress.RestoreState);
        Assert.Equal(new DateTime(2018, 1, 1, 9, 0, 55, DateTimeKind.Utc), progress.TimeStampUtc);
        Assert.Equal(DateTimeKind.Utc, progress.TimeStampUtc!.Value.Kind);
        Assert.Equal(131462452931584510L, progress.RestoredEpoch!.DataLossNumber);
        Assert.Equal(8589934592L, progress.RestoredEpoch.ConfigurationNumber);
        Assert.Equal(261L, progress.RestoredLsn);
        Assert.Null(progress.FailureError);
    }

    [Fact]
    public async Task Emulator_answers_restore_progress_exactly_as_the_document_shows_for_6_2_preview()
    {
        using var raw = _emulator.Raw();
        var body = await raw.GetStringAsync(GetRestoreProgress.Target, Ct);

        AssertJsonEqual(RestoreProgressAnswer, body);
    }

    [Fact]
    public async Task Every_call_carries_a_fresh_request_id_and_the_client_type()
    {
        var client = _emulator.Client();
        await client.GetPartitionRestoreProgressAsync(Partition, Ct);
        await client.GetPartitionRestoreProgressAsync(Partition, Ct);

        var ids = _emulator.Journal.Snapshot().Select(e => e.Headers[SfTransport.RequestIdHeader]).ToList();
        Assert.Equal(2, ids.Count);
        Assert.All(ids, id => Assert.True(Guid.TryParse(id, out _), $"'{id}' is not a GUID"));
        Assert.NotEqual(ids[0], ids[1]);
        Assert.All(_emulator.Journal.Snapshot(), e => Assert.Equal("SfBackup", e.Headers[SfTransport.ClientTypeHeader]));
    }

    [Fact]
    public async Task Requests_without_a_body_send_no_content_type()
    {
        await _emulator.Client().ResumePartitionBackupAsync(Partition, Ct);

        Assert.False(_emulator.LastRequest.Headers.ContainsKey("Content-Type"));
    }

    /// <summary>
    /// Reads the seed documents themselves (../shared/seeds beside the repo, where CI has them) and checks that every
    /// example request they show is one this suite sends, with the same body.
    /// </summary>
    [Fact]
    public void Embedded_examples_match_the_seed_documents()
    {
        var seeds = Path.Combine(TestPaths.RepoRoot, "..", "shared", "seeds");
        if (!Directory.Exists(seeds)) Assert.Skip($"The seed documents are not at {Path.GetFullPath(seeds)} on this checkout.");

        var known = new Dictionary<string, List<string?>>
        {
            [ResumePartition.Method + " " + ResumePartition.Target] = [null],
            [ResumeService.Method + " " + ResumeService.Target] = [null],
            [EnablePartition.Method + " " + EnablePartition.Target] = [EnablePartition.Body],
            [GetRestoreProgress.Method + " " + GetRestoreProgress.Target] = [null],
            ["POST " + BackupTarget] = BackupExamples().Select(e => (string?)e.Body).ToList(),
        };

        var found = 0;
        var request = new Regex(@"#### Request\s+```\s*(?<method>[A-Z]+) http://localhost:19080(?<target>\S+)\s*```(\s+##### Body\s+```json\s*(?<body>.*?)```)?", RegexOptions.Singleline);
        foreach (var file in Directory.GetFiles(seeds, "*.txt"))
        {
            foreach (Match m in request.Matches(File.ReadAllText(file)))
            {
                found++;
                var key = m.Groups["method"].Value + " " + m.Groups["target"].Value;
                Assert.True(known.ContainsKey(key), $"{Path.GetFileName(file)} shows {key}, which this suite does not send");
                if (m.Groups["body"].Success)
                {
                    var body = m.Groups["body"].Value;
                    Assert.Contains(known[key], b => b is not null && JsonNode.DeepEquals(JsonNode.Parse(b), JsonNode.Parse(body)));
                }
            }
        }
        Assert.Equal(9, found);
    }
}
