using System;

namespace SfBackup.Client.Models
{
    /// <summary>Where one partition of a point-in-time restore stands.</summary>
    public enum SfRestoreStepResult : long
    {
        /// <summary>In the plan; nothing sent (yet, or at all under -WhatIf).</summary>
        Planned,

        /// <summary>The cluster accepted the restore (without -Wait).</summary>
        Accepted,

        /// <summary>The restore ended in Success (with -Wait).</summary>
        Restored,

        /// <summary>The restore was refused, ended in Failure or Timeout, or could not be followed.</summary>
        Failed,

        /// <summary>Not restored: no source partition or no usable backup (reported under -AllowPartial).</summary>
        Skipped,
    }

    /// <summary>
    /// One partition of a Restore-SfService / Restore-SfApplication plan: the target partition, the source partition
    /// with the same key range, the backup chosen for the point in time, and, once run, how it went.
    /// </summary>
    public sealed class SfRestoreStep
    {
        public string TargetServiceName { get; set; } = "";

        /// <summary>Empty for a source partition that has no counterpart in the target service.</summary>
        public Guid TargetPartitionId { get; set; }

        /// <summary>Int64Range, Named or Singleton.</summary>
        public string PartitionKind { get; set; } = "";

        /// <summary>"low..high" for Int64Range, the name for Named, "(singleton)".</summary>
        public string KeyRange { get; set; } = "";

        public string SourceServiceName { get; set; } = "";
        public Guid? SourcePartitionId { get; set; }
        public Guid? BackupId { get; set; }
        public string? BackupLocation { get; set; }
        public DateTime? BackupTimeUtc { get; set; }
        public string? BackupType { get; set; }

        /// <summary>The point in time asked for (UTC).</summary>
        public DateTime PointInTimeUtc { get; set; }

        /// <summary>How far the chosen backup is before the point in time.</summary>
        public TimeSpan? BehindPointInTime => BackupTimeUtc.HasValue ? PointInTimeUtc - BackupTimeUtc.Value : (TimeSpan?)null;

        /// <summary>Why this partition cannot be restored; null when it can.</summary>
        public string? Problem { get; set; }

        public bool CanRestore => Problem == null && BackupId.HasValue && TargetPartitionId != Guid.Empty;

        public SfRestoreStepResult Result { get; set; } = SfRestoreStepResult.Planned;

        /// <summary>The failure's error id when Result is Failed.</summary>
        public string? ErrorId { get; set; }

        /// <summary>What the partition is known by in messages: the target's id, or the source's when the target has no partition for it.</summary>
        public string TargetText =>
            TargetPartitionId != Guid.Empty
                ? $"Partition {TargetPartitionId:D} ({PartitionKind} {KeyRange})"
                : $"Partition {SourcePartitionId:D} of {SourceServiceName} ({PartitionKind} {KeyRange})";

        public override string ToString() =>
            CanRestore ? $"{TargetPartitionId:D} {KeyRange} <- {BackupType} backup {BackupId:D} of {BackupTimeUtc:u}" : $"{TargetText}: {Problem}";
    }
}
