using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SfBackup.Client.Input;
using SfBackup.Client.Models;
using SfBackup.Client.Transport;

namespace SfBackup.Client.Operations
{
    /// <summary>How to run restore drills: the storage to send, how long to wait, and whether to restore at all.</summary>
    public sealed class SfDrillOptions
    {
        /// <summary>Sent with every restore, and with -VerifyOnly the storage each chain member is looked up in; null: the drill partitions' policy storage.</summary>
        public BackupStorage? Storage { get; set; }
        public bool VerifyOnly { get; set; }
        public int? RestoreTimeoutMinutes { get; set; }
        public TimeSpan WaitLimit { get; set; } = TimeSpan.FromMinutes(11);
        public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    }

    /// <summary>
    /// Restore drills (Test-SfLastBackup): for each stateful partition of a source service, its latest backup, whose
    /// chain the listing must show complete, restored into the drill partition of the same key range (another
    /// service, or the same service in another cluster) and checked: the restore ends in Success, the restored epoch
    /// and LSN are the backup's, and the drill partition's health is not Error afterwards.
    /// </summary>
    public static class SfDrill
    {
        /// <summary>
        /// One row per stateful partition of <paramref name="sourceServiceName"/> (only those in <paramref name="only"/>
        /// when given): Planned with the backup to drill, or Failed/Skipped with the reason. Reads only. Without a
        /// <paramref name="drill"/> client (-VerifyOnly with no drill target) no drill partition is looked up.
        /// </summary>
        public static async Task<IReadOnlyList<SfDrillResult>> PlanServiceAsync(SfBackupClient source, SfBackupClient? drill, string sourceServiceName,
            string? drillServiceName, ICollection<Guid>? only, CancellationToken cancellationToken)
        {
            var partitions = (await source.GetPartitions(sourceServiceName).ReadAllAsync(cancellationToken).ConfigureAwait(false))
                .Where(p => p.IsStateful && p.PartitionInformation != null && (only == null || only.Contains(p.PartitionId))).ToList();
            var rows = new List<SfDrillResult>();
            if (partitions.Count == 0) return rows;
            var sourceName = SfEntity.Service(sourceServiceName).Name!;
            var drillName = drill == null ? "" : SfEntity.Service(drillServiceName ?? sourceName).Name!;
            var targets = drill == null ? new Dictionary<string, SfPartition>(StringComparer.Ordinal)
                : (await drill.GetPartitions(drillName).ReadAllAsync(cancellationToken).ConfigureAwait(false))
                    .Where(p => p.IsStateful && p.PartitionInformation != null)
                    .GroupBy(p => SfRestorePlanner.KeyOf(p.PartitionInformation!), StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            var pager = source.GetBackups(SfEntity.Service(sourceName));
            var backups = (await pager.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                .Where(b => b.CreationTimeUtc.HasValue).GroupBy(b => b.PartitionId).ToDictionary(g => g.Key, g => g.ToList());
            var now = (pager.LastServerDate ?? DateTimeOffset.UtcNow).UtcDateTime;

            foreach (var partition in partitions)
            {
                var info = partition.PartitionInformation!;
                var row = new SfDrillResult
                {
                    SourceServiceName = sourceName, SourcePartitionId = info.Id, PartitionKind = info.ServicePartitionKind ?? "", KeyRange = info.KeyRange,
                    DrillServiceName = drillName, DrillCluster = drill?.Connection.Endpoints[0].GetLeftPart(UriPartial.Authority) ?? "",
                };
                rows.Add(row);
                if (targets.TryGetValue(SfRestorePlanner.KeyOf(info), out var target)) row.DrillPartitionId = target.PartitionId;
                Choose(row, backups.TryGetValue(info.Id, out var listed) ? listed : new List<BackupInfo>(), now);
                if (row.Result == SfDrillStatus.Planned && row.DrillPartitionId == null && drill != null)
                {
                    row.Result = SfDrillStatus.Skipped;
                    row.Reason = $"the drill service {drillName} has no partition with key range {info.KeyRange}";
                }
            }
            return rows;
        }

        /// <summary>The latest backup, when its chain is complete; otherwise Failed, naming the newest backup that could be restored.</summary>
        private static void Choose(SfDrillResult row, List<BackupInfo> listed, DateTime nowUtc)
        {
            var newestFirst = listed.Where(b => b.FailureError == null).OrderByDescending(b => b.CreationTimeUtc!.Value).ToList();
            if (newestFirst.Count == 0)
            {
                Fail(row, "SfDrillNoBackup", "no backup of this partition is listed");
                return;
            }
            var latest = newestFirst[0];
            row.BackupId = latest.BackupId;
            row.BackupLocation = latest.BackupLocation;
            row.BackupType = latest.BackupType;
            row.BackupTimeUtc = latest.CreationTimeUtc;
            row.BackupAge = nowUtc - latest.CreationTimeUtc!.Value;
            row.BackupEpoch = latest.EpochOfLastBackupRecord;
            row.BackupLsn = latest.LsnOfLastBackupRecord;
            var check = SfBackupChain.Check(latest, listed);
            row.ChainLength = check.Members.Count;
            row.ChainBackupIds = check.Members.Select(b => b.BackupId).ToArray();
            if (check.State == SfChainState.Complete) return;

            var fallback = newestFirst.Skip(1).FirstOrDefault(b => SfBackupChain.Check(b, listed).State == SfChainState.Complete);
            Fail(row, "SfDrillChain" + check.State,
                $"the latest backup ({latest.BackupType} of {SfBackupChain.When(latest)}) cannot be restored: {check.Problem}; "
                + (fallback == null ? "no listed backup of this partition could be restored" : $"the newest backup that could be is {fallback.BackupId:D} of {SfBackupChain.When(fallback)}"));
        }

        private static void Fail(SfDrillResult row, string errorId, string reason)
        {
            row.Result = SfDrillStatus.Failed;
            row.ErrorId = errorId;
            row.Reason = reason;
        }

        /// <summary>Runs one planned drill; every failure ends up in the row, only cancellation is thrown.</summary>
        public static async Task RunAsync(SfBackupClient source, SfBackupClient drill, SfDrillResult row, SfDrillOptions options, CancellationToken cancellationToken)
        {
            try
            {
                if (options.VerifyOnly) await VerifyChainAsync(source, row, options, cancellationToken).ConfigureAwait(false);
                else await RestoreAndCheckAsync(drill, row, options, cancellationToken).ConfigureAwait(false);
            }
            catch (SfClientException ex) when (!cancellationToken.IsCancellationRequested)
            {
                Fail(row, ex.ErrorId, SfText.Clip(ex.Message, 500));
            }
            catch (ArgumentException ex)
            {
                Fail(row, "SfInvalidArgument", ex.Message);
            }
            finally
            {
                if (!cancellationToken.IsCancellationRequested) row.Stage = SfDrillStage.Done;
            }
        }

        private static async Task VerifyChainAsync(SfBackupClient source, SfDrillResult row, SfDrillOptions options, CancellationToken cancellationToken)
        {
            row.VerifyOnly = true;
            if (options.Storage != null)
            {
                row.Stage = SfDrillStage.Checking;
                var query = new GetBackupByStorageQueryDescription { Storage = options.Storage, BackupEntity = SfEntity.Partition(row.SourcePartitionId).ToBackupEntity() };
                var stored = new HashSet<Guid>((await source.GetBackupsFromStorage(query).ReadAllAsync(cancellationToken).ConfigureAwait(false)).Select(b => b.BackupId));
                var missing = row.ChainBackupIds.Where(id => !stored.Contains(id)).ToList();
                if (missing.Count > 0)
                {
                    Fail(row, "SfDrillChainMemberMissing", $"{missing.Count} backup(s) of the chain are listed by the cluster but not found in {options.Storage}: {string.Join(", ", missing.Select(m => m.ToString("D")))}");
                    return;
                }
            }
            row.Result = SfDrillStatus.Verified;
            row.Reason = $"the chain of {row.ChainLength} backup(s) back to its full backup is listed complete{(options.Storage != null ? " and found in the storage" : "")}; not restored (-VerifyOnly)";
        }

        private static async Task RestoreAndCheckAsync(SfBackupClient drill, SfDrillResult row, SfDrillOptions options, CancellationToken cancellationToken)
        {
            var target = row.DrillPartitionId!.Value;
            var restore = new RestorePartitionDescription { BackupId = row.BackupId!.Value, BackupLocation = row.BackupLocation ?? "", BackupStorage = options.Storage };
            row.Stage = SfDrillStage.Sending;
            row.RestoreStartedUtc = DateTime.UtcNow;
            var clock = Stopwatch.StartNew();
            await drill.SendIntentAsync(t => drill.RestorePartitionAsync(target, restore, options.RestoreTimeoutMinutes, t),
                (sent, t) => SfIntents.RestoreStarted(drill, SfEntity.Partition(target), sent, t), cancellationToken).ConfigureAwait(false);
            row.Stage = SfDrillStage.Restoring;
            var final = await SfWait.ForRestoreAsync(drill, target, row.RestoreStartedUtc.Value, options.PollInterval, options.WaitLimit, null, cancellationToken).ConfigureAwait(false);
            row.Rto = clock.Elapsed;
            row.RestoreEndedUtc = row.RestoreStartedUtc + row.Rto;
            row.Stage = SfDrillStage.Checking;
            if (final.RestoreState != RestoreState.Success)
            {
                Fail(row, final.FailureError?.Code ?? "SfRestore" + final.RestoreState,
                    $"the restore into {target:D} ended in {final.RestoreState}" + (final.FailureError == null ? "" : ": " + SfText.Clip(final.FailureError.ToString(), 500)));
                return;
            }
            if (final.RestoredLsn != row.BackupLsn || !SameEpoch(final.RestoredEpoch, row.BackupEpoch))
            {
                Fail(row, "SfDrillRestoredPointMismatch",
                    $"the restore reports epoch {final.RestoredEpoch?.ToString() ?? "none"} and LSN {final.RestoredLsn?.ToString() ?? "none"}; the backup has epoch {row.BackupEpoch?.ToString() ?? "none"} and LSN {row.BackupLsn?.ToString() ?? "none"}");
                return;
            }
            var health = await drill.GetPartitionHealthAsync(target, cancellationToken).ConfigureAwait(false);
            if (string.Equals(health.AggregatedHealthState, "Error", StringComparison.OrdinalIgnoreCase))
            {
                var events = (health.HealthEvents ?? new List<SfHealthEvent>()).Where(e => string.Equals(e.HealthState, "Error", StringComparison.OrdinalIgnoreCase) || e.IsExpired)
                    .Select(e => $"{e.SourceId}/{e.Property}: {SfText.Clip(e.Description ?? "", 200)}");
                Fail(row, "SfDrillPartitionUnhealthy", $"after the restore the drill partition {target:D} is in Error health ({string.Join("; ", events)})");
                return;
            }
            row.Result = SfDrillStatus.Verified;
            row.Reason = $"restored in {SfBackupHealthReader.Span(row.Rto.Value)} ({row.Rto.Value.TotalSeconds:0.0} s) with the backup's epoch and LSN; drill partition health {health.AggregatedHealthState ?? "unknown"}";
        }

        private static bool SameEpoch(SfEpoch? a, SfEpoch? b) =>
            a == null || b == null ? a == null && b == null : a.DataLossNumber == b.DataLossNumber && a.ConfigurationNumber == b.ConfigurationNumber;

        /// <summary>The slice (1..<paramref name="of"/>) a partition is drilled in: the same from run to run, whatever else the estate holds.</summary>
        public static int SliceOf(Guid partitionId, int of)
        {
            if (of < 1) throw new ArgumentOutOfRangeException(nameof(of), of, "A sample needs at least one slice.");
            unchecked
            {
                var hash = 2166136261u;
                foreach (var b in partitionId.ToByteArray()) hash = (hash ^ b) * 16777619u;
                return (int)(hash % (uint)of) + 1;
            }
        }

        /// <summary>The slice a run drills when none is given: one per day, so that N daily runs cover every slice once.</summary>
        public static int SliceForDay(DateTime utc, int of) => (int)(utc.Date.Ticks / TimeSpan.TicksPerDay % of) + 1;
    }
}
