using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SfBackup.Client.Models;
using SfBackup.Client.Transport;

namespace SfBackup.Client.Operations
{
    /// <summary>How one step of a plan ended: its failure, if any, and with -Wait the restore's final progress.</summary>
    public sealed class SfRestoreOutcome
    {
        public SfRestoreOutcome(SfRestoreStep step) => Step = step;

        public SfRestoreStep Step { get; }
        public SfClientException? Failure { get; set; }
        public RestoreProgressInfo? Final { get; set; }
    }

    /// <summary>How to run a plan: the storage to send, how many at once, whether and how long to wait.</summary>
    public sealed class SfRestoreOptions
    {
        /// <summary>The storage the backups are in (the restore's BackupStorage); null: the target partitions' policy storage.</summary>
        public BackupStorage? Storage { get; set; }
        public int ThrottleLimit { get; set; } = 4;
        public bool Wait { get; set; }
        public TimeSpan WaitLimit { get; set; } = TimeSpan.FromMinutes(11);
        public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);
        public int? RestoreTimeoutMinutes { get; set; }
    }

    /// <summary>
    /// Reads the sources of a point-in-time plan, and runs a plan: every restorable step at most
    /// <see cref="SfRestoreOptions.ThrottleLimit"/> at a time, each sent once (a lost answer is resolved by reading the
    /// partition's restore progress, see <see cref="SfIntents.RestoreStarted"/>). One step's failure never stops the
    /// others; each outcome says how its step ended.
    /// </summary>
    public static class SfRestoreRunner
    {
        /// <summary>
        /// The plan for one target service: its partitions, and the source's backups up to the point in time, from
        /// the source service in this cluster or, with a storage, from that storage.
        /// </summary>
        public static async Task<IReadOnlyList<SfRestoreStep>> PlanServiceAsync(SfBackupClient client, string targetServiceName, string sourceServiceName,
            BackupStorage? storage, DateTime pointInTimeUtc, CancellationToken cancellationToken)
        {
            var target = SfEntity.Service(targetServiceName);
            var source = SfEntity.Service(sourceServiceName);
            var targets = await client.GetPartitions(targetServiceName).ReadAllAsync(cancellationToken).ConfigureAwait(false);
            List<BackupInfo> backups;
            List<PartitionInformation>? scheme = null;
            if (storage != null)
            {
                var query = new GetBackupByStorageQueryDescription
                {
                    Storage = storage, EndDateTimeFilter = pointInTimeUtc, BackupEntity = source.ToBackupEntity(),
                };
                backups = await client.GetBackupsFromStorage(query).ReadAllAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var partitions = await client.GetPartitions(sourceServiceName).ReadAllAsync(cancellationToken).ConfigureAwait(false);
                scheme = partitions.Where(p => p.IsStateful && p.PartitionInformation != null).Select(p => p.PartitionInformation!).ToList();
                backups = scheme.Count == 0
                    ? new List<BackupInfo>()
                    : await client.GetBackups(source, new BackupListFilter { EndDateTimeUtc = pointInTimeUtc }).ReadAllAsync(cancellationToken).ConfigureAwait(false);
            }
            return SfRestorePlanner.Plan(target.Name!, targets, source.Name!, scheme, backups, pointInTimeUtc);
        }

        /// <summary>
        /// The plan from backups already listed (a catalog file): the source service's backups at or before the time,
        /// matched with the target's partitions by key range. Only the target's partitions are read.
        /// </summary>
        public static async Task<IReadOnlyList<SfRestoreStep>> PlanServiceFromAsync(SfBackupClient client, string targetServiceName, string sourceServiceName,
            IReadOnlyList<BackupInfo> listed, DateTime pointInTimeUtc, CancellationToken cancellationToken)
        {
            var target = SfEntity.Service(targetServiceName);
            var source = SfEntity.Service(sourceServiceName).Name!;
            var targets = await client.GetPartitions(targetServiceName).ReadAllAsync(cancellationToken).ConfigureAwait(false);
            var backups = listed.Where(b => b.ServiceName != null && SfEntity.Service(b.ServiceName).Name == source && b.CreationTimeUtc <= pointInTimeUtc).ToList();
            return SfRestorePlanner.Plan(target.Name!, targets, source, null, backups, pointInTimeUtc);
        }

        public static async Task<IReadOnlyList<SfRestoreOutcome>> RunAsync(SfBackupClient client, IReadOnlyList<SfRestoreStep> steps, SfRestoreOptions options,
            Action<SfRestoreStep, RestoreProgressInfo>? observe, CancellationToken cancellationToken)
        {
            var outcomes = steps.Select(s => new SfRestoreOutcome(s)).ToList();
            await SfThrottle.ForEachAsync(outcomes.Where(o => o.Step.CanRestore), options.ThrottleLimit,
                (outcome, token) => RunStepAsync(client, outcome, options, observe, token), cancellationToken).ConfigureAwait(false);
            return outcomes;
        }

        private static async Task RunStepAsync(SfBackupClient client, SfRestoreOutcome outcome, SfRestoreOptions options,
            Action<SfRestoreStep, RestoreProgressInfo>? observe, CancellationToken cancellationToken)
        {
            var step = outcome.Step;
            var partition = SfEntity.Partition(step.TargetPartitionId);
            var restore = new RestorePartitionDescription { BackupId = step.BackupId!.Value, BackupLocation = step.BackupLocation ?? "", BackupStorage = options.Storage };
            var sentUtc = DateTime.UtcNow;
            try
            {
                await client.SendIntentAsync(t => client.RestorePartitionAsync(step.TargetPartitionId, restore, options.RestoreTimeoutMinutes, t),
                    (sent, t) => SfIntents.RestoreStarted(client, partition, sent, t), cancellationToken).ConfigureAwait(false);
                step.Result = SfRestoreStepResult.Accepted;
                if (!options.Wait) return;
                var final = await SfWait.ForRestoreAsync(client, step.TargetPartitionId, sentUtc, options.PollInterval, options.WaitLimit,
                    p => observe?.Invoke(step, p), cancellationToken).ConfigureAwait(false);
                outcome.Final = final;
                step.Result = final.RestoreState == RestoreState.Success ? SfRestoreStepResult.Restored : SfRestoreStepResult.Failed;
                if (step.Result == SfRestoreStepResult.Failed) step.ErrorId = final.FailureError?.Code ?? "SfRestore" + final.RestoreState;
            }
            catch (SfClientException ex) when (!cancellationToken.IsCancellationRequested)
            {
                outcome.Failure = ex;
                step.Result = SfRestoreStepResult.Failed;
                step.ErrorId = ex.ErrorId;
            }
        }
    }
}
