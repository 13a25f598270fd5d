using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SfBackup.Client.Models;

namespace SfBackup.Client.Operations
{
    /// <summary>What a listing tells about a backup's chain.</summary>
    public enum SfChainState : long
    {
        /// <summary>The chain's full backup is listed, and no member up to the backup failed or has an LSN of -1.</summary>
        Complete,

        /// <summary>No full backup of the chain at or before the backup is listed.</summary>
        NoFull,

        /// <summary>A member from the full backup up to this one reports a FailureError.</summary>
        FailedInChain,

        /// <summary>A member records an LSN of -1: it holds no restorable state.</summary>
        LsnAnomaly,
    }

    /// <summary>A backup's chain as listed: its members (full first) and what is wrong with it.</summary>
    public sealed class SfChainCheck
    {
        public SfChainCheck(SfChainState state, IReadOnlyList<BackupInfo> members, string? problem)
        {
            State = state;
            Members = members;
            Problem = problem;
        }

        public SfChainState State { get; }
        public IReadOnlyList<BackupInfo> Members { get; }
        public string? Problem { get; }
    }

    /// <summary>
    /// Chains as a listing shows them. The REST listing carries no parent link, so a chain is judged by its
    /// BackupChainId: its latest full backup at or before the backup, and every member from there up to it. A member
    /// missing in the middle cannot be seen this way; only a restore finds it.
    /// </summary>
    public static class SfBackupChain
    {
        public static SfChainCheck Check(BackupInfo backup, IEnumerable<BackupInfo> listed)
        {
            if (backup == null) throw new ArgumentNullException(nameof(backup));
            var at = backup.CreationTimeUtc ?? DateTime.MaxValue;
            var chain = listed.Where(b => b.BackupChainId == backup.BackupChainId && b.CreationTimeUtc.HasValue && b.CreationTimeUtc.Value <= at)
                .OrderBy(b => b.CreationTimeUtc!.Value).ToList();
            if (!chain.Any(b => b.BackupId == backup.BackupId)) chain.Add(backup);
            var full = IsFull(backup) ? backup : chain.Where(IsFull).LastOrDefault();
            if (full == null)
                return new SfChainCheck(SfChainState.NoFull, chain,
                    $"no full backup of its chain {backup.BackupChainId:D} is listed ({chain.Count} incremental backup(s) of it are)");
            var members = chain.Where(b => b.CreationTimeUtc >= full.CreationTimeUtc).ToList();
            var failed = members.FirstOrDefault(b => b.FailureError != null);
            if (failed != null)
                return new SfChainCheck(SfChainState.FailedInChain, members, $"backup {failed.BackupId:D} of its chain ({When(failed)}) failed: {failed.FailureError}");
            var anomaly = members.FirstOrDefault(b => b.LsnOfLastBackupRecord == -1);
            if (anomaly != null)
                return new SfChainCheck(SfChainState.LsnAnomaly, members, $"backup {anomaly.BackupId:D} of its chain ({When(anomaly)}) records an LSN of -1: it holds no restorable state");
            return new SfChainCheck(SfChainState.Complete, members, null);
        }

        public static bool IsFull(BackupInfo backup) => string.Equals(backup.BackupType, "Full", StringComparison.OrdinalIgnoreCase);

        public static string When(BackupInfo backup) =>
            backup.CreationTimeUtc?.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "time unknown";
    }
}
