using System;

namespace SfBackup.Client.Models
{
    /// <summary>What is wrong with a chain, if anything (Test-SfBackupChain).</summary>
    public sealed class SfChainReport
    {
        public string? ApplicationName { get; set; }
        public string? ServiceName { get; set; }
        public Guid PartitionId { get; set; }
        public Guid BackupChainId { get; set; }

        /// <summary>Complete, NoFull, FailedInChain or LsnAnomaly from the listing; Orphaned when the chain is whole but its partition is in none of the clusters asked.</summary>
        public string State { get; set; } = "";

        /// <summary>The chain's backups in the listing, and its first and last times.</summary>
        public int Backups { get; set; }
        public DateTime? FirstUtc { get; set; }
        public DateTime? LastUtc { get; set; }

        /// <summary>Whether a cluster asked has the partition (null when none was asked).</summary>
        public bool? PartitionExists { get; set; }

        public string? Problem { get; set; }

        public override string ToString() => $"{PartitionId:D} chain {BackupChainId:D}: {State}" + (Problem == null ? "" : " (" + Problem + ")");
    }
}
