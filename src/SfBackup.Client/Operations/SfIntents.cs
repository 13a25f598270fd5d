using System;
using System.Threading;
using System.Threading.Tasks;
using SfBackup.Client.Models;
using SfBackup.Client.Transport;

namespace SfBackup.Client.Operations
{
    /// <summary>
    /// How to tell, by reading the cluster, that a partition state change is in place (for
    /// <see cref="SfBackupClient.SendIntentAsync"/>). Partitions only: a service or an application answers its
    /// configuration as a list mixed with its children's, so a lost answer there stays an error.
    /// </summary>
    public static class SfIntents
    {
        /// <summary>How much older than the send a backup's progress may look and still count as this one's (clock skew).</summary>
        public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

        public delegate Task<bool> Check(SfBackupClient client, SfEntity partition, DateTime sentUtc, CancellationToken cancellationToken);

        public static Check Enabled(string policy) => (c, p, _, t) => OwnConfigurationAsync(c, p, i => i.PolicyInheritedFrom == BackupEntityKind.Partition && string.Equals(i.PolicyName, policy, StringComparison.Ordinal), t);

        public static readonly Check Disabled = (c, p, _, t) => OwnConfigurationAsync(c, p, i => i.PolicyInheritedFrom != BackupEntityKind.Partition || i.PolicyName == null, t);

        public static readonly Check Suspended = (c, p, _, t) => OwnConfigurationAsync(c, p, i => SuspendedHere(i), t);

        public static readonly Check Resumed = (c, p, _, t) => OwnConfigurationAsync(c, p, i => !SuspendedHere(i), t);

        /// <summary>
        /// A backup runs now (ours, or one that a second start would only collide with), or ended since the send.
        /// </summary>
        public static readonly Check BackupStarted = async (client, partition, sentUtc, token) =>
        {
            var progress = await client.GetPartitionBackupProgressAsync(partition.PartitionId, token).ConfigureAwait(false);
            return StartedSince(SfWait.IsRunning(progress.BackupState), SfWait.IsFinal(progress.BackupState), progress.TimeStampUtc, sentUtc);
        };

        /// <summary>A restore runs now, or ended since the send: a second one must not be sent.</summary>
        public static readonly Check RestoreStarted = async (client, partition, sentUtc, token) =>
        {
            var progress = await client.GetPartitionRestoreProgressAsync(partition.PartitionId, token).ConfigureAwait(false);
            return StartedSince(SfWait.IsRunning(progress.RestoreState), SfWait.IsFinal(progress.RestoreState), progress.TimeStampUtc, sentUtc);
        };

        /// <summary>A run in progress, or one that ended no earlier than the send (less the clock skew), is the one sent.</summary>
        private static bool StartedSince(bool running, bool final, DateTime? stampUtc, DateTime sentUtc) =>
            running || (final && stampUtc >= sentUtc - ClockSkew);

        private static bool SuspendedHere(BackupConfigurationInfo info) =>
            info.SuspensionInfo?.IsSuspended == true && info.SuspensionInfo.SuspensionInheritedFrom == BackupEntityKind.Partition;

        private static async Task<bool> OwnConfigurationAsync(SfBackupClient client, SfEntity partition, Func<BackupConfigurationInfo, bool> test, CancellationToken token)
        {
            if (partition.Kind != SfEntityKind.Partition) return false;
            var page = await client.GetBackupConfiguration(partition).NextPageAsync(token).ConfigureAwait(false);
            foreach (var info in page) return test(info);
            return false;
        }
    }
}
