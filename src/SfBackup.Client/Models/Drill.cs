using System;

namespace SfBackup.Client.Models
{
    /// <summary>How one partition's restore drill ended.</summary>
    public enum SfDrillStatus : long
    {
        /// <summary>In the plan; nothing sent (yet, or at all under -WhatIf).</summary>
        Planned,

        /// <summary>Restored into the drill target, and every check passed (with -VerifyOnly: the chain checks passed, nothing restored).</summary>
        Verified,

        /// <summary>The latest backup cannot be restored, the restore failed, or a check after it failed.</summary>
        Failed,

        /// <summary>Not drilled: no drill partition for its key range, or -MaxDuration had passed.</summary>
        Skipped,
    }

    /// <summary>Where a drill stands while it runs (for Ctrl+C: which restores are out in the cluster).</summary>
    public enum SfDrillStage : long
    {
        Planned,
        Sending,
        Restoring,
        Checking,
        Done,
    }

    /// <summary>One partition's restore drill (Test-SfLastBackup): what was restored where, how long it took, and whether it held.</summary>
    public sealed class SfDrillResult
    {
        public string SourceServiceName { get; set; } = "";
        public Guid SourcePartitionId { get; set; }
        public string PartitionKind { get; set; } = "";
        public string KeyRange { get; set; } = "";

        public string DrillServiceName { get; set; } = "";
        public Guid? DrillPartitionId { get; set; }

        /// <summary>The drill cluster's first endpoint.</summary>
        public string DrillCluster { get; set; } = "";

        public Guid? BackupId { get; set; }
        public string? BackupLocation { get; set; }
        public string? BackupType { get; set; }
        public DateTime? BackupTimeUtc { get; set; }

        /// <summary>How old the backup was when the drill was planned (on the source cluster's clock).</summary>
        public TimeSpan? BackupAge { get; set; }

        /// <summary>Backups from the chain's full backup up to the drilled one, both included.</summary>
        public int ChainLength { get; set; }

        public SfEpoch? BackupEpoch { get; set; }
        public long? BackupLsn { get; set; }

        public DateTime? RestoreStartedUtc { get; set; }
        public DateTime? RestoreEndedUtc { get; set; }

        /// <summary>Measured recovery time: from sending the restore until its Success was read (polled every second).</summary>
        public TimeSpan? Rto { get; set; }

        /// <summary>NotRun, Passed or Failed: the -Probe script block's verdict.</summary>
        public string Probe { get; set; } = "NotRun";

        public bool VerifyOnly { get; set; }

        /// <summary>With -Sample: the slice this run drilled, as "2/7".</summary>
        public string? Slice { get; set; }

        public SfDrillStatus Result { get; set; } = SfDrillStatus.Planned;
        public string Reason { get; set; } = "";

        /// <summary>For Failed: the cluster's error code or SfBackup's id for the check that failed.</summary>
        public string? ErrorId { get; set; }

        public SfDrillStage Stage { get; set; } = SfDrillStage.Planned;

        /// <summary>The ids of the chain's backups, full first (checked against a storage by -VerifyOnly -Storage).</summary>
        internal Guid[] ChainBackupIds { get; set; } = Array.Empty<Guid>();

        public override string ToString() => $"{SourcePartitionId:D} {Result}: {Reason}";
    }
}
