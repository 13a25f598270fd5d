using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace SfBackup.Client.Models
{
    /// <summary>Int64 that clusters send as a JSON string ("261") or as a number (54719); null stays null.</summary>
    public sealed class FlexibleInt64Converter : JsonConverter<long?>
    {
        public override bool HandleNull => true;

        public override long? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadInt64(ref reader);

        public override void Write(Utf8JsonWriter writer, long? value, JsonSerializerOptions options)
        {
            if (value.HasValue) writer.WriteStringValue(value.Value.ToString(CultureInfo.InvariantCulture));
            else writer.WriteNullValue();
        }

        internal static long? ReadInt64(ref Utf8JsonReader reader)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.Null:
                    return null;
                case JsonTokenType.Number:
                    if (reader.TryGetInt64(out var n)) return n;
                    break;
                case JsonTokenType.String:
                    // Most answers: plain digits, read in place without a string.
                    if (!reader.HasValueSequence && !reader.ValueIsEscaped
                        && System.Buffers.Text.Utf8Parser.TryParse(reader.ValueSpan, out long direct, out var consumed) && consumed == reader.ValueSpan.Length)
                        return direct;
                    var text = reader.GetString();
                    if (string.IsNullOrWhiteSpace(text)) return null;
                    if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)) return parsed;
                    break;
            }
            throw new JsonException($"Expected a 64-bit integer (string or number), found {reader.TokenType}.");
        }
    }

    /// <summary>
    /// Date-times as clusters send them: with or without 'Z' (taken as UTC). 0001-01-01T00:00:00Z means "not set"
    /// and reads as null.
    /// </summary>
    public sealed class SfDateTimeConverter : JsonConverter<DateTime?>
    {
        public override bool HandleNull => true;

        public override DateTime? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Null) return null;
            if (reader.TokenType != JsonTokenType.String) throw new JsonException($"Expected a date-time string, found {reader.TokenType}.");
            // ISO 8601, as clusters send it, read in place: without an offset it is UTC, as below; with one, it
            // comes back as local time and is turned to UTC.
            if (reader.TryGetDateTime(out var direct))
            {
                var utc = direct.Kind == DateTimeKind.Local ? direct.ToUniversalTime() : DateTime.SpecifyKind(direct, DateTimeKind.Utc);
                return utc.Year <= 1 ? (DateTime?)null : utc;
            }
            return Parse(reader.GetString());
        }

        public static DateTime? Parse(string? text)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            if (!DateTime.TryParse(text, CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
            {
                throw new JsonException($"'{text}' is not a date-time.");
            }
            return value.Year <= 1 ? (DateTime?)null : DateTime.SpecifyKind(value, DateTimeKind.Utc);
        }

        public override void Write(Utf8JsonWriter writer, DateTime? value, JsonSerializerOptions options)
        {
            if (value.HasValue) writer.WriteStringValue(value.Value.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
            else writer.WriteNullValue();
        }
    }

    /// <summary>Enum by name (any case) or number; a name this version does not know reads as the default value.</summary>
    public sealed class TolerantEnumConverter<T> : JsonConverter<T> where T : struct, Enum
    {
        /// <summary>The names, any case: a lookup instead of Enum.TryParse and Enum.IsDefined for every value read.</summary>
        private static readonly Dictionary<string, T> Names = BuildNames();

        private static Dictionary<string, T> BuildNames()
        {
            var names = new Dictionary<string, T>(StringComparer.OrdinalIgnoreCase);
            foreach (var name in Enum.GetNames(typeof(T))) names[name] = (T)Enum.Parse(typeof(T), name);
            return names;
        }

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    var text = reader.GetString();
                    if (text != null && Names.TryGetValue(text, out var known)) return known;
                    return Enum.TryParse<T>(text, true, out var named) && Enum.IsDefined(typeof(T), named) ? named : default;
                case JsonTokenType.Number:
                    if (!reader.TryGetInt64(out var number)) return default;
                    var numbered = (T)Enum.ToObject(typeof(T), number);
                    return Enum.IsDefined(typeof(T), numbered) ? numbered : default;
                case JsonTokenType.Null:
                    return default;
                default:
                    throw new JsonException($"Expected a {typeof(T).Name} name, found {reader.TokenType}.");
            }
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }

    /// <summary>Reads both epoch shapes (…Number and …Version); writes the 6.4+ shape.</summary>
    public sealed class EpochConverter : JsonConverter<SfEpoch>
    {
        public override SfEpoch? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Null) return null;
            if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("Expected an epoch object.");
            long? dataLoss = null, configuration = null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                // The names as clusters write them are matched in place; any other casing through a string.
                var isDataLoss = reader.ValueTextEquals("DataLossVersion") || reader.ValueTextEquals("DataLossNumber");
                var isConfiguration = !isDataLoss && (reader.ValueTextEquals("ConfigurationVersion") || reader.ValueTextEquals("ConfigurationNumber"));
                if (!isDataLoss && !isConfiguration)
                {
                    var name = reader.GetString() ?? "";
                    isDataLoss = name.Equals("DataLossNumber", StringComparison.OrdinalIgnoreCase) || name.Equals("DataLossVersion", StringComparison.OrdinalIgnoreCase);
                    isConfiguration = name.Equals("ConfigurationNumber", StringComparison.OrdinalIgnoreCase) || name.Equals("ConfigurationVersion", StringComparison.OrdinalIgnoreCase);
                }
                reader.Read();
                if (isDataLoss) dataLoss = FlexibleInt64Converter.ReadInt64(ref reader);
                else if (isConfiguration) configuration = FlexibleInt64Converter.ReadInt64(ref reader);
                else reader.Skip();
            }
            return dataLoss is null && configuration is null ? null : new SfEpoch(dataLoss ?? 0, configuration ?? 0);
        }

        public override void Write(Utf8JsonWriter writer, SfEpoch value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteString("DataLossVersion", value.DataLossNumber.ToString(CultureInfo.InvariantCulture));
            writer.WriteString("ConfigurationVersion", value.ConfigurationNumber.ToString(CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        }
    }

    /// <summary>
    /// Reads a JSON object once into a document so that converters of discriminated types can look their
    /// discriminator up wherever it stands; null stays null.
    /// </summary>
    public abstract class ObjectConverter<T> : JsonConverter<T> where T : class
    {
        public sealed override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Null) return null;
            using (var doc = JsonDocument.ParseValue(ref reader))
            {
                if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new JsonException($"Expected a {typeof(T).Name} object.");
                return ReadObject(doc.RootElement);
            }
        }

        protected abstract T ReadObject(JsonElement root);
    }

    /// <summary>
    /// Backup storage by StorageKind. Writes fields in the order of the reference examples and leaves out what is
    /// not set; reads the discriminator wherever it stands in the object, in any case.
    /// </summary>
    public sealed class BackupStorageConverter : ObjectConverter<BackupStorage>
    {
        protected override BackupStorage ReadObject(JsonElement root)
        {
            string? Get(string name) => JsonFields.Text(root, name);

            var kind = Get("StorageKind") ?? "";
            BackupStorage storage;
            switch (kind.ToUpperInvariant())
            {
                case "AZUREBLOBSTORE":
                    storage = new AzureBlobBackupStorage(SecretText.FromPlain(Get("ConnectionString") ?? ""), Get("ContainerName") ?? "?");
                    break;
                case "MANAGEDIDENTITYAZUREBLOBSTORE":
                    Enum.TryParse<ManagedIdentityType>(Get("ManagedIdentityType") ?? "", true, out var identity);
                    storage = new ManagedIdentityAzureBlobBackupStorage(new Uri(Get("BlobServiceUri") ?? "about:blank", UriKind.RelativeOrAbsolute), Get("ContainerName") ?? "?", identity);
                    break;
                case "FILESHARE":
                    var share = new FileShareBackupStorage(Get("Path") ?? "?")
                    {
                        PrimaryUserName = Get("PrimaryUserName"),
                        SecondaryUserName = Get("SecondaryUserName"),
                    };
                    var primary = Get("PrimaryPassword");
                    var secondary = Get("SecondaryPassword");
                    if (primary != null) share.PrimaryPassword = SecretText.FromPlain(primary);
                    if (secondary != null) share.SecondaryPassword = SecretText.FromPlain(secondary);
                    storage = share;
                    break;
                case "DSMSAZUREBLOBSTORE":
                    storage = new DsmsAzureBlobBackupStorage(Get("StorageCredentialsSourceLocation") ?? "?", Get("ContainerName") ?? "?");
                    break;
                default:
                    storage = new UnknownBackupStorage(kind);
                    break;
            }
            storage.FriendlyName = Get("FriendlyName");
            return storage;
        }

        public override void Write(Utf8JsonWriter writer, BackupStorage value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            switch (value)
            {
                case AzureBlobBackupStorage blob:
                    writer.WriteString("StorageKind", "AzureBlobStore");
                    writer.WriteString("ConnectionString", SecretText.Reveal(blob.ConnectionString));
                    writer.WriteString("ContainerName", blob.ContainerName);
                    break;
                case ManagedIdentityAzureBlobBackupStorage mi:
                    writer.WriteString("StorageKind", "ManagedIdentityAzureBlobStore");
                    writer.WriteString("BlobServiceUri", mi.BlobServiceUri.OriginalString);
                    writer.WriteString("ContainerName", mi.ContainerName);
                    writer.WriteString("ManagedIdentityType", mi.ManagedIdentityType.ToString());
                    break;
                case FileShareBackupStorage share:
                    writer.WriteString("StorageKind", "FileShare");
                    writer.WriteString("Path", share.Path);
                    if (share.PrimaryUserName != null) writer.WriteString("PrimaryUserName", share.PrimaryUserName);
                    if (share.PrimaryPassword != null) writer.WriteString("PrimaryPassword", SecretText.Reveal(share.PrimaryPassword));
                    if (share.SecondaryUserName != null) writer.WriteString("SecondaryUserName", share.SecondaryUserName);
                    if (share.SecondaryPassword != null) writer.WriteString("SecondaryPassword", SecretText.Reveal(share.SecondaryPassword));
                    break;
                case DsmsAzureBlobBackupStorage dsms:
                    writer.WriteString("StorageKind", "DsmsAzureBlobStore");
                    writer.WriteString("StorageCredentialsSourceLocation", dsms.StorageCredentialsSourceLocation);
                    writer.WriteString("ContainerName", dsms.ContainerName);
                    break;
                default:
                    throw new JsonException($"Storage of kind {value.StorageKind} cannot be sent.");
            }
            if (!string.IsNullOrEmpty(value.FriendlyName)) writer.WriteString("FriendlyName", value.FriendlyName);
            writer.WriteEndObject();
        }
    }

    /// <summary>ISO 8601 durations (PT10M, P1DT2H, P7D) to and from TimeSpan.</summary>
    public static class IsoDuration
    {
        public static string Format(TimeSpan value) => System.Xml.XmlConvert.ToString(value);

        public static TimeSpan Parse(string? text)
        {
            if (string.IsNullOrWhiteSpace(text)) throw new JsonException("An ISO 8601 duration such as PT10M was expected.");
            try
            {
                return System.Xml.XmlConvert.ToTimeSpan(text!.Trim());
            }
            catch (FormatException ex)
            {
                throw new JsonException($"'{text}' is not an ISO 8601 duration such as PT10M.", ex);
            }
        }
    }

    /// <summary>Helpers the polymorphic converters share: read an object once, look fields up in any case.</summary>
    internal static class JsonFields
    {
        public static JsonElement? Find(JsonElement obj, string name)
        {
            foreach (var p in obj.EnumerateObject())
                if (p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) return p.Value;
            return null;
        }

        public static string? Text(JsonElement obj, string name)
        {
            var value = Find(obj, name);
            return value is null || value.Value.ValueKind == JsonValueKind.Null ? null
                : value.Value.ValueKind == JsonValueKind.String ? value.Value.GetString() : value.Value.GetRawText();
        }
    }

    /// <summary>Schedules by ScheduleKind: FrequencyBased {Interval} or TimeBased {ScheduleFrequencyType, RunDays, RunTimes}.</summary>
    public sealed class BackupScheduleConverter : ObjectConverter<BackupSchedule>
    {
        protected override BackupSchedule ReadObject(JsonElement root)
        {
            var kind = JsonFields.Text(root, "ScheduleKind") ?? "";
            if (kind.Equals("FrequencyBased", StringComparison.OrdinalIgnoreCase))
                return new FrequencyBackupSchedule(IsoDuration.Parse(JsonFields.Text(root, "Interval")));
            if (!kind.Equals("TimeBased", StringComparison.OrdinalIgnoreCase))
                throw new JsonException($"ScheduleKind '{kind}' is not FrequencyBased or TimeBased.");

            Enum.TryParse<BackupScheduleFrequency>(JsonFields.Text(root, "ScheduleFrequencyType") ?? "Daily", true, out var frequency);
            var times = new List<TimeSpan>();
            if (JsonFields.Find(root, "RunTimes") is { ValueKind: JsonValueKind.Array } runTimes)
                foreach (var t in runTimes.EnumerateArray())
                    times.Add(DateTime.Parse(t.GetString() ?? "", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal).TimeOfDay);
            var days = new List<DayOfWeek>();
            if (JsonFields.Find(root, "RunDays") is { ValueKind: JsonValueKind.Array } runDays)
                foreach (var d in runDays.EnumerateArray())
                    if (Enum.TryParse<DayOfWeek>(d.GetString(), true, out var day)) days.Add(day);
            return new TimeBackupSchedule(frequency, times, frequency == BackupScheduleFrequency.Weekly ? days : null);
        }

        public override void Write(Utf8JsonWriter writer, BackupSchedule value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteString("ScheduleKind", value.ScheduleKind.ToString());
            switch (value)
            {
                case FrequencyBackupSchedule frequency:
                    writer.WriteString("Interval", IsoDuration.Format(frequency.Interval));
                    break;
                case TimeBackupSchedule time:
                    writer.WriteString("ScheduleFrequencyType", time.Frequency.ToString());
                    if (time.Frequency == BackupScheduleFrequency.Weekly)
                    {
                        writer.WriteStartArray("RunDays");
                        foreach (var day in time.RunDays) writer.WriteStringValue(day.ToString());
                        writer.WriteEndArray();
                    }
                    writer.WriteStartArray("RunTimes");
                    foreach (var t in time.RunTimes) writer.WriteStringValue(DateTime.MinValue.Add(t).ToString("yyyy-MM-ddTHH:mm:ss'Z'", CultureInfo.InvariantCulture));
                    writer.WriteEndArray();
                    break;
            }
            writer.WriteEndObject();
        }
    }

    /// <summary>Retention by RetentionPolicyType: Basic {RetentionDuration, MinimumNumberOfBackups}; others kept by name.</summary>
    public sealed class RetentionPolicyConverter : ObjectConverter<RetentionPolicy>
    {
        protected override RetentionPolicy ReadObject(JsonElement root)
        {
            var type = JsonFields.Text(root, "RetentionPolicyType") ?? "";
            if (!type.Equals("Basic", StringComparison.OrdinalIgnoreCase)) return new UnknownRetentionPolicy(type);
            var minimum = JsonFields.Text(root, "MinimumNumberOfBackups");
            return new BasicRetentionPolicy(
                IsoDuration.Parse(JsonFields.Text(root, "RetentionDuration")),
                minimum is null ? 0 : int.Parse(minimum, CultureInfo.InvariantCulture));
        }

        public override void Write(Utf8JsonWriter writer, RetentionPolicy value, JsonSerializerOptions options)
        {
            if (!(value is BasicRetentionPolicy basic)) throw new JsonException($"Retention of type {value.RetentionPolicyType} cannot be sent.");
            writer.WriteStartObject();
            writer.WriteString("RetentionPolicyType", "Basic");
            writer.WriteNumber("MinimumNumberOfBackups", basic.MinimumNumberOfBackups);
            writer.WriteString("RetentionDuration", IsoDuration.Format(basic.RetentionDuration));
            writer.WriteEndObject();
        }
    }

    [JsonSourceGenerationOptions(
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNameCaseInsensitive = true,
        NumberHandling = JsonNumberHandling.AllowReadingFromString)]
    [JsonSerializable(typeof(EnableBackupDescription))]
    [JsonSerializable(typeof(BackupPartitionDescription))]
    [JsonSerializable(typeof(RestoreProgressInfo))]
    [JsonSerializable(typeof(BackupStorage))]
    [JsonSerializable(typeof(BackupPolicy))]
    [JsonSerializable(typeof(SfPagedList<BackupPolicy>))]
    [JsonSerializable(typeof(SfPagedList<BackupEntity>))]
    [JsonSerializable(typeof(SfPagedList<BackupConfigurationInfo>))]
    [JsonSerializable(typeof(BackupConfigurationInfo))]
    [JsonSerializable(typeof(SfPagedList<BackupInfo>))]
    [JsonSerializable(typeof(List<BackupInfo>))]
    [JsonSerializable(typeof(BackupProgressInfo))]
    [JsonSerializable(typeof(RestorePartitionDescription))]
    [JsonSerializable(typeof(DisableBackupDescription))]
    [JsonSerializable(typeof(GetBackupByStorageQueryDescription))]
    [JsonSerializable(typeof(SfPagedList<SfApplication>))]
    [JsonSerializable(typeof(SfPagedList<SfService>))]
    [JsonSerializable(typeof(SfPagedList<SfPartition>))]
    [JsonSerializable(typeof(HealthInformation))]
    [JsonSerializable(typeof(ServiceNameInfo))]
    [JsonSerializable(typeof(SfPartitionHealth))]
    public partial class SfJsonContext : JsonSerializerContext
    {
        /// <summary>
        /// Builds the metadata and the read path of the answers commands read most, so that the first command after
        /// Connect-SfCluster does not compile them: Connect-SfCluster calls it while its gateway read is on the wire.
        /// Each type reads a sample that gives each of its simple properties a value of its type (nested objects and
        /// lists are left out); nothing is sent and nothing is kept. Returns the types that could not be made ready
        /// (none, as a test checks); such a type is left to the first call that reads it. Done once a process: a
        /// later connection finds the metadata built (two connections at once may both build it, which is harmless).
        /// </summary>
        public static IReadOnlyList<Type> Prepare() => _prepared ??= PrepareEach();

        private static IReadOnlyList<Type>? _prepared;

        private static IReadOnlyList<Type> PrepareEach()
        {
            var left = new List<Type>();
            foreach (var info in new JsonTypeInfo[]
            {
                Default.RestoreProgressInfo, Default.BackupProgressInfo, Default.SfPagedListBackupInfo, Default.BackupInfo,
                Default.SfPagedListBackupConfigurationInfo, Default.BackupConfigurationInfo, Default.SfPagedListSfPartition,
                Default.SfPartition, Default.SfPagedListSfService, Default.SfService, Default.SfPagedListSfApplication,
                Default.SfApplication, Default.SfPagedListBackupEntity, Default.BackupEntity,
            })
            {
                try
                {
                    JsonSerializer.Deserialize(Sample(info), info);
                }
                catch (Exception ex) when (ex is JsonException || ex is NotSupportedException || ex is InvalidOperationException || ex is FormatException)
                {
                    left.Add(info.Type);
                }
            }
            return left;
        }

        private static byte[] Sample(JsonTypeInfo info)
        {
            var buffer = new System.IO.MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                if (info.Kind == JsonTypeInfoKind.Object)
                {
                    foreach (var property in info.Properties)
                    {
                        if (property.Set == null) continue;
                        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                        if (type == typeof(string)) writer.WriteString(property.Name, "");
                        else if (type == typeof(bool)) writer.WriteBoolean(property.Name, false);
                        else if (type == typeof(int) || type == typeof(long)) writer.WriteNumber(property.Name, 0);
                        else if (type == typeof(Guid)) writer.WriteString(property.Name, global::System.Guid.Empty);
                        else if (type == typeof(DateTime) || type == typeof(DateTimeOffset)) writer.WriteString(property.Name, "2020-01-01T00:00:00Z");
                        else if (type.IsEnum) writer.WriteString(property.Name, Enum.GetName(type, Enum.GetValues(type).GetValue(0)!));
                    }
                }
                writer.WriteEndObject();
            }
            return buffer.ToArray();
        }
    }
}
