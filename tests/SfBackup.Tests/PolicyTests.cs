using SfBackup.Client.Models;
using SfBackup.Client.Operations;
using SfBackup.Client.Transport;
using SfBackup.Tests.Infrastructure;
using static SfBackup.Tests.Infrastructure.JsonAssert;

namespace SfBackup.Tests;

/// <summary>Backup policies against the emulator: every operation's request and answer, and its errors.</summary>
public sealed class PolicyTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorFixture _emulator;

    public PolicyTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static BackupPolicy Hourly(string name) => new()
    {
        Name = name,
        MaxIncrementalBackups = 5,
        Schedule = new FrequencyBackupSchedule(TimeSpan.FromHours(4)),
        Storage = new AzureBlobBackupStorage(SecretText.FromPlain("DefaultEndpointsProtocol=https;AccountName=a;AccountKey=k1"), "nightly"),
        RetentionPolicy = new BasicRetentionPolicy(TimeSpan.FromDays(30), 10),
    };

    [Fact]
    public async Task Create_sends_the_description_with_iso_durations_and_gets_201()
    {
        var response = await _emulator.Client().CreateBackupPolicyAsync(Hourly("hourly"), cancellationToken: Ct);

        Assert.Equal(201, response.StatusCode);
        Assert.Equal("POST", _emulator.LastRequest.Method);
        Assert.Equal("/BackupRestore/BackupPolicies/$/Create?api-version=6.4", _emulator.LastRequest.RawTarget);
        AssertJsonEqual("""
            {"Name":"hourly","AutoRestoreOnDataLoss":false,"MaxIncrementalBackups":5,
             "Schedule":{"ScheduleKind":"FrequencyBased","Interval":"PT4H"},
             "Storage":{"StorageKind":"AzureBlobStore","ConnectionString":"DefaultEndpointsProtocol=https;AccountName=a;AccountKey=k1","ContainerName":"nightly"},
             "RetentionPolicy":{"RetentionPolicyType":"Basic","MinimumNumberOfBackups":10,"RetentionDuration":"P30D"}}
            """, _emulator.LastRequest.Body);
    }

    [Fact]
    public async Task Create_with_validate_connection_adds_the_query_parameter()
    {
        await _emulator.Client().CreateBackupPolicyAsync(Hourly("checked"), validateConnection: true, Ct);

        Assert.Equal("/BackupRestore/BackupPolicies/$/Create?ValidateConnection=true&api-version=6.4", _emulator.LastRequest.RawTarget);
    }

    [Fact]
    public async Task A_weekly_schedule_round_trips_through_the_cluster()
    {
        var policy = Hourly("weekly");
        policy.Schedule = new TimeBackupSchedule(BackupScheduleFrequency.Weekly,
            [new TimeSpan(21, 30, 0), new TimeSpan(9, 0, 0)], [DayOfWeek.Saturday, DayOfWeek.Monday]);
        var client = _emulator.Client();

        await client.CreateBackupPolicyAsync(policy, cancellationToken: Ct);
        var back = await client.GetBackupPolicyAsync("weekly", Ct);

        AssertJsonEqual("""{"ScheduleKind":"TimeBased","ScheduleFrequencyType":"Weekly","RunDays":["Monday","Saturday"],"RunTimes":["0001-01-01T09:00:00Z","0001-01-01T21:30:00Z"]}""",
            System.Text.Json.Nodes.JsonNode.Parse(_emulator.Journal.Snapshot()[0].Body)!["Schedule"]!.ToJsonString());
        var schedule = Assert.IsType<TimeBackupSchedule>(back.Schedule);
        Assert.Equal(BackupScheduleFrequency.Weekly, schedule.Frequency);
        Assert.Equal([BackupRunDay.Monday, BackupRunDay.Saturday], schedule.RunDays);
        Assert.Equal([new TimeSpan(9, 0, 0), new TimeSpan(21, 30, 0)], schedule.RunTimes);
    }

    [Fact]
    public async Task A_policy_reads_back_with_its_secret_masked_and_durations_as_timespans()
    {
        var client = _emulator.Client();
        await client.CreateBackupPolicyAsync(Hourly("hourly"), cancellationToken: Ct);

        var policy = await client.GetBackupPolicyAsync("hourly", Ct);

        Assert.Equal("/BackupRestore/BackupPolicies/hourly?api-version=6.4", _emulator.LastRequest.RawTarget);
        Assert.Equal(TimeSpan.FromHours(4), Assert.IsType<FrequencyBackupSchedule>(policy.Schedule).Interval);
        var retention = Assert.IsType<BasicRetentionPolicy>(policy.RetentionPolicy);
        Assert.Equal(TimeSpan.FromDays(30), retention.RetentionDuration);
        Assert.Equal(10, retention.MinimumNumberOfBackups);
        Assert.True(policy.Storage!.HasMaskedSecret);
        Assert.DoesNotContain("k1", _emulator.Journal.Snapshot().Last().Body);
    }

    [Fact]
    public async Task Creating_a_policy_twice_is_409_already_existing()
    {
        var client = _emulator.Client();
        await client.CreateBackupPolicyAsync(Hourly("twice"), cancellationToken: Ct);

        var ex = await Assert.ThrowsAsync<SfFabricException>(() => client.CreateBackupPolicyAsync(Hourly("twice"), cancellationToken: Ct));

        Assert.Equal(409, ex.StatusCode);
        Assert.Equal("FABRIC_E_BACKUP_POLICY_ALREADY_EXISTS", ex.ErrorCode);
        Assert.Equal(SfErrorKind.Busy, ex.Kind);
    }

    [Theory]
    [InlineData("get")]
    [InlineData("update")]
    [InlineData("delete")]
    [InlineData("entities")]
    public async Task An_unknown_policy_is_404_for_every_operation(string operation)
    {
        var client = _emulator.Client();
        Task call = operation switch
        {
            "get" => client.GetBackupPolicyAsync("nope", Ct),
            "update" => client.UpdateBackupPolicyAsync(Hourly("nope"), cancellationToken: Ct),
            "delete" => client.DeleteBackupPolicyAsync("nope", Ct),
            _ => client.GetBackupPolicyEntities("nope").ReadAllAsync(Ct),
        };

        var ex = await Assert.ThrowsAsync<SfFabricException>(() => call);

        Assert.Equal("FABRIC_E_BACKUP_POLICY_DOES_NOT_EXIST", ex.ErrorCode);
        Assert.Equal(SfErrorKind.NotFound, ex.Kind);
    }

    [Fact]
    public async Task Update_replaces_the_description()
    {
        var client = _emulator.Client();
        await client.CreateBackupPolicyAsync(Hourly("changing"), cancellationToken: Ct);
        var changed = Hourly("changing");
        changed.Schedule = new FrequencyBackupSchedule(TimeSpan.FromMinutes(90));

        var response = await client.UpdateBackupPolicyAsync(changed, cancellationToken: Ct);
        var back = await client.GetBackupPolicyAsync("changing", Ct);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("/BackupRestore/BackupPolicies/changing/$/Update?api-version=6.4", _emulator.Journal.Snapshot()[^2].RawTarget);
        Assert.Equal(TimeSpan.FromMinutes(90), Assert.IsType<FrequencyBackupSchedule>(back.Schedule).Interval);
    }

    [Fact]
    public async Task Delete_removes_an_unused_policy_and_refuses_one_in_use()
    {
        var client = _emulator.Client();
        await client.CreateBackupPolicyAsync(Hourly("unused"), cancellationToken: Ct);

        await client.DeleteBackupPolicyAsync("unused", Ct);
        var inUse = await Assert.ThrowsAsync<SfFabricException>(() => client.DeleteBackupPolicyAsync("DailyAzureBackupPolicy", Ct));

        Assert.Equal("/BackupRestore/BackupPolicies/unused/$/Delete?api-version=6.4", _emulator.Journal.Snapshot()[1].RawTarget);
        Assert.DoesNotContain("unused", _emulator.State.Policies.Keys);
        Assert.Equal(400, inUse.StatusCode);
        Assert.Equal("FABRIC_E_BACKUP_IS_ENABLED", inUse.ErrorCode);
    }

    [Fact]
    public async Task Listing_follows_url_encoded_continuation_tokens_across_pages()
    {
        var client = _emulator.Client();
        for (var i = 0; i < 5; i++) await client.CreateBackupPolicyAsync(Hourly($"p{i}"), cancellationToken: Ct);
        _emulator.Journal.Clear();

        var pager = client.GetBackupPolicies();
        var all = await pager.ReadAllAsync(Ct);

        Assert.Equal(7, all.Count);
        Assert.Equal(["DailyAzureBackupPolicy", "HourlyFileShareBackupPolicy", "p0", "p1", "p2", "p3", "p4"], all.Select(p => p.Name));
        Assert.Equal(4, pager.PagesRead);
        var targets = _emulator.Journal.Snapshot().Select(e => e.RawTarget).ToList();
        Assert.Equal("/BackupRestore/BackupPolicies?api-version=6.4", targets[0]);
        // A policy list's token is the last name of the page before (the backup lists' tokens hold '+' and ' ': FidelityTests).
        Assert.Equal(["HourlyFileShareBackupPolicy", "p1", "p3"],
            targets.Skip(1).Select(t => Uri.UnescapeDataString(System.Text.RegularExpressions.Regex.Match(t, @"\?ContinuationToken=([^&]+)&api-version=6\.4$").Groups[1].Value)));
    }

    [Fact]
    public async Task MaxResults_is_sent_and_sets_the_page_size()
    {
        var client = _emulator.Client();
        for (var i = 0; i < 3; i++) await client.CreateBackupPolicyAsync(Hourly($"m{i}"), cancellationToken: Ct);

        var pager = client.GetBackupPolicies(maxResults: 4);
        var first = await pager.NextPageAsync(Ct);

        Assert.Equal(4, first.Count);
        Assert.True(pager.HasMore);
        Assert.EndsWith("MaxResults=4&api-version=6.4", _emulator.LastRequest.RawTarget);
    }

    [Fact]
    public async Task Entities_of_a_policy_are_every_level_it_is_enabled_at()
    {
        var client = _emulator.Client();
        await client.EnablePartitionBackupAsync(Guid.Parse("a1b2c3d4-0001-4000-8000-000000000001"), "DailyAzureBackupPolicy", Ct);
        await client.EnableBackupAsync(SfEntity.Service("fabric:/Inventory/Stock"), "DailyAzureBackupPolicy", Ct);

        var entities = await client.GetBackupPolicyEntities("DailyAzureBackupPolicy").ReadAllAsync(Ct);

        Assert.Equal("/BackupRestore/BackupPolicies/DailyAzureBackupPolicy/$/GetBackupEnabledEntities?api-version=6.4", _emulator.Journal.Snapshot()[2].RawTarget);
        Assert.Equal([BackupEntityKind.Application, BackupEntityKind.Service, BackupEntityKind.Partition], entities.Select(e => e.EntityKind));
        Assert.Equal("fabric:/CalcApp", entities[0].ApplicationName);
        Assert.Equal("fabric:/Inventory/Stock", entities[1].ServiceName);
        Assert.Equal(Guid.Parse("a1b2c3d4-0001-4000-8000-000000000001"), entities[2].PartitionId);
    }

    [Theory]
    [InlineData("""{"Name":"x","Schedule":{"ScheduleKind":"FrequencyBased","Interval":"ten minutes"},"Storage":{"StorageKind":"FileShare","Path":"\\\\s\\b"}}""")]
    [InlineData("""{"Name":"x","Schedule":{"ScheduleKind":"TimeBased","ScheduleFrequencyType":"Weekly","RunTimes":["0001-01-01T09:00:00Z"]},"Storage":{"StorageKind":"FileShare","Path":"\\\\s\\b"}}""")]
    [InlineData("""{"Name":"x","Schedule":{"ScheduleKind":"FrequencyBased","Interval":"PT1H"}}""")]
    [InlineData("""{"Name":"x","MaxIncrementalBackups":300,"Schedule":{"ScheduleKind":"FrequencyBased","Interval":"PT1H"},"Storage":{"StorageKind":"FileShare","Path":"\\\\s\\b"}}""")]
    [InlineData("""{"Schedule":{"ScheduleKind":"FrequencyBased","Interval":"PT1H"},"Storage":{"StorageKind":"FileShare","Path":"\\\\s\\b"}}""")]
    public async Task The_emulator_refuses_malformed_policies_with_400(string body)
    {
        using var raw = _emulator.Raw();
        using var answer = await raw.PostAsync("/BackupRestore/BackupPolicies/$/Create?api-version=6.4", new StringContent(body), Ct);

        Assert.Equal(400, (int)answer.StatusCode);
        Assert.Contains("E_INVALIDARG", await answer.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public void The_client_refuses_a_policy_it_knows_the_cluster_would_refuse()
    {
        var client = _emulator.Client();
        var noSchedule = Hourly("x");
        noSchedule.Schedule = null;
        var tooMany = Hourly("x");
        tooMany.MaxIncrementalBackups = 256;

        Assert.Throws<ArgumentException>(() => { _ = client.CreateBackupPolicyAsync(noSchedule, cancellationToken: Ct); });
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = client.CreateBackupPolicyAsync(tooMany, cancellationToken: Ct); });
        Assert.Empty(_emulator.Journal.Snapshot());
    }
}
