using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace SfBackup.Client.Models
{
    [JsonConverter(typeof(TolerantEnumConverter<RestoreState>))]
    public enum RestoreState : long
    {
        Invalid,
        Accepted,
        RestoreInProgress,
        Success,
        Failure,
        Timeout,
    }

    /// <summary>
    /// An epoch in one shape, whichever the cluster sent: 6.2-era DataLossNumber/ConfigurationNumber or 6.4+
    /// DataLossVersion/ConfigurationVersion, each as a JSON string or number.
    /// </summary>
    [JsonConverter(typeof(EpochConverter))]
    public sealed class SfEpoch
    {
        public SfEpoch(long dataLossNumber, long configurationNumber)
        {
            DataLossNumber = dataLossNumber;
            ConfigurationNumber = configurationNumber;
        }

        public long DataLossNumber { get; }
        public long ConfigurationNumber { get; }

        public override string ToString() => $"{DataLossNumber}/{ConfigurationNumber}";
    }

    /// <summary>FabricError as it appears inside progress answers (FailureError).</summary>
    public sealed class FabricErrorInfo
    {
        public string? Code { get; set; }
        public string? Message { get; set; }
        public override string ToString() => string.IsNullOrEmpty(Message) ? Code ?? "" : $"{Code}: {Message}";
    }

    /// <summary>Get Partition Restore Progress's answer, read tolerantly.</summary>
    public sealed class RestoreProgressInfo
    {
        /// <summary>Not in the answer: the client sets it so the object names its partition and pipes on.</summary>
        [JsonIgnore]
        public Guid PartitionId { get; set; }

        public RestoreState RestoreState { get; set; }

        /// <summary>UTC; null when the cluster sent nothing or 0001-01-01T00:00:00Z (not set yet).</summary>
        [JsonConverter(typeof(SfDateTimeConverter))]
        public DateTime? TimeStampUtc { get; set; }

        public SfEpoch? RestoredEpoch { get; set; }

        [JsonConverter(typeof(FlexibleInt64Converter))]
        public long? RestoredLsn { get; set; }

        public FabricErrorInfo? FailureError { get; set; }

        public override string ToString() => $"{PartitionId}: {RestoreState}";
    }

    public sealed class EnableBackupDescription
    {
        public string BackupPolicyName { get; set; } = "";
    }

    /// <summary>The optional body of Backup Partition; with no storage it is written as {}.</summary>
    public sealed class BackupPartitionDescription
    {
        public BackupStorage? BackupStorage { get; set; }
    }

    /// <summary>
    /// A health report (HealthInformation) as Report Partition Health takes it. TimeToLiveInMilliSeconds is, despite
    /// its name, an ISO 8601 duration such as PT1H on the wire.
    /// </summary>
    public sealed class HealthInformation
    {
        public string SourceId { get; set; } = "";
        public string Property { get; set; } = "";
        public string HealthState { get; set; } = "Ok";
        public string? TimeToLiveInMilliSeconds { get; set; }
        public string? Description { get; set; }
        public bool RemoveWhenExpired { get; set; }
    }

    /// <summary>Get Service Name Info's answer: the service a partition belongs to.</summary>
    public sealed class ServiceNameInfo
    {
        public string? Id { get; set; }
        public string? Name { get; set; }
        public override string ToString() => Name ?? Id ?? "";
    }

    /// <summary>Get Partition Health's answer, as far as SfBackup reads it: the aggregated state and the events.</summary>
    public sealed class SfPartitionHealth
    {
        public string? AggregatedHealthState { get; set; }
        public List<SfHealthEvent>? HealthEvents { get; set; }
        public override string ToString() => AggregatedHealthState ?? "";
    }

    /// <summary>One health event: who reported what, when, and whether it has expired.</summary>
    public sealed class SfHealthEvent
    {
        public string? SourceId { get; set; }
        public string? Property { get; set; }
        public string? HealthState { get; set; }
        public string? Description { get; set; }

        [JsonConverter(typeof(SfDateTimeConverter))]
        public DateTime? SourceUtcTimestamp { get; set; }

        public bool IsExpired { get; set; }
        public override string ToString() => $"{SourceId}/{Property}: {HealthState}";
    }
}
