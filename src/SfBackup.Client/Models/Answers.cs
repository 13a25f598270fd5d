using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace SfBackup.Client.Models
{
    /// <summary>A page of a paged answer: {ContinuationToken, Items}. An empty or missing token is the last page.</summary>
    public sealed class SfPagedList<T>
    {
        public string? ContinuationToken { get; set; }
        public List<T>? Items { get; set; }

        /// <summary>Not in the answer: the cluster's time when it sent this page (its Date header).</summary>
        [JsonIgnore]
        public DateTimeOffset? ServerDate { get; set; }
    }

    // Every public enum of this assembly is based on long. Windows PowerShell 5.1 and PowerShell 7 (unless its
    // experimental feature PSSerializeJSONLongEnumAsNumber is on) write a long-based enum as its name in
    // ConvertTo-Json without -EnumsAsStrings, and as a number otherwise; the REST API names them everywhere too.
    // ModelTests holds every public enum to this, and the Pester suite checks what ConvertTo-Json writes.
    [JsonConverter(typeof(TolerantEnumConverter<BackupState>))]
    public enum BackupState : long
    {
        Invalid,
        Accepted,
        BackupInProgress,
        Success,
        Failure,
        Timeout,
    }

    [JsonConverter(typeof(TolerantEnumConverter<BackupEntityKind>))]
    public enum BackupEntityKind : long
    {
        Invalid,
        Partition,
        Service,
        Application,
    }

    /// <summary>A partition's identity and key range. Int64 keys arrive as strings or numbers; both read.</summary>
    public sealed class PartitionInformation
    {
        public string? ServicePartitionKind { get; set; }
        public Guid Id { get; set; }

        [JsonConverter(typeof(FlexibleInt64Converter))]
        public long? LowKey { get; set; }

        [JsonConverter(typeof(FlexibleInt64Converter))]
        public long? HighKey { get; set; }

        /// <summary>The name of a Named partition.</summary>
        public string? Name { get; set; }

        /// <summary>The keys it holds, as text: "low..high" for Int64Range, the name for Named, "(singleton)".</summary>
        [JsonIgnore]
        public string KeyRange =>
            LowKey.HasValue || HighKey.HasValue ? $"{LowKey}..{HighKey}" : Name ?? (IsSingleton ? "(singleton)" : "");

        private bool IsSingleton => string.Equals(ServicePartitionKind, "Singleton", StringComparison.OrdinalIgnoreCase);

        public override string ToString() => IsSingleton ? "Singleton" : $"{ServicePartitionKind} {KeyRange}".Trim();
    }

    /// <summary>One backup (BackupInfo). PartitionId is lifted out of PartitionInformation so it pipes into Restore-SfPartition.</summary>
    public sealed class BackupInfo
    {
        public Guid BackupId { get; set; }
        public Guid BackupChainId { get; set; }
        public string? ApplicationName { get; set; }
        public string? ServiceName { get; set; }
        public PartitionInformation? PartitionInformation { get; set; }
        public string? BackupLocation { get; set; }
        public string? BackupType { get; set; }
        public SfEpoch? EpochOfLastBackupRecord { get; set; }

        [JsonConverter(typeof(FlexibleInt64Converter))]
        public long? LsnOfLastBackupRecord { get; set; }

        [JsonConverter(typeof(SfDateTimeConverter))]
        public DateTime? CreationTimeUtc { get; set; }

        public string? ServiceManifestVersion { get; set; }
        public FabricErrorInfo? FailureError { get; set; }

        [JsonIgnore]
        public Guid PartitionId => PartitionInformation?.Id ?? Guid.Empty;

        public override string ToString() => $"{BackupType} backup {BackupId} of {PartitionId} at {CreationTimeUtc:u}";
    }

    /// <summary>Get Partition Backup Progress's answer.</summary>
    public sealed class BackupProgressInfo
    {
        [JsonIgnore]
        public Guid PartitionId { get; set; }

        public BackupState BackupState { get; set; }

        [JsonConverter(typeof(SfDateTimeConverter))]
        public DateTime? TimeStampUtc { get; set; }

        public Guid? BackupId { get; set; }
        public string? BackupLocation { get; set; }
        public SfEpoch? EpochOfLastBackupRecord { get; set; }

        [JsonConverter(typeof(FlexibleInt64Converter))]
        public long? LsnOfLastBackupRecord { get; set; }

        public FabricErrorInfo? FailureError { get; set; }

        public override string ToString() => $"{PartitionId}: {BackupState}";
    }

    public sealed class BackupSuspensionInfo
    {
        public bool IsSuspended { get; set; }

        public BackupEntityKind SuspensionInheritedFrom { get; set; }

        public override string ToString() => IsSuspended ? $"Suspended at {SuspensionInheritedFrom}" : "Not suspended";
    }

    /// <summary>Backup configuration of one entity, by Kind (Application, Service or Partition), flattened.</summary>
    public sealed class BackupConfigurationInfo
    {
        public BackupEntityKind Kind { get; set; }

        public string? PolicyName { get; set; }

        public BackupEntityKind PolicyInheritedFrom { get; set; }

        public BackupSuspensionInfo? SuspensionInfo { get; set; }
        public string? ApplicationName { get; set; }
        public string? ServiceName { get; set; }
        public Guid? PartitionId { get; set; }

        [JsonIgnore]
        public bool IsSuspended => SuspensionInfo?.IsSuspended == true;

        public override string ToString() =>
            $"{Kind} {(object?)PartitionId ?? ServiceName ?? ApplicationName}: {PolicyName ?? "(no policy)"}{(IsSuspended ? ", suspended" : "")}";
    }

    /// <summary>An entity a policy backs up (BackupEntity by EntityKind), flattened.</summary>
    public sealed class BackupEntity
    {
        public BackupEntityKind EntityKind { get; set; }

        public string? ApplicationName { get; set; }
        public string? ServiceName { get; set; }
        public Guid? PartitionId { get; set; }

        public override string ToString() => $"{EntityKind} {(object?)PartitionId ?? ServiceName ?? ApplicationName}";
    }

    /// <summary>The body of Restore Partition.</summary>
    public sealed class RestorePartitionDescription
    {
        public Guid BackupId { get; set; }
        public string BackupLocation { get; set; } = "";
        public BackupStorage? BackupStorage { get; set; }
    }

    public sealed class DisableBackupDescription
    {
        public bool CleanBackup { get; set; }
    }

    /// <summary>The body of Get Backups From Backup Location.</summary>
    public sealed class GetBackupByStorageQueryDescription
    {
        [JsonConverter(typeof(SfDateTimeConverter))]
        public DateTime? StartDateTimeFilter { get; set; }

        [JsonConverter(typeof(SfDateTimeConverter))]
        public DateTime? EndDateTimeFilter { get; set; }

        public bool Latest { get; set; }
        public BackupStorage? Storage { get; set; }
        public BackupEntity? BackupEntity { get; set; }
    }

    // ---- discovery (cluster queries) ----

    public sealed class SfApplication
    {
        public string? Id { get; set; }
        public string? Name { get; set; }
        public string? TypeName { get; set; }
        public string? TypeVersion { get; set; }
        public string? Status { get; set; }
        public string? HealthState { get; set; }

        /// <summary>The same as Name, so application objects pipe into -ApplicationName.</summary>
        [JsonIgnore]
        public string? ApplicationName => Name;

        public override string ToString() => Name ?? Id ?? "";
    }

    public sealed class SfService
    {
        public string? Id { get; set; }
        public string? ServiceKind { get; set; }
        public string? Name { get; set; }
        public string? TypeName { get; set; }
        public string? ManifestVersion { get; set; }
        public bool? HasPersistedState { get; set; }
        public string? HealthState { get; set; }
        public string? ServiceStatus { get; set; }

        /// <summary>Not in the answer: the application it was listed under.</summary>
        [JsonIgnore]
        public string? ApplicationName { get; set; }

        /// <summary>The same as Name, so service objects pipe into -ServiceName.</summary>
        [JsonIgnore]
        public string? ServiceName => Name;

        public override string ToString() => Name ?? Id ?? "";
    }

    public sealed class SfPartition
    {
        public string? ServiceKind { get; set; }
        public PartitionInformation? PartitionInformation { get; set; }
        public string? PartitionStatus { get; set; }
        public string? HealthState { get; set; }
        public SfEpoch? CurrentConfigurationEpoch { get; set; }

        /// <summary>Not in the answer: the service it was listed under.</summary>
        [JsonIgnore]
        public string? ServiceName { get; set; }

        [JsonIgnore]
        public Guid PartitionId => PartitionInformation?.Id ?? Guid.Empty;

        [JsonIgnore]
        public bool IsStateful => !string.Equals(ServiceKind, "Stateless", StringComparison.OrdinalIgnoreCase);

        public override string ToString() => $"{PartitionId} ({ServiceKind})";
    }
}
