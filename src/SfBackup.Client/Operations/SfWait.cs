using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using SfBackup.Client.Models;
using SfBackup.Client.Transport;

namespace SfBackup.Client.Operations
{
    /// <summary>The wait for a backup or restore to finish ran past its limit.</summary>
    public sealed class SfWaitTimeoutException : SfClientException
    {
        public SfWaitTimeoutException(string what, TimeSpan limit)
            : base($"{what} had not finished after {limit.TotalSeconds:0} s of waiting; it may still finish: check its progress later.", null)
        {
        }

        public override string ErrorId => "SfWaitTimedOut";
        public override SfErrorKind Kind => SfErrorKind.Timeout;
    }

    /// <summary>
    /// Polls a backup's or restore's progress until it ends. A final state only counts once the run was seen in
    /// progress or its time stamp is not older than the wait's start (less a clock-skew allowance), so the previous
    /// run's Success is never taken for this one's.
    /// </summary>
    public static class SfWait
    {
        public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);

        public static bool IsFinal(BackupState state) => state == BackupState.Success || state == BackupState.Failure || state == BackupState.Timeout;
        public static bool IsFinal(RestoreState state) => state == RestoreState.Success || state == RestoreState.Failure || state == RestoreState.Timeout;
        public static bool IsRunning(BackupState state) => state == BackupState.Accepted || state == BackupState.BackupInProgress;
        public static bool IsRunning(RestoreState state) => state == RestoreState.Accepted || state == RestoreState.RestoreInProgress;

        public static Task<BackupProgressInfo> ForBackupAsync(SfBackupClient client, Guid partitionId, DateTime startedUtc, TimeSpan interval, TimeSpan limit,
            Action<BackupProgressInfo>? observe, CancellationToken cancellationToken) =>
            UntilAsync(ct => client.GetPartitionBackupProgressAsync(partitionId, ct), p => IsFinal(p.BackupState), p => IsRunning(p.BackupState), p => p.TimeStampUtc,
                startedUtc, interval, limit, observe, $"The backup of partition {partitionId:D}", cancellationToken);

        public static Task<RestoreProgressInfo> ForRestoreAsync(SfBackupClient client, Guid partitionId, DateTime startedUtc, TimeSpan interval, TimeSpan limit,
            Action<RestoreProgressInfo>? observe, CancellationToken cancellationToken) =>
            UntilAsync(ct => client.GetPartitionRestoreProgressAsync(partitionId, ct), p => IsFinal(p.RestoreState), p => IsRunning(p.RestoreState), p => p.TimeStampUtc,
                startedUtc, interval, limit, observe, $"The restore of partition {partitionId:D}", cancellationToken);

        public static async Task<T> UntilAsync<T>(Func<CancellationToken, Task<T>> read, Func<T, bool> isFinal, Func<T, bool> isRunning, Func<T, DateTime?> stamp,
            DateTime startedUtc, TimeSpan interval, TimeSpan limit, Action<T>? observe, string what, CancellationToken cancellationToken)
        {
            if (interval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(interval), interval, "The polling interval must be positive.");
            var clock = Stopwatch.StartNew();
            var sawRunning = false;
            while (true)
            {
                var progress = await read(cancellationToken).ConfigureAwait(false);
                observe?.Invoke(progress);
                if (isFinal(progress))
                {
                    var when = stamp(progress);
                    if (sawRunning || (when.HasValue && when.Value >= startedUtc - ClockSkew)) return progress;
                }
                else if (isRunning(progress))
                {
                    sawRunning = true;
                }

                if (clock.Elapsed + interval > limit) throw new SfWaitTimeoutException(what, limit);
                await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
