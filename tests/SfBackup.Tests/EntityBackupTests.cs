using SfBackup.Client.Models;
using SfBackup.Client.Operations;
using SfBackup.Client.Transport;
using SfBackup.Emulator;
using SfBackup.Tests.Infrastructure;
using static SfBackup.Tests.Infrastructure.JsonAssert;
using static SfBackup.Tests.SeedExamples;

namespace SfBackup.Tests;

/// <summary>Enable, disable, suspend, resume, configuration and backup lists at application, service and partition level.</summary>
public sealed class EntityBackupTests : IClassFixture<EmulatorFixture>
{
    private static readonly Guid Stock1 = Guid.Parse("a1b2c3d4-0001-4000-8000-000000000001");
    private readonly EmulatorFixture _emulator;

    public EntityBackupTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Inventory has no backup yet: a clean place for every level.</summary>
    public static TheoryData<string, string> Levels() => new()
    {
        { "Application", "/Applications/Inventory" },
        { "Service", "/Services/Inventory~Stock" },
        { "Partition", $"/Partitions/{Stock1}" },
    };

    private static SfEntity Entity(string level) => level switch
    {
        "Application" => SfEntity.Application("fabric:/Inventory"),
        "Service" => SfEntity.Service("fabric:/Inventory/Stock"),
        _ => SfEntity.Partition(Stock1),
    };

    private BackupScope Scope(string level) => level switch
    {
        "Application" => _emulator.State.Applications["Inventory"],
        "Service" => _emulator.State.Services["Inventory~Stock"],
        _ => _emulator.State.Partitions[Stock1],
    };

    [Theory]
    [MemberData(nameof(Levels))]
    public async Task Enable_suspend_resume_disable_go_to_the_right_path_and_change_state(string level, string path)
    {
        var client = _emulator.Client();
        var entity = Entity(level);

        await client.EnableBackupAsync(entity, "DailyAzureBackupPolicy", Ct);
        Assert.Equal("DailyAzureBackupPolicy", Scope(level).PolicyName);
        await client.SuspendBackupAsync(entity, Ct);
        Assert.True(Scope(level).Suspended);
        await client.ResumeBackupAsync(entity, Ct);
        Assert.False(Scope(level).Suspended);
        await client.DisableBackupAsync(entity, false, Ct);
        Assert.Null(Scope(level).PolicyName);

        var version = level == "Application" ? "6.4" : "6.2-preview";
        var enableVersion = level == "Partition" ? "6.2-preview" : "6.4";
        Assert.Equal(
            [$"{path}/$/EnableBackup?api-version={enableVersion}", $"{path}/$/SuspendBackup?api-version=6.4", $"{path}/$/ResumeBackup?api-version={version}", $"{path}/$/DisableBackup?api-version=6.4"],
            _emulator.Journal.Snapshot().Select(e => e.RawTarget));
        AssertJsonEqual("""{"CleanBackup":false}""", _emulator.LastRequest.Body);
        Assert.All(_emulator.Journal.Snapshot(), e => Assert.Equal(202, e.Status));
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public async Task Suspend_where_no_policy_applies_is_404_not_enabled(string level, string path)
    {
        var ex = await Assert.ThrowsAsync<SfFabricException>(() => _emulator.Client().SuspendBackupAsync(Entity(level), Ct));

        Assert.Equal("FABRIC_E_BACKUP_NOT_ENABLED", ex.ErrorCode);
        Assert.StartsWith(path, _emulator.LastRequest.RawTarget);
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public async Task Disable_where_not_enabled_at_that_level_is_404_not_enabled(string level, string path)
    {
        var ex = await Assert.ThrowsAsync<SfFabricException>(() => _emulator.Client().DisableBackupAsync(Entity(level), true, Ct));

        Assert.Equal("FABRIC_E_BACKUP_NOT_ENABLED", ex.ErrorCode);
        Assert.Equal(SfErrorKind.NotFound, ex.Kind);
        Assert.StartsWith(path + "/$/DisableBackup", _emulator.LastRequest.RawTarget);
    }

    [Fact]
    public async Task Suspending_twice_is_accepted_twice()
    {
        // SuspendBackupOperation records the suspension with AddOrUpdate: a second one changes nothing and is no error.
        var client = _emulator.Client();
        await client.SuspendBackupAsync(SfEntity.Application("CalcApp"), Ct);

        var again = await client.SuspendBackupAsync(SfEntity.Application("CalcApp"), Ct);

        Assert.Equal(202, again.StatusCode);
        Assert.True(_emulator.State.Applications["CalcApp"].Suspended);
    }

    [Fact]
    public async Task An_unknown_application_is_404_application_not_found()
    {
        var ex = await Assert.ThrowsAsync<SfFabricException>(() => _emulator.Client().EnableBackupAsync(SfEntity.Application("fabric:/Nope"), "DailyAzureBackupPolicy", Ct));

        Assert.Equal(404, ex.StatusCode);
        Assert.Equal("FABRIC_E_APPLICATION_NOT_FOUND", ex.ErrorCode);
    }

    [Fact]
    public async Task Disable_with_clean_backup_deletes_the_backups_that_lose_their_policy()
    {
        Assert.Equal(3, _emulator.State.Partitions[Partition].Backups.Count);

        await _emulator.Client().DisableBackupAsync(SfEntity.Application("fabric:/CalcApp"), true, Ct);

        AssertJsonEqual("""{"CleanBackup":true}""", _emulator.LastRequest.Body);
        Assert.Empty(_emulator.State.Partitions[Partition].Backups);
    }

    [Fact]
    public async Task Partition_configuration_is_one_object_naming_where_policy_and_suspension_come_from()
    {
        var pager = _emulator.Client().GetBackupConfiguration(SfEntity.Partition(Partition));
        var config = Assert.Single(await pager.ReadAllAsync(Ct));

        Assert.Equal($"/Partitions/{PartitionId}/$/GetBackupConfigurationInfo?api-version=6.4", _emulator.LastRequest.RawTarget);
        Assert.Equal(BackupEntityKind.Partition, config.Kind);
        Assert.Equal("DailyAzureBackupPolicy", config.PolicyName);
        Assert.Equal(BackupEntityKind.Application, config.PolicyInheritedFrom);
        Assert.True(config.IsSuspended);
        Assert.Equal(BackupEntityKind.Partition, config.SuspensionInfo!.SuspensionInheritedFrom);
        Assert.Equal(Partition, config.PartitionId);
        Assert.Equal("fabric:/CalcApp/CalcService", config.ServiceName);
    }

    [Fact]
    public async Task Application_configuration_pages_through_itself_and_what_under_it_has_its_own_settings()
    {
        var pager = _emulator.Client().GetBackupConfiguration(SfEntity.Application("fabric:/CalcApp"));
        var all = await pager.ReadAllAsync(Ct);

        Assert.Equal([BackupEntityKind.Application, BackupEntityKind.Service, BackupEntityKind.Partition], all.Select(c => c.Kind));
        Assert.Equal(2, pager.PagesRead);
        Assert.Equal("fabric:/CalcApp", all[0].ApplicationName);
        Assert.Equal(BackupEntityKind.Service, all[1].SuspensionInfo!.SuspensionInheritedFrom);
    }

    [Fact]
    public async Task Partition_backups_list_in_time_order_across_pages()
    {
        var backups = await _emulator.Client().GetBackups(SfEntity.Partition(Partition)).ReadAllAsync(Ct);

        Assert.Equal(3, backups.Count);
        Assert.Equal(["Full", "Incremental", "Incremental"], backups.Select(b => b.BackupType));
        Assert.All(backups, b => Assert.Equal(Partition, b.PartitionId));
        Assert.All(backups, b => Assert.Equal(backups[0].BackupChainId, b.BackupChainId));
        Assert.Equal(backups.Select(b => b.CreationTimeUtc).Order(), backups.Select(b => b.CreationTimeUtc));
        Assert.Equal(3000L, backups[2].LsnOfLastBackupRecord);
        Assert.Equal(131462452931584510L, backups[0].EpochOfLastBackupRecord!.DataLossNumber);
    }

    [Fact]
    public async Task Latest_and_date_filters_are_sent_as_the_reference_names_them()
    {
        var filter = new BackupListFilter
        {
            StartDateTimeUtc = new DateTime(2026, 1, 11, 0, 0, 0, DateTimeKind.Utc),
            EndDateTimeUtc = new DateTime(2026, 1, 12, 12, 0, 0, DateTimeKind.Utc),
        };
        var client = _emulator.Client();

        var ranged = await client.GetBackups(SfEntity.Service("CalcApp/CalcService"), filter).ReadAllAsync(Ct);
        var rangedTarget = _emulator.LastRequest.RawTarget;
        var latest = await client.GetBackups(SfEntity.Application("CalcApp"), new BackupListFilter { Latest = true }).ReadAllAsync(Ct);

        Assert.Equal("/Services/CalcApp~CalcService/$/GetBackups?StartDateTimeFilter=2026-01-11T00%3A00%3A00Z&EndDateTimeFilter=2026-01-12T12%3A00%3A00Z&api-version=6.4", rangedTarget);
        Assert.Equal(2, ranged.Count);
        Assert.Equal("/Applications/CalcApp/$/GetBackups?Latest=true&api-version=6.4", _emulator.LastRequest.RawTarget);
        var only = Assert.Single(latest);
        Assert.Equal(new DateTime(2026, 1, 12, 1, 0, 0, DateTimeKind.Utc), only.CreationTimeUtc);
    }

    [Fact]
    public async Task A_bad_date_filter_is_400()
    {
        using var raw = _emulator.Raw();
        var answer = await raw.GetAsync($"/Partitions/{PartitionId}/$/GetBackups?api-version=6.4&StartDateTimeFilter=yesterday", Ct);

        Assert.Equal(400, (int)answer.StatusCode);
    }

    [Fact]
    public async Task Backups_in_a_storage_location_are_found_by_storage_and_narrowed_by_entity()
    {
        var storage = new AzureBlobBackupStorage(SecretText.FromPlain("DefaultEndpointsProtocol=https;AccountName=x;AccountKey=y"), "BackupContainer");
        var client = _emulator.Client();

        var all = await client.GetBackupsFromStorage(new GetBackupByStorageQueryDescription { Storage = storage }).ReadAllAsync(Ct);
        var body = _emulator.LastRequest.Body;
        var narrowed = await client.GetBackupsFromStorage(new GetBackupByStorageQueryDescription
        {
            Storage = storage, Latest = true, BackupEntity = SfEntity.Partition(Partition).ToBackupEntity(),
        }).ReadAllAsync(Ct);
        var elsewhere = await client.GetBackupsFromStorage(new GetBackupByStorageQueryDescription
        {
            Storage = new FileShareBackupStorage(@"\\other\share"),
        }).ReadAllAsync(Ct);

        Assert.Equal("POST", _emulator.LastRequest.Method);
        Assert.StartsWith("/BackupRestore/$/GetBackups?", _emulator.LastRequest.RawTarget);
        Assert.Equal(3, all.Count);
        AssertJsonEqual("""{"Latest":false,"Storage":{"StorageKind":"AzureBlobStore","ConnectionString":"DefaultEndpointsProtocol=https;AccountName=x;AccountKey=y","ContainerName":"BackupContainer"}}""", body);
        Assert.Single(narrowed);
        Assert.Empty(elsewhere);
    }

    [Fact]
    public async Task A_backup_run_that_succeeds_is_listed_as_an_incremental_in_the_chain()
    {
        var client = _emulator.Client();
        await client.BackupPartitionAsync(Partition, null, null, Ct);
        _emulator.Clock.Advance(TimeSpan.FromSeconds(10));

        var backups = await client.GetBackups(SfEntity.Partition(Partition)).ReadAllAsync(Ct);

        Assert.Equal(4, backups.Count);
        Assert.Equal("Incremental", backups[3].BackupType);
        Assert.Equal(backups[0].BackupChainId, backups[3].BackupChainId);
        Assert.Equal(3250L, backups[3].LsnOfLastBackupRecord);
    }

    [Fact]
    public async Task A_backup_to_another_storage_starts_a_new_chain_with_a_full_backup()
    {
        var client = _emulator.Client();
        await client.BackupPartitionAsync(Partition, new FileShareBackupStorage(@"\\nas\adhoc"), null, Ct);
        _emulator.Clock.Advance(TimeSpan.FromSeconds(10));

        var last = (await client.GetBackups(SfEntity.Partition(Partition)).ReadAllAsync(Ct)).Last();

        Assert.Equal("Full", last.BackupType);
        Assert.Equal(last.BackupId, last.BackupChainId);
    }
}
