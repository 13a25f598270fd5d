using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using SfBackup.Client.Models;
using SfBackup.Client.Operations;
using SfBackup.PowerShell.Binding;

namespace SfBackup.PowerShell.Cmdlets
{
    /// <summary>
    /// A point-in-time restore of many partitions as one unit: plan (reads only), refuse before any change when a
    /// partition cannot be restored (unless -AllowPartial), ask once for the whole plan, then restore with
    /// -ThrottleLimit and -Wait, writing one SfRestoreStep per partition and a closing summary line.
    /// </summary>
    public abstract class PointInTimeRestoreCmdletBase : SfCmdlet
    {
        /// <summary><para type="description">The time to go back to: each partition gets the latest backup taken at or before it (local time unless it says otherwise).</para></summary>
        [Parameter(Mandatory = true)]
        public DateTime PointInTime { get; set; }

        /// <summary><para type="description">Read the backups from this storage (New-SfBackupStorage, with its real secret) instead of the source in this cluster: how a restore into another cluster works. Also sent with every restore.</para></summary>
        [Parameter]
        [ValidateNotNull]
        public BackupStorage? Storage { get; set; }

        /// <summary><para type="description">Plan from a catalog file (Get-SfBackupCatalog -CachePath) instead of listing backups: only the target's partitions are read from the cluster. Give -Storage too when the backups are not in the target's policy storage; it is sent with every restore.</para></summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Catalog { get; set; }

        private List<BackupInfo>? _catalog;

        /// <summary>The -Catalog file's backups, read once per command; a file that cannot be read stops the command.</summary>
        protected List<BackupInfo> CatalogBackups() => _catalog ??= ReadCatalogFile(Catalog!);

        /// <summary><para type="description">Restore the partitions that can be restored even when others cannot (no source partition, no usable backup); those are reported as Skipped.</para></summary>
        [Parameter]
        public SwitchParameter AllowPartial { get; set; }

        /// <summary><para type="description">How many partitions to restore at once (1..64, default 4).</para></summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 4;

        /// <summary><para type="description">Wait until every restore ends, showing progress; a restore that ends in Failure or Timeout is an error naming its partition.</para></summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <summary><para type="description">With -Wait: give up waiting for a partition after this many seconds (default: the restore timeout plus one minute).</para></summary>
        [Parameter]
        [ValidateRange(1, 7 * 24 * 3600)]
        public int WaitTimeoutSec { get; set; }

        /// <summary><para type="description">Minutes the cluster gives each restore (RestoreTimeout; the cluster's default is 10).</para></summary>
        [Parameter]
        [ValidateRange(SfBackupClient.MinBackupTimeoutMinutes, SfBackupClient.MaxBackupTimeoutMinutes)]
        public int RestoreTimeoutMinutes { get; set; }

        /// <summary><para type="description">Restore without asking (the same as -Confirm:$false). -WhatIf still only shows the plan.</para></summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>-PointInTime in UTC; a time without a kind is taken as local time, as PowerShell's [datetime] casts give it.</summary>
        protected DateTime PointInTimeUtc =>
            PointInTime.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(PointInTime, DateTimeKind.Local).ToUniversalTime() : PointInTime.ToUniversalTime();

        /// <summary>Plans, checks, confirms and runs the restore of <paramref name="target"/>.</summary>
        protected void Restore(string target, string source, Func<SfBackupClient, CancellationToken, Task<IReadOnlyList<SfRestoreStep>>> plan)
        {
            if (Storage is UnknownBackupStorage)
            {
                WriteError(new ErrorRecord(new ArgumentException("A storage of unknown kind cannot be sent."), "SfInvalidArgument", ErrorCategory.InvalidArgument, Storage));
                return;
            }
            if (Storage != null && Storage.HasMaskedSecret)
            {
                // A policy read from a cluster comes back with its secrets masked: sent as it is, the cluster would
                // try "****" as the connection string or password.
                WriteError(new ErrorRecord(new ArgumentException("This storage's secret was masked by the cluster it was read from. Describe the storage with New-SfBackupStorage and its real connection string or credential."),
                    "SfMaskedStorageSecret", ErrorCategory.InvalidArgument, Storage));
                return;
            }
            var pointInTime = PointInTimeUtc;
            if (!TryInvoke(target, target, plan, out var steps)) return;
            var restorable = steps.Where(s => s.CanRestore).ToList();
            var problems = steps.Where(s => s.Problem != null).ToList();
            var whatIf = IsWhatIf();
            WriteVerbose($"{target}: {steps.Count} partition(s) planned from {source} at {pointInTime:u}; {restorable.Count} can be restored, {problems.Count} cannot.");

            if (problems.Count > 0 && !AllowPartial)
            {
                if (whatIf) foreach (var step in steps) WriteObject(step);
                WriteError(new ErrorRecord(
                    new InvalidOperationException($"Nothing was restored. {problems.Count} partition(s) of the plan for {target} cannot be restored:{Environment.NewLine}{SfRestorePlanner.DescribeProblems(problems)}{Environment.NewLine}Use -AllowPartial to restore the others."),
                    "SfRestorePlanRefused", ErrorCategory.InvalidData, target));
                return;
            }
            if (restorable.Count == 0)
            {
                WriteError(new ErrorRecord(new InvalidOperationException($"Nothing to restore in {target}: no partition has a usable backup at or before {pointInTime:u}."),
                    "SfRestoreNothingToRestore", ErrorCategory.ObjectNotFound, target));
                foreach (var step in steps) WriteObject(step);
                return;
            }

            var action = $"Restore {restorable.Count} partition(s) to {pointInTime:u} from backups of {source}{(problems.Count > 0 ? $", skipping {problems.Count}" : "")}. This replaces their state";
            var confirmed = Force && !whatIf && !MyInvocation.BoundParameters.ContainsKey("Confirm") || ShouldProcess(target, action);
            if (!confirmed)
            {
                if (whatIf) foreach (var step in steps) WriteObject(step);
                return;
            }

            var options = new SfRestoreOptions
            {
                Storage = Storage, ThrottleLimit = ThrottleLimit, Wait = Wait,
                RestoreTimeoutMinutes = MyInvocation.BoundParameters.ContainsKey(nameof(RestoreTimeoutMinutes)) ? RestoreTimeoutMinutes : (int?)null,
            };
            options.WaitLimit = MyInvocation.BoundParameters.ContainsKey(nameof(WaitTimeoutSec))
                ? TimeSpan.FromSeconds(WaitTimeoutSec)
                : TimeSpan.FromMinutes((options.RestoreTimeoutMinutes ?? 10) + 1);
            var activity = $"Restore of {target} to {pointInTime:u}";
            var done = 0;
            void Observe(SfRestoreStep step, RestoreProgressInfo progress)
            {
                if (SfWait.IsFinal(progress.RestoreState)) Interlocked.Increment(ref done);
                QueueProgress(new ProgressRecord(1, activity, $"{step.TargetPartitionId:D}: {progress.RestoreState}")
                {
                    PercentComplete = Math.Min(100, 100 * Volatile.Read(ref done) / restorable.Count),
                });
            }
            if (!TryInvoke(target, target, (client, token) => SfRestoreRunner.RunAsync(client, steps, options, Observe, token), out var outcomes)) return;
            QueueProgress(new ProgressRecord(1, activity, "Done") { RecordType = ProgressRecordType.Completed });
            FlushTrace();

            foreach (var outcome in outcomes)
            {
                var step = outcome.Step;
                if (outcome.Failure != null) WriteError(SfErrors.Record(outcome.Failure, step.TargetPartitionId, step.TargetText));
                else if (outcome.Final != null && step.Result == SfRestoreStepResult.Failed)
                    WriteError(SfErrors.RunEnded("Restore", outcome.Final.RestoreState.ToString(), outcome.Final.FailureError?.Code, outcome.Final.FailureError?.Message, step.TargetPartitionId, step.TargetText));
                else if (step.Result == SfRestoreStepResult.Skipped) WriteWarning($"{step.TargetText}: skipped: {step.Problem}.");
                WriteObject(step);
            }
            WriteInformation(new HostInformationMessage { Message = Summary(target, pointInTime, steps) }, new[] { "PSHOST", "SfBackup", "Summary" });
        }

        /// <summary>The closing line: how many partitions were restored, accepted, failed and skipped.</summary>
        internal static string Summary(string target, DateTime pointInTimeUtc, IReadOnlyList<SfRestoreStep> steps)
        {
            int Count(SfRestoreStepResult result) => steps.Count(s => s.Result == result);
            var accepted = Count(SfRestoreStepResult.Accepted);
            return $"Restore of {target} to {pointInTimeUtc:u}: {Count(SfRestoreStepResult.Restored)} restored, "
                + (accepted > 0 ? $"{accepted} accepted (not waited for), " : "")
                + $"{Count(SfRestoreStepResult.Failed)} failed, {Count(SfRestoreStepResult.Skipped)} skipped.";
        }
    }

    /// <summary>
    /// <para type="synopsis">Restores every partition of a service to a point in time, from the same service, another service, or a storage (also into another cluster).</para>
    /// <para type="description">Each stateful partition of the service is matched with the source partition of the same key range (Int64Range: the same LowKey and HighKey; Named: the same name; Singleton: Singleton) and gets the latest backup taken at or before -PointInTime whose chain back to its full backup is complete. When a partition cannot be matched or has no usable backup, nothing is restored unless -AllowPartial. One confirmation covers the whole plan; -WhatIf shows the plan. Then POST /Partitions/{id}/$/Restore (api-version 6.4) for each, -ThrottleLimit at a time.</para>
    /// </summary>
    /// <example>
    /// <code>Restore-SfService fabric:/CalcApp/CalcService -PointInTime '2026-11-30 02:00' -AllowPartial -WhatIf</code>
    /// <para>Shows which backup each partition would get (a partition with none that old as Skipped), and sends nothing.</para>
    /// </example>
    /// <example>
    /// <code>Restore-SfService fabric:/CalcApp/CalcService -PointInTime $t -Storage $storage -Wait -Force</code>
    /// <para>In a rebuilt cluster: restores from the old cluster's backups in the storage, matched by key range, and waits.</para>
    /// </example>
    [Cmdlet(VerbsData.Restore, "SfService", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(SfRestoreStep))]
    public sealed class RestoreSfServiceCommand : PointInTimeRestoreCmdletBase
    {
        /// <summary><para type="description">The service to restore: fabric:/app/svc, app/svc or app~svc; from the pipeline as a string or by the ServiceName or Name property.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Name")]
        [ValidateSfName]
        [ArgumentCompleter(typeof(ServiceNameCompleter))]
        public string ServiceName { get; set; } = "";

        /// <summary><para type="description">The service whose backups to restore from (default: the same service, in this cluster or in -Storage).</para></summary>
        [Parameter]
        [ValidateSfName]
        public string? SourceServiceName { get; set; }

        protected override void ProcessRecord()
        {
            var target = SfEntity.Service(ServiceName).Name!;
            var source = SfEntity.Service(string.IsNullOrEmpty(SourceServiceName) ? ServiceName : SourceServiceName!).Name!;
            var storage = Storage;
            var pointInTime = PointInTimeUtc;
            if (Catalog != null)
            {
                var catalog = CatalogBackups();
                Restore(target, $"{source} in the catalog {Catalog}", (client, token) => SfRestoreRunner.PlanServiceFromAsync(client, target, source, catalog, pointInTime, token));
                return;
            }
            Restore(target, Storage == null ? source : $"{source} in {Storage}",
                (client, token) => SfRestoreRunner.PlanServiceAsync(client, target, source, storage, pointInTime, token));
        }
    }

    /// <summary>
    /// <para type="synopsis">Restores every stateful service of an application to a point in time, from the same application, another one, or a storage (also into another cluster).</para>
    /// <para type="description">Restore-SfService for each stateful service of the application, as one plan with one confirmation: each service's source is the service of the same name under the source application. Nothing is restored when any partition of any service cannot be, unless -AllowPartial.</para>
    /// </summary>
    /// <example>
    /// <code>Restore-SfApplication fabric:/CalcApp -PointInTime (Get-Date).AddHours(-6) -AllowPartial -Wait</code>
    /// <para>Back to how CalcApp was six hours ago, after one confirmation; a partition with no backup that old is Skipped instead of stopping the whole plan.</para>
    /// </example>
    /// <example>
    /// <code>Restore-SfApplication fabric:/CalcApp -PointInTime '2026-01-11 12:00' -AllowPartial -WhatIf</code>
    /// <para>Shows which backup each partition of each stateful service would get (a partition with none that old as Skipped), and sends nothing.</para>
    /// </example>
    [Cmdlet(VerbsData.Restore, "SfApplication", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(SfRestoreStep))]
    public sealed class RestoreSfApplicationCommand : PointInTimeRestoreCmdletBase
    {
        /// <summary><para type="description">The application to restore: fabric:/app or app; from the pipeline as a string or by the ApplicationName or Name property.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Name")]
        [ValidateSfName]
        [ArgumentCompleter(typeof(ApplicationNameCompleter))]
        public string ApplicationName { get; set; } = "";

        /// <summary><para type="description">The application whose services' backups to restore from (default: the same application).</para></summary>
        [Parameter]
        [ValidateSfName]
        public string? SourceApplicationName { get; set; }

        protected override void ProcessRecord()
        {
            var target = SfEntity.Application(ApplicationName).Name!;
            var source = SfEntity.Application(string.IsNullOrEmpty(SourceApplicationName) ? ApplicationName : SourceApplicationName!).Name!;
            var storage = Storage;
            var pointInTime = PointInTimeUtc;
            var catalog = Catalog == null ? null : CatalogBackups();
            Restore(target, catalog != null ? $"{source} in the catalog {Catalog}" : Storage == null ? source : $"{source} in {Storage}", async (client, token) =>
            {
                var services = await client.GetServices(target).ReadAllAsync(token).ConfigureAwait(false);
                var steps = new List<SfRestoreStep>();
                foreach (var service in services.Where(s => s.Name != null && !string.Equals(s.ServiceKind, "Stateless", StringComparison.OrdinalIgnoreCase)))
                {
                    var sourceService = source + service.Name!.Substring(target.Length);
                    steps.AddRange(catalog != null
                        ? await SfRestoreRunner.PlanServiceFromAsync(client, service.Name, sourceService, catalog, pointInTime, token).ConfigureAwait(false)
                        : await SfRestoreRunner.PlanServiceAsync(client, service.Name, sourceService, storage, pointInTime, token).ConfigureAwait(false));
                }
                return steps;
            });
        }
    }
}
