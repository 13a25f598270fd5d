using SfBackup.Client.Models;
using SfBackup.Client.Operations;
using SfBackup.Client.Session;
using SfBackup.Client.Transport;
using SfBackup.Tests.Infrastructure;
using static SfBackup.Tests.Infrastructure.JsonAssert;
using static SfBackup.Tests.SeedExamples;

namespace SfBackup.Tests;

/// <summary>Backup progress, restore, skip auto-restore and the discovery queries against the emulator.</summary>
public sealed class RestoreAndDiscoveryTests : IClassFixture<EmulatorFixture>
{
    private static readonly Guid Second = Guid.Parse("5e4a2f31-55a6-4a0e-9a1f-6d4bb2a8c0de");
    private readonly EmulatorFixture _emulator;

    public RestoreAndDiscoveryTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<BackupInfo> LatestBackupOf(Guid partition) =>
        (await _emulator.Client().GetBackups(SfEntity.Partition(partition), new BackupListFilter { Latest = true }).ReadAllAsync(Ct)).Single();

    [Fact]
    public async Task Backup_progress_moves_through_its_states_and_names_the_backup_when_done()
    {
        var client = _emulator.Client();
        var before = await client.GetPartitionBackupProgressAsync(Partition, Ct);
        await client.BackupPartitionAsync(Partition, null, null, Ct);
        var accepted = await client.GetPartitionBackupProgressAsync(Partition, Ct);
        _emulator.Clock.Advance(TimeSpan.FromSeconds(2));
        var running = await client.GetPartitionBackupProgressAsync(Partition, Ct);
        _emulator.Clock.Advance(TimeSpan.FromSeconds(5));
        var done = await client.GetPartitionBackupProgressAsync(Partition, Ct);

        Assert.Equal($"/Partitions/{PartitionId}/$/GetBackupProgress?api-version=6.4", _emulator.LastRequest.RawTarget);
        Assert.Equal(BackupState.Invalid, before.BackupState);
        Assert.Equal(BackupState.Accepted, accepted.BackupState);
        Assert.Equal(BackupState.BackupInProgress, running.BackupState);
        Assert.Equal(BackupState.Success, done.BackupState);
        Assert.Equal(Partition, done.PartitionId);
        Assert.Equal((await LatestBackupOf(Partition)).BackupId, done.BackupId);
        Assert.Equal(3250L, done.LsnOfLastBackupRecord);
        Assert.NotNull(done.EpochOfLastBackupRecord);
    }

    [Fact]
    public async Task A_backup_that_outlives_its_timeout_reports_timeout_with_a_failure_error()
    {
        await using var slow = EmulatorFixture.With("--Emulator:BackupSeconds=600");
        await slow.InitializeAsync();
        var slowClient = slow.Client();
        await slowClient.BackupPartitionAsync(Partition, null, 1, Ct);
        slow.Clock.Advance(TimeSpan.FromMinutes(2));
        var progress = await slowClient.GetPartitionBackupProgressAsync(Partition, Ct);

        Assert.Equal(BackupState.Timeout, progress.BackupState);
        Assert.Equal("FABRIC_E_TIMEOUT", progress.FailureError!.Code);
    }

    [Fact]
    public async Task Restore_sends_the_backup_and_the_partition_goes_through_restore_states_to_the_backups_lsn()
    {
        var backup = await LatestBackupOf(Partition);
        var client = _emulator.Client();

        var response = await client.RestorePartitionAsync(Partition,
            new RestorePartitionDescription { BackupId = backup.BackupId, BackupLocation = backup.BackupLocation! }, 30, Ct);
        var sent = _emulator.LastRequest;
        var accepted = await client.GetPartitionRestoreProgressAsync(Partition, Ct);
        _emulator.Clock.Advance(TimeSpan.FromSeconds(2));
        var running = await client.GetPartitionRestoreProgressAsync(Partition, Ct);
        _emulator.Clock.Advance(TimeSpan.FromSeconds(5));
        var done = await client.GetPartitionRestoreProgressAsync(Partition, Ct);

        Assert.Equal(202, response.StatusCode);
        Assert.Equal($"/Partitions/{PartitionId}/$/Restore?RestoreTimeout=30&api-version=6.4", sent.RawTarget);
        AssertJsonEqual($$"""{"BackupId":"{{backup.BackupId}}","BackupLocation":{{System.Text.Json.JsonSerializer.Serialize(backup.BackupLocation)}}}""", sent.Body);
        Assert.Equal(RestoreState.Accepted, accepted.RestoreState);
        Assert.Null(accepted.TimeStampUtc);
        Assert.Equal(RestoreState.RestoreInProgress, running.RestoreState);
        Assert.Equal(RestoreState.Success, done.RestoreState);
        Assert.Equal(backup.LsnOfLastBackupRecord, done.RestoredLsn);
        Assert.NotNull(done.TimeStampUtc);
    }

    [Fact]
    public async Task Restoring_from_another_partitions_backup_is_400_source_target_mismatch()
    {
        var backup = await LatestBackupOf(Partition);

        var ex = await Assert.ThrowsAsync<SfFabricException>(() => _emulator.Client().RestorePartitionAsync(Second,
            new RestorePartitionDescription { BackupId = backup.BackupId, BackupLocation = backup.BackupLocation! }, null, Ct));

        Assert.Equal(400, ex.StatusCode);
        Assert.Equal("FABRIC_E_RESTORE_SOURCE_TARGET_PARTITION_MISMATCH", ex.ErrorCode);
    }

    [Fact]
    public async Task A_second_restore_while_one_runs_is_409_restore_in_progress_and_so_is_a_backup()
    {
        var backup = await LatestBackupOf(Partition);
        var restore = new RestorePartitionDescription { BackupId = backup.BackupId, BackupLocation = backup.BackupLocation! };
        var client = _emulator.Client();
        await client.RestorePartitionAsync(Partition, restore, null, Ct);

        var again = await Assert.ThrowsAsync<SfFabricException>(() => client.RestorePartitionAsync(Partition, restore, null, Ct));
        var backupNow = await Assert.ThrowsAsync<SfFabricException>(() => client.BackupPartitionAsync(Partition, null, null, Ct));

        Assert.Equal("FABRIC_E_RESTORE_IN_PROGRESS", again.ErrorCode);
        Assert.Equal(SfErrorKind.Busy, again.Kind);
        Assert.Equal("FABRIC_E_RESTORE_IN_PROGRESS", backupNow.ErrorCode);
    }

    [Fact]
    public async Task Restore_on_a_cluster_without_the_fault_analysis_service_is_404()
    {
        await using var cluster = EmulatorFixture.With("--Emulator:FaultAnalysisService=false");
        await cluster.InitializeAsync();
        var client = cluster.Client();
        var backup = (await client.GetBackups(SfEntity.Partition(Partition)).ReadAllAsync(Ct)).Last();

        var ex = await Assert.ThrowsAsync<SfFabricException>(() => client.RestorePartitionAsync(Partition,
            new RestorePartitionDescription { BackupId = backup.BackupId, BackupLocation = backup.BackupLocation! }, null, Ct));

        Assert.Equal("FABRIC_E_FAULT_ANALYSIS_SERVICE_NOT_ENABLED", ex.ErrorCode);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"BackupId":"not-a-guid","BackupLocation":"x"}""")]
    [InlineData("""{"BackupId":"1daae3f5-7fd6-42e9-b1ba-8c05f873c34f"}""")]
    public async Task A_restore_without_a_backup_id_and_location_is_400(string body)
    {
        using var raw = _emulator.Raw();
        using var answer = await raw.PostAsync($"/Partitions/{PartitionId}/$/Restore?api-version=6.4", new StringContent(body), Ct);

        Assert.Equal(400, (int)answer.StatusCode);
    }

    [Fact]
    public async Task A_restore_from_a_location_with_no_backup_is_the_real_services_500()
    {
        // RestorePartitionRequestOperation reads the recovery point at BackupLocation; nothing there is an IOException,
        // which BaseController answers as E_UNEXPECTED (HTTP 500).
        using var raw = _emulator.Raw();
        using var answer = await raw.PostAsync($"/Partitions/{PartitionId}/$/Restore?api-version=6.4",
            new StringContent("""{"BackupId":"00000000-0000-4000-8000-000000000000","BackupLocation":"x"}"""), Ct);

        Assert.Equal(500, (int)answer.StatusCode);
        Assert.Contains("E_UNEXPECTED", await answer.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public void The_client_refuses_a_restore_with_no_backup_id_or_location()
    {
        var client = _emulator.Client();
        Assert.Throws<ArgumentException>(() => { _ = client.RestorePartitionAsync(Partition, new RestorePartitionDescription { BackupLocation = "x" }, null, Ct); });
        Assert.Throws<ArgumentException>(() => { _ = client.RestorePartitionAsync(Partition, new RestorePartitionDescription { BackupId = Guid.NewGuid() }, null, Ct); });
    }

    [Fact]
    public async Task Skip_auto_restore_always_goes_with_api_version_9_1()
    {
        var response = await _emulator.Client(configure: o => o.ApiVersion = "6.4").SkipAutoRestoreAsync(Partition, Ct);

        Assert.Equal(202, response.StatusCode);
        Assert.Equal($"/Partitions/{PartitionId}/$/SkipAutoRestore?api-version=9.1", _emulator.LastRequest.RawTarget);
        Assert.True(_emulator.State.Partitions[Partition].SkipAutoRestore);
    }

    [Theory]
    [InlineData("6.4", "6.2-preview", "6.4")]
    [InlineData("6.4", "9.1", "9.1")]
    [InlineData("10.0", "6.4", "10.0")]
    [InlineData("6.2", "6.2-preview", "6.2")]
    public void An_api_version_override_never_goes_below_an_operations_documented_version(string overrideVersion, string documented, string sent)
    {
        var operation = SfOperation.All.First(o => o.DocumentedApiVersion == documented);
        Assert.Equal(sent, new SfConnectionOptions { ApiVersion = overrideVersion }.ApiVersionFor(operation));
    }

    [Fact]
    public void The_operation_catalog_has_every_row_of_the_reference_once()
    {
        // 6 policy, 6 application, 6 service, 11 partition, 1 storage, 4 discovery (with GetServiceName), 1 cluster (Connect-SfCluster -Verify),
        // 2 partition health (report, read).
        Assert.Equal(37, SfOperation.All.Count);
        Assert.Equal(SfOperation.All.Count, SfOperation.All.Select(o => o.Name).Distinct().Count());
        Assert.Equal(SfOperation.All.Count, SfOperation.All.Select(o => o.Method + " " + o.PathTemplate).Distinct().Count());
    }

    [Fact]
    public async Task Applications_services_and_partitions_are_listed_with_what_pipes_on()
    {
        var client = _emulator.Client();

        var apps = await client.GetApplications(maxResults: 1).ReadAllAsync(Ct);
        var services = await client.GetServices("fabric:/CalcApp").ReadAllAsync(Ct);
        var servicesTarget = _emulator.LastRequest.RawTarget;
        var partitions = await client.GetPartitions("CalcApp~CalcService").ReadAllAsync(Ct);
        var partitionsTarget = _emulator.LastRequest.RawTarget;

        Assert.Equal(["fabric:/CalcApp", "fabric:/Inventory"], apps.Select(a => a.ApplicationName));
        Assert.Equal("/Applications/CalcApp/$/GetServices?api-version=6.0", servicesTarget);
        Assert.Equal(["fabric:/CalcApp/CalcService", "fabric:/CalcApp/CalcGateway"], services.Select(s => s.ServiceName));
        Assert.Equal(["Stateful", "Stateless"], services.Select(s => s.ServiceKind));
        Assert.All(services, s => Assert.Equal("fabric:/CalcApp", s.ApplicationName));
        Assert.Equal("/Services/CalcApp~CalcService/$/GetPartitions?api-version=6.0", partitionsTarget);
        Assert.Equal([Partition, Second], partitions.Select(p => p.PartitionId));
        Assert.All(partitions, p => Assert.Equal("fabric:/CalcApp/CalcService", p.ServiceName));
        Assert.All(partitions, p => Assert.True(p.IsStateful));
        Assert.Equal(long.MinValue, partitions[0].PartitionInformation!.LowKey);
        Assert.Equal(-1L, partitions[0].PartitionInformation!.HighKey);
    }

    [Fact]
    public async Task A_stateless_services_partitions_say_so()
    {
        var partition = Assert.Single(await _emulator.Client().GetPartitions("fabric:/CalcApp/CalcGateway").ReadAllAsync(Ct));

        Assert.Equal("Stateless", partition.ServiceKind);
        Assert.False(partition.IsStateful);
        Assert.Equal("Singleton", partition.PartitionInformation!.ServicePartitionKind);
    }

    [Fact]
    public async Task Services_of_an_unknown_application_is_404()
    {
        var ex = await Assert.ThrowsAsync<SfFabricException>(() => _emulator.Client().GetServices("fabric:/Nope").ReadAllAsync(Ct));
        Assert.Equal("FABRIC_E_APPLICATION_NOT_FOUND", ex.ErrorCode);
    }

    [Fact]
    public async Task A_server_that_repeats_a_continuation_token_is_stopped_with_a_clear_error()
    {
        await using var server = await ScriptedServer.AnswerAsync(200, "application/json",
            """{"ContinuationToken":"again:and/again#1","Items":[{"Name":"loop","Schedule":{"ScheduleKind":"FrequencyBased","Interval":"PT1H"}}]}""");
        var pager = new SfBackupClient(server.Connect()).GetBackupPolicies();

        var ex = await Assert.ThrowsAsync<SfPagingException>(() => pager.ReadAllAsync(Ct));

        Assert.Equal("SfRepeatedContinuationToken", ex.ErrorId);
        Assert.Equal(SfErrorKind.ProtocolError, ex.Kind);
        Assert.Contains("again:and/again#1", ex.Message);
        Assert.Equal(2, server.RequestCount);
        Assert.EndsWith("ContinuationToken=again%3Aand%2Fagain%231&api-version=6.4", server.Targets[1]);
    }

    [Fact]
    public async Task A_page_with_no_items_and_no_token_ends_the_list()
    {
        await using var server = await ScriptedServer.AnswerAsync(200, "application/json", """{"Items":[]}""");

        var all = await new SfBackupClient(server.Connect()).GetApplications().ReadAllAsync(Ct);

        Assert.Empty(all);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Partition_keys_sent_as_plain_numbers_read_the_same_as_strings()
    {
        await using var server = await ScriptedServer.AnswerAsync(200, "application/json", """
            {"Items":[{"ServiceKind":"Stateful","PartitionInformation":{"ServicePartitionKind":"Int64Range","Id":"1daae3f5-7fd6-42e9-b1ba-8c05f873994d","LowKey":-9223372036854775808,"HighKey":9223372036854775807}},
                      {"ServiceKind":"Stateful","PartitionInformation":{"ServicePartitionKind":"Named","Id":"5e4a2f31-55a6-4a0e-9a1f-6d4bb2a8c0de","Name":"east"}}]}
            """);

        var partitions = await new SfBackupClient(server.Connect()).GetPartitions("app/svc").ReadAllAsync(Ct);

        Assert.Equal(long.MinValue, partitions[0].PartitionInformation!.LowKey);
        Assert.Equal(long.MaxValue, partitions[0].PartitionInformation!.HighKey);
        Assert.Null(partitions[1].PartitionInformation!.LowKey);
        Assert.Equal("east", partitions[1].PartitionInformation!.Name);
    }

    [Fact]
    public async Task Backups_in_the_6_2_epoch_shape_read_the_same()
    {
        await using var server = await ScriptedServer.AnswerAsync(200, "application/json", """
            {"ContinuationToken":"","Items":[{"BackupId":"3a056ac9-7206-43c3-8424-6f6103003eba","BackupChainId":"3a056ac9-7206-43c3-8424-6f6103003eba",
              "PartitionInformation":{"ServicePartitionKind":"Int64Range","Id":"1daae3f5-7fd6-42e9-b1ba-8c05f873994d"},
              "BackupType":"Full","EpochOfLastBackupRecord":{"DataLossNumber":"131462452931584510","ConfigurationNumber":"8589934592"},
              "LsnOfLastBackupRecord":"261","CreationTimeUtc":"2018-01-01T09:00:55Z"}]}
            """);

        var backup = Assert.Single(await new SfBackupClient(server.Connect()).GetBackups(SfEntity.Partition(Partition)).ReadAllAsync(Ct));

        Assert.Equal(Partition, backup.PartitionId);
        Assert.Equal(131462452931584510L, backup.EpochOfLastBackupRecord!.DataLossNumber);
        Assert.Equal(261L, backup.LsnOfLastBackupRecord);
    }
}

/// <summary>Every operation of the catalog has a route in the emulator, reached at its documented api-version.</summary>
public sealed class EmulatorCoverageTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorFixture _emulator;

    public EmulatorCoverageTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
    }

    public static TheoryData<string> Operations() => new(SfOperation.All.Select(o => o.Name));

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task The_emulator_has_a_route_for(string name)
    {
        var operation = SfOperation.All.Single(o => o.Name == name);
        var path = operation.PathTemplate
            .Replace("{partitionId}", PartitionId)
            .Replace("{serviceId}", "CalcApp~CalcService")
            .Replace("{applicationId}", "CalcApp")
            .Replace("{policyName}", "DailyAzureBackupPolicy");
        using var raw = _emulator.Raw();
        using var request = new HttpRequestMessage(operation.Method, $"{path}?api-version={operation.DocumentedApiVersion}");

        using var answer = await raw.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await answer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        // Without a body some operations answer 400; what must not come back is "no such operation" or a refused api-version.
        Assert.DoesNotContain("\"NotFound\"", body);
        Assert.DoesNotContain("api-version", body);
        Assert.True((int)answer.StatusCode is >= 200 and < 500, $"{name}: HTTP {(int)answer.StatusCode} {body}");
        if (operation.IsPaged && operation.Method == HttpMethod.Get)
        {
            var page = System.Text.Json.Nodes.JsonNode.Parse(body)!.AsObject();
            Assert.True(page.ContainsKey("Items") && page.ContainsKey("ContinuationToken"), $"{name} is paged but answered {body}");
        }
    }
}
