using System.Text.Json;
using SfBackup.Client.Models;
using SfBackup.Tests.Infrastructure;

namespace SfBackup.Tests;

/// <summary>Reading every shape clusters send, and writing storage without leaking secrets.</summary>
public sealed class ModelTests
{
    private static RestoreProgressInfo Read(string json) =>
        JsonSerializer.Deserialize(json, SfJsonContext.Default.RestoreProgressInfo)!;

    [Theory]
    [InlineData("""{"RestoreState":"Success","RestoredEpoch":{"DataLossNumber":"131462452931584510","ConfigurationNumber":"8589934592"},"RestoredLsn":"261"}""")]
    [InlineData("""{"RestoreState":"Success","RestoredEpoch":{"DataLossVersion":"131462452931584510","ConfigurationVersion":"8589934592"},"RestoredLsn":"261"}""")]
    [InlineData("""{"RestoreState":"Success","RestoredEpoch":{"DataLossVersion":131462452931584510,"ConfigurationVersion":8589934592},"RestoredLsn":261}""")]
    [InlineData("""{"restoreState":"success","restoredEpoch":{"configurationnumber":8589934592,"datalossnumber":"131462452931584510"},"restoredLsn":"261"}""")]
    public void Both_epoch_shapes_and_both_number_forms_read_the_same(string json)
    {
        var info = Read(json);

        Assert.Equal(RestoreState.Success, info.RestoreState);
        Assert.Equal(131462452931584510L, info.RestoredEpoch!.DataLossNumber);
        Assert.Equal(8589934592L, info.RestoredEpoch.ConfigurationNumber);
        Assert.Equal(261L, info.RestoredLsn);
    }

    [Fact]
    public void Prepare_readies_every_answer_type_it_names_and_leaves_the_reading_as_it_was()
    {
        // Connect-SfCluster's warm-up: a type it cannot read from its sample would silently stay cold.
        Assert.Empty(SfJsonContext.Prepare());
        Assert.Empty(SfJsonContext.Prepare());
        // Reading afterwards is unchanged (the samples leave nothing behind in the shared metadata).
        Assert.Equal(RestoreState.Success, Read("""{"RestoreState":"Success","RestoredLsn":"7"}""").RestoreState);
    }

    [Fact]
    public void Every_enum_a_result_shows_is_based_on_long_so_that_ConvertTo_Json_writes_its_name()
    {
        var assembly = typeof(BackupPolicy).Assembly;
        var types = assembly.GetExportedTypes();
        var enums = types.Where(t => t.IsEnum).ToList();
        Assert.Contains(typeof(RestoreState), enums);
        Assert.All(enums, e => Assert.True(Enum.GetUnderlyingType(e) == typeof(long), $"{e.Name} is based on {Enum.GetUnderlyingType(e).Name}"));
        // An enum of another assembly on a result (DayOfWeek, say) is written as a number: none may show.
        var foreign = types
            .SelectMany(t => t.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.DeclaredOnly),
                (t, p) => (Shown: $"{t.Name}.{p.Name}", Type: ItemType(p.PropertyType)))
            .Where(p => p.Type.IsEnum && p.Type.Assembly != assembly)
            .Select(p => p.Shown);
        Assert.Empty(foreign);
    }

    /// <summary>The type a property shows: T of T?, T[] or a sequence of T, or the type itself.</summary>
    private static Type ItemType(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } inner) return inner;
        if (type.IsArray) return ItemType(type.GetElementType()!);
        var sequence = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return sequence is not null && type != typeof(string) ? ItemType(sequence.GetGenericArguments()[0]) : type;
    }

    [Fact]
    public void A_large_lsn_sent_as_a_plain_number_keeps_every_digit()
    {
        Assert.Equal(9007199254740993L, Read("""{"RestoreState":"Success","RestoredLsn":9007199254740993}""").RestoredLsn);
    }

    [Fact]
    public void An_in_progress_answer_with_only_the_state_reads_with_nulls()
    {
        var info = Read("""{"RestoreState":"RestoreInProgress","TimeStampUtc":"0001-01-01T00:00:00Z"}""");

        Assert.Equal(RestoreState.RestoreInProgress, info.RestoreState);
        Assert.Null(info.TimeStampUtc);
        Assert.Null(info.RestoredEpoch);
        Assert.Null(info.RestoredLsn);
        Assert.Null(info.FailureError);
    }

    [Theory]
    [InlineData("2018-01-01T09:00:55Z")]
    [InlineData("2018-01-01T09:00:55")]
    [InlineData("2018-01-01T10:00:55+01:00")]
    [InlineData("2018-01-01T09:00:55.000Z")]
    public void Timestamps_with_or_without_a_zone_read_as_utc(string stamp)
    {
        var info = Read($$"""{"RestoreState":"Success","TimeStampUtc":"{{stamp}}"}""");

        Assert.Equal(new DateTime(2018, 1, 1, 9, 0, 55, DateTimeKind.Utc), info.TimeStampUtc);
        Assert.Equal(DateTimeKind.Utc, info.TimeStampUtc!.Value.Kind);
    }

    [Theory]
    [InlineData("\"Timeout\"", RestoreState.Timeout)]
    [InlineData("\"failure\"", RestoreState.Failure)]
    [InlineData("3", RestoreState.Success)]
    [InlineData("\"SomethingNew\"", RestoreState.Invalid)]
    [InlineData("null", RestoreState.Invalid)]
    public void Restore_state_reads_by_name_any_case_or_number_and_unknown_names_do_not_fail(string raw, RestoreState expected) =>
        Assert.Equal(expected, Read($$"""{"RestoreState":{{raw}}}""").RestoreState);

    [Fact]
    public void A_failure_answer_keeps_the_failure_error()
    {
        var info = Read("""{"RestoreState":"Failure","FailureError":{"Code":"FABRIC_E_RESTORE_SOURCE_TARGET_PARTITION_MISMATCH","Message":"wrong partition"},"Extra":{"x":1}}""");

        Assert.Equal(RestoreState.Failure, info.RestoreState);
        Assert.Equal("FABRIC_E_RESTORE_SOURCE_TARGET_PARTITION_MISMATCH", info.FailureError!.Code);
        Assert.Equal("wrong partition", info.FailureError.Message);
    }

    [Theory]
    [InlineData("""{"RestoreState":"Success","RestoredLsn":"two hundred"}""")]
    [InlineData("""{"RestoreState":"Success","RestoredLsn":1.5}""")]
    [InlineData("""{"RestoreState":"Success","TimeStampUtc":"yesterday"}""")]
    public void Garbage_in_a_number_or_date_is_an_error_not_a_silent_zero(string json) =>
        Assert.Throws<JsonException>(() => Read(json));

    [Fact]
    public void Storage_reads_its_kind_wherever_it_stands_and_in_any_case()
    {
        var storage = JsonSerializer.Deserialize(
            """{"ContainerName":"c1","FriendlyName":"main","connectionString":"****","storageKind":"azureblobstore"}""",
            SfJsonContext.Default.BackupStorage);

        var blob = Assert.IsType<AzureBlobBackupStorage>(storage);
        Assert.Equal("c1", blob.ContainerName);
        Assert.Equal("main", blob.FriendlyName);
    }

    [Fact]
    public void An_unknown_storage_kind_reads_without_failing_but_cannot_be_sent()
    {
        var storage = JsonSerializer.Deserialize("""{"StorageKind":"QuantumTape","Reel":"7"}""", SfJsonContext.Default.BackupStorage);

        var unknown = Assert.IsType<UnknownBackupStorage>(storage);
        Assert.Equal("QuantumTape", unknown.KindName);
        Assert.Throws<ArgumentException>(() => Client.Operations.SfBackupClient.BackupPartitionRequest(SeedExamples.Partition, unknown, null));
    }

    [Theory]
    [InlineData("AzureBlobStore")]
    [InlineData("ManagedIdentityAzureBlobStore")]
    [InlineData("FileShare")]
    [InlineData("DsmsAzureBlobStore")]
    public void Every_storage_kind_survives_a_round_trip(string kind)
    {
        var (_, body, make) = SeedExamples.BackupExamples().Single(e => e.Body.Contains($"\"{kind}\""));
        var original = make()!;
        original.FriendlyName = "round-trip";

        var json = JsonSerializer.Serialize(original, SfJsonContext.Default.BackupStorage);
        var back = JsonSerializer.Deserialize(json, SfJsonContext.Default.BackupStorage)!;

        Assert.Equal(original.StorageKind, back.StorageKind);
        Assert.Equal("round-trip", back.FriendlyName);
        Assert.Equal(original.ToString(), back.ToString());
        JsonAssert.AssertJsonEqual(json, JsonSerializer.Serialize(back, SfJsonContext.Default.BackupStorage));
    }

    [Fact]
    public void Storage_text_never_shows_a_secret()
    {
        var blob = new AzureBlobBackupStorage(SecretText.FromPlain(SeedExamples.AzureConnectionString), "BackupContainer") { FriendlyName = "nightly" };
        var share = new FileShareBackupStorage(@"\\myshare\backupshare")
        {
            PrimaryUserName = @"mydomain\backupaccount", PrimaryPassword = SecretText.FromPlain(SeedExamples.FileSharePassword),
            SecondaryUserName = "other", SecondaryPassword = SecretText.FromPlain("zyxw9876"),
        };

        Assert.DoesNotContain("AccountKey", blob.ToString());
        Assert.Contains("BackupContainer", blob.ToString());
        Assert.Contains("nightly", blob.ToString());
        Assert.DoesNotContain(SeedExamples.FileSharePassword, share.ToString());
        Assert.DoesNotContain("zyxw9876", share.ToString());
        Assert.Contains(@"mydomain\backupaccount", share.ToString());
    }

    [Fact]
    public void Storage_constructors_refuse_empty_required_fields()
    {
        Assert.Throws<ArgumentException>(() => new AzureBlobBackupStorage(SecretText.FromPlain("x"), " "));
        Assert.Throws<ArgumentException>(() => new FileShareBackupStorage(""));
        Assert.Throws<ArgumentException>(() => new DsmsAzureBlobBackupStorage("loc", ""));
        Assert.Throws<ArgumentNullException>(() => new ManagedIdentityAzureBlobBackupStorage(null!, "c", ManagedIdentityType.VMSS));
    }

    [Fact]
    public void Backup_request_validates_its_timeout_range()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Client.Operations.SfBackupClient.BackupPartitionRequest(SeedExamples.Partition, null, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Client.Operations.SfBackupClient.BackupPartitionRequest(SeedExamples.Partition, null, 24 * 60 + 1));
    }
}
