using System;

namespace SfBackup.Client.Models
{
    /// <summary>How a partition's backups keep up with its policy, worst first (so sorting by it puts action first).</summary>
    public enum SfBackupHealthStatus : long
    {
        /// <summary>Its last backup attempt failed, and no backup succeeded since.</summary>
        Failing,

        /// <summary>Its last successful backup is older than the interval its schedule promises plus the grace.</summary>
        Late,

        /// <summary>Backup is enabled, and no backup of it is listed.</summary>
        NeverBackedUp,

        /// <summary>Backup is suspended for it (at the partition, its service or its application).</summary>
        Suspended,

        /// <summary>No backup policy applies to it.</summary>
        NotEnabled,

        Healthy,
    }

    /// <summary>One stateful partition's backup health: what Get-SfBackupHealth writes.</summary>
    public sealed class SfBackupHealth
    {
        public string? ApplicationName { get; set; }
        public string? ServiceName { get; set; }
        public Guid PartitionId { get; set; }
        public SfBackupHealthStatus Status { get; set; }

        /// <summary>The effective policy, and the level it is set at.</summary>
        public string? PolicyName { get; set; }
        public BackupEntityKind PolicyInheritedFrom { get; set; }

        public bool IsSuspended { get; set; }
        public BackupEntityKind SuspensionInheritedFrom { get; set; }

        /// <summary>The last successful backup, and how old it was at <see cref="CheckedAtUtc"/>.</summary>
        public DateTime? LastBackupTimeUtc { get; set; }
        public TimeSpan? LastBackupAge { get; set; }

        /// <summary>
        /// The longest the schedule lets pass between two backups: a frequency-based schedule's interval; for a
        /// time-based one, the longest gap between consecutive run times (over the run days, for a weekly one).
        /// </summary>
        public TimeSpan? PromisedInterval { get; set; }

        /// <summary>How much later than the promised interval a backup may be before it counts as Late.</summary>
        public TimeSpan Grace { get; set; }

        /// <summary>The last backup attempt's failure, when it failed (read for partitions found late or never backed up).</summary>
        public FabricErrorInfo? LastFailure { get; set; }
        public DateTime? LastFailureTimeUtc { get; set; }

        /// <summary>
        /// With -IncludeLastVerified: the last restore drill's verdict as Test-SfLastBackup -ReportHealth left it in the
        /// partition's health (null when not read), when it was reported, and its description.
        /// </summary>
        public SfVerificationState? Verification { get; set; }
        public DateTime? LastDrillUtc { get; set; }
        public string? LastDrillDetail { get; set; }

        /// <summary>When a drill last proved this partition's backup restores (an Ok BackupVerified report), if the report still stands.</summary>
        public DateTime? LastVerifiedUtc { get; set; }

        /// <summary>The cluster's time the ages were measured at (the Date of its answer).</summary>
        public DateTime CheckedAtUtc { get; set; }

        /// <summary>Why the status, in a sentence (also the health report's description).</summary>
        public string Reason { get; set; } = "";

        /// <summary>Late, Failing, NeverBackedUp and Suspended need an operator; Healthy and NotEnabled do not.</summary>
        public bool NeedsAction =>
            Status == SfBackupHealthStatus.Failing || Status == SfBackupHealthStatus.Late
            || Status == SfBackupHealthStatus.NeverBackedUp || Status == SfBackupHealthStatus.Suspended;

        public override string ToString() => $"{PartitionId:D} {Status}: {Reason}";
    }

    /// <summary>What the partition's health store says of its last restore drill (Get-SfBackupHealth -IncludeLastVerified).</summary>
    public enum SfVerificationState : long
    {
        /// <summary>No BackupVerified report: no drill with -ReportHealth has run on it (or its report was removed).</summary>
        Never,

        /// <summary>The last drill restored and checked the latest backup, and its report is within its time to live.</summary>
        Verified,

        /// <summary>The last drill failed.</summary>
        Failed,

        /// <summary>The report outlived its time to live: drills stopped running (the cluster counts it as an error).</summary>
        Expired,
    }

    /// <summary>Get-SfBackupHealth -Summary: how many partitions have each status.</summary>
    public sealed class SfBackupHealthSummary
    {
        public SfBackupHealthSummary(SfBackupHealthStatus status, int count)
        {
            Status = status;
            Count = count;
        }

        public SfBackupHealthStatus Status { get; }
        public int Count { get; }

        public override string ToString() => $"{Status}: {Count}";
    }
}
