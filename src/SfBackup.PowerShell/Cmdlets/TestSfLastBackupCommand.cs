using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using System.Xml;
using SfBackup.Client.Input;
using SfBackup.Client.Models;
using SfBackup.Client.Operations;
using SfBackup.Client.Session;
using SfBackup.Client.Transport;
using SfBackup.PowerShell.Binding;

namespace SfBackup.PowerShell.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Restore drill: proves that the latest backup of each stateful partition restores, by restoring it into a drill target, checking it, and measuring how long it took.</para>
    /// <para type="description">For each stateful partition of the applications, services or partitions given (also from the pipeline), the latest listed backup is taken; its chain must be listed complete back to its full backup (no failed member, no LSN of -1), or the partition is Failed without a restore. The backup is restored into the drill partition of the same key range: in -DrillServiceName (a scratch service, in this cluster or in -DrillSession), or in the service of the same name in -DrillSession (another cluster). It never restores onto the source partition itself: a drill target that turns out to be a source partition stops the command before anything is sent. After the restore: it must end in Success, the restored epoch and LSN must be the backup's, the drill partition must not be in Error health, and the -Probe script block, when given, must return $true. Each partition gives one SfDrillResult as it finishes (Verified, Failed or Skipped, with the reason and the measured RTO), then a summary line. A finding is a result, not an error: errors are for the cluster calls that fail.</para>
    /// </summary>
    /// <example>
    /// <code>Test-SfLastBackup -ServiceName fabric:/CalcApp/CalcService -DrillSession $drill -WhatIf</code>
    /// <para>Shows which backup each partition would restore into which partition of the drill cluster, and sends nothing.</para>
    /// </example>
    /// <example>
    /// <code>Get-SfService fabric:/CalcApp | Test-SfLastBackup -DrillSession $drill -Sample 1/7 -ReportHealth | Where-Object Result -ne Verified</code>
    /// <para>A daily drill of one seventh of the partitions (a different seventh each day), reporting BackupVerified to each source partition's health.</para>
    /// </example>
    /// <example>
    /// <code>Test-SfLastBackup -ApplicationName fabric:/CalcApp -DrillSession $drill -VerifyOnly</code>
    /// <para>Restores nothing: checks that the latest backup's chain is listed complete for every partition.</para>
    /// </example>
    [Cmdlet(VerbsDiagnostic.Test, "SfLastBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SfDrillResult))]
    public sealed class TestSfLastBackupCommand : EntityQueryCmdletBase
    {
        /// <summary>The health report's source and property (-ReportHealth).</summary>
        public const string HealthProperty = SfBackupHealthReader.VerifiedProperty;

        private readonly List<(SfEntity Entity, string? ServiceName)> _inputs = new List<(SfEntity, string?)>();

        /// <summary><para type="description">The drill cluster (Connect-SfCluster -NoDefault). Without -DrillServiceName, each source service is restored into the service of the same name there. Default: this cluster, which then needs -DrillServiceName.</para></summary>
        [Parameter]
        [ValidateNotNull]
        public SfClusterConnection? DrillSession { get; set; }

        /// <summary><para type="description">The scratch service to restore into (in -DrillSession, or in this cluster): its partitions are matched with the source's by key range, and their state is replaced. Never a service whose data you need.</para></summary>
        [Parameter]
        [ValidateSfName]
        public string? DrillServiceName { get; set; }

        /// <summary><para type="description">The storage the backups are in (New-SfBackupStorage, with its real secret): sent with every restore, and with -VerifyOnly each chain member is looked up there. Default: the drill partitions' policy storage.</para></summary>
        [Parameter]
        [ValidateNotNull]
        public BackupStorage? Storage { get; set; }

        /// <summary><para type="description">An application-level check run after each successful restore: param($drill) gets DrillSession, DrillPartitionId, DrillServiceName, SourcePartitionId, BackupId and Result (the SfDrillResult); it must return $true. Anything else, nothing, or an error fails the drill.</para></summary>
        [Parameter]
        [ValidateNotNull]
        public ScriptBlock? Probe { get; set; }

        /// <summary><para type="description">How many drills to run at once (1..64, default 4).</para></summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 4;

        /// <summary><para type="description">Drill one slice of the partitions, as 1/N (for example 1/7): each partition always falls in the same slice, and each day drills the next one, so N daily runs cover every partition once. -Slice picks the slice.</para></summary>
        [Parameter]
        [ValidatePattern(@"^\s*1\s*/\s*[1-9][0-9]{0,2}\s*$")]
        public string? Sample { get; set; }

        /// <summary><para type="description">With -Sample: the slice to drill, 1..N (default: the day's, counted in UTC days).</para></summary>
        [Parameter]
        [ValidateRange(1, 999)]
        public int Slice { get; set; }

        /// <summary><para type="description">Start no new restore after this much time has passed (drills under way are finished); the partitions not started are Skipped.</para></summary>
        [Parameter]
        [ValidateTimeSpanRange("00:00:01", "7.00:00:00")]
        public TimeSpan MaxDuration { get; set; }

        /// <summary><para type="description">Restore nothing: check that the latest backup's chain is listed complete (and, with -Storage, that each member is in that storage).</para></summary>
        [Parameter]
        public SwitchParameter VerifyOnly { get; set; }

        /// <summary><para type="description">Report each result to the source partition's health: source SfBackup, property BackupVerified, Ok for Verified and Error for Failed (with -VerifyOnly, failures only). The report stays after its time to live and then counts as an error, so a drill that stops running shows.</para></summary>
        [Parameter]
        public SwitchParameter ReportHealth { get; set; }

        /// <summary><para type="description">With -ReportHealth: how long a report stands (default: one day more than the sample's cycle: 2 days, or 8 with -Sample 1/7).</para></summary>
        [Parameter]
        [ValidateTimeSpanRange("00:01:00", "400.00:00:00")]
        public TimeSpan HealthTimeToLive { get; set; }

        /// <summary><para type="description">Minutes the cluster gives each restore (RestoreTimeout; the cluster's default is 10).</para></summary>
        [Parameter]
        [ValidateRange(SfBackupClient.MinBackupTimeoutMinutes, SfBackupClient.MaxBackupTimeoutMinutes)]
        public int RestoreTimeoutMinutes { get; set; }

        /// <summary><para type="description">Give up waiting for a restore after this many seconds (default: the restore timeout plus one minute); that drill is Failed.</para></summary>
        [Parameter]
        [ValidateRange(1, 7 * 24 * 3600)]
        public int WaitTimeoutSec { get; set; }

        /// <summary><para type="description">Taken from pipeline objects that carry it (Get-SfPartition): a Stateless partition has no backups, and is passed over.</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        public string? ServiceKind { get; set; }

        protected override void BeginProcessing()
        {
            if (DrillSession == null && string.IsNullOrEmpty(DrillServiceName) && !VerifyOnly)
                ThrowTerminatingError(new ErrorRecord(
                    new ArgumentException("A drill needs a target: -DrillSession (another cluster) or -DrillServiceName (a scratch service). It never restores onto the source. (-VerifyOnly, which restores nothing, needs none.)"),
                    "SfDrillTargetRequired", ErrorCategory.InvalidArgument, null));
            if (Storage != null)
            {
                // A masked secret would fail every drill alike, later, in the cluster: refused once, before any read.
                try
                {
                    SfBackupClient.RequireSendable(Storage, nameof(Storage));
                }
                catch (SfRefusedInputException ex)
                {
                    Refuse(ex, Storage, "-Storage");
                }
                catch (ArgumentException ex)
                {
                    ThrowTerminatingError(new ErrorRecord(ex, "SfInvalidArgument", ErrorCategory.InvalidArgument, Storage));
                }
            }
            if (MyInvocation.BoundParameters.ContainsKey(nameof(Slice)) && Sample == null)
                ThrowTerminatingError(new ErrorRecord(new ArgumentException("-Slice needs -Sample 1/N."), "SfInvalidArgument", ErrorCategory.InvalidArgument, Slice));
            if (Sample != null && Slice > SampleOf())
                ThrowTerminatingError(new ErrorRecord(new ArgumentException($"-Slice {Slice} is not one of the {SampleOf()} slices of -Sample {Sample}."), "SfInvalidArgument", ErrorCategory.InvalidArgument, Slice));
        }

        protected override void ProcessRecord()
        {
            if (PartitionId != Guid.Empty && string.Equals(ServiceKind, "Stateless", StringComparison.OrdinalIgnoreCase))
            {
                WriteVerbose($"Partition {PartitionId:D} belongs to a stateless service, which has no backups: passed over.");
                return;
            }
            var entity = RequireEntity();
            if (entity != null) _inputs.Add((entity, string.IsNullOrEmpty(ServiceName) ? null : SfEntity.Service(ServiceName!).Name));
        }

        protected override void EndProcessing()
        {
            var source = Client;
            // -VerifyOnly without a drill target reads the source only.
            var drill = DrillSession == null && string.IsNullOrEmpty(DrillServiceName) ? null : ClientFor(DrillSession ?? source.Connection);
            var services = ResolveServices(source);
            var rows = new List<SfDrillResult>();
            foreach (var service in services)
            {
                if (TryInvoke(service.Key, service.Key, (_, token) => SfDrill.PlanServiceAsync(source, drill, service.Key, DrillServiceName, service.Value, token), out var planned))
                    rows.AddRange(planned);
            }

            // Partition ids are unique across clusters: a drill partition that is any source partition of this run
            // (itself, or another service being drilled) would lose the data the drill is meant to protect.
            var sourceIds = new HashSet<Guid>(rows.Select(r => r.SourcePartitionId));
            var onto = rows.FirstOrDefault(r => r.DrillPartitionId is { } target && sourceIds.Contains(target));
            if (onto != null)
                ThrowTerminatingError(new ErrorRecord(
                    new InvalidOperationException($"Nothing was sent: the drill target of partition {onto.SourcePartitionId:D} ({onto.SourceServiceName}) is "
                        + (onto.DrillPartitionId == onto.SourcePartitionId ? "that partition itself" : $"partition {onto.DrillPartitionId:D}, which this run also drills as a source")
                        + ". A drill never restores onto a source: give -DrillServiceName a scratch service, or -DrillSession another cluster."),
                    "SfDrillOntoSource", ErrorCategory.InvalidOperation, onto.SourcePartitionId));
            foreach (var row in rows) row.VerifyOnly = VerifyOnly;

            var sliceText = "";
            if (Sample != null)
            {
                var of = SampleOf();
                var slice = Slice > 0 ? Slice : SfDrill.SliceForDay(DateTime.UtcNow, of);
                var all = rows.Count;
                rows = rows.Where(r => SfDrill.SliceOf(r.SourcePartitionId, of) == slice).ToList();
                sliceText = $"{slice}/{of}";
                foreach (var row in rows) row.Slice = sliceText;
                WriteVerbose($"Sample {Sample}: slice {sliceText} holds {rows.Count} of the {all} partition(s).");
            }

            var whatIf = IsWhatIf();
            var toRun = new List<SfDrillResult>();
            foreach (var row in rows)
            {
                if (row.Result != SfDrillStatus.Planned)
                {
                    Finish(source, row, whatIf);
                    continue;
                }
                if (VerifyOnly ? true : ShouldProcess($"Partition {row.DrillPartitionId:D} of {row.DrillServiceName} at {row.DrillCluster}",
                        $"Restore backup {row.BackupId:D} ({row.BackupType} of {row.BackupTimeUtc:u}) of partition {row.SourcePartitionId:D} into it, replacing the drill partition's state{(ReportHealth ? ", and report " + HealthProperty + " to the source partition" : "")}"))
                {
                    if (!whatIf) toRun.Add(row);
                }
                if (whatIf) WriteObject(row);
            }
            if (whatIf || toRun.Count == 0)
            {
                if (!whatIf) WriteSummary(rows, sliceText);
                return;
            }
            Run(source, drill ?? source, toRun);
            WriteSummary(rows, sliceText);
        }

        /// <summary>Drills -ThrottleLimit at a time; each result is probed, reported and written on this thread as it finishes.</summary>
        private void Run(SfBackupClient source, SfBackupClient drill, IReadOnlyList<SfDrillResult> rows)
        {
            var options = new SfDrillOptions
            {
                Storage = Storage, VerifyOnly = VerifyOnly,
                RestoreTimeoutMinutes = MyInvocation.BoundParameters.ContainsKey(nameof(RestoreTimeoutMinutes)) ? RestoreTimeoutMinutes : (int?)null,
            };
            options.WaitLimit = MyInvocation.BoundParameters.ContainsKey(nameof(WaitTimeoutSec))
                ? TimeSpan.FromSeconds(WaitTimeoutSec)
                : TimeSpan.FromMinutes((options.RestoreTimeoutMinutes ?? 10) + 1);
            var limit = MyInvocation.BoundParameters.ContainsKey(nameof(MaxDuration)) ? MaxDuration : (TimeSpan?)null;
            var finished = new ConcurrentQueue<SfDrillResult>();
            var clock = Stopwatch.StartNew();
            // Sources of several services (or a -VerifyOnly run's rows) may share a drill partition: one restore at a
            // time reaches each drill partition, as the cluster accepts one at a time.
            var byTarget = rows.GroupBy(r => VerifyOnly ? r.SourcePartitionId : r.DrillPartitionId!.Value).Select(g => g.ToList()).ToList();
            var run = SfThrottle.ForEachAsync(byTarget, ThrottleLimit, async (group, token) =>
            {
                foreach (var row in group)
                {
                    if (limit.HasValue && clock.Elapsed >= limit.Value)
                    {
                        row.Result = SfDrillStatus.Skipped;
                        row.Reason = $"not started: -MaxDuration {limit.Value} had passed";
                        row.Stage = SfDrillStage.Done;
                    }
                    else
                    {
                        await SfDrill.RunAsync(source, drill, row, options, token).ConfigureAwait(false);
                    }
                    finished.Enqueue(row);
                }
            }, StopToken);

            var done = 0;
            const string activity = "Restore drill";
            while (true)
            {
                if (StopToken.IsCancellationRequested) Stopped(rows);
                var ended = run.IsCompleted;
                while (finished.TryDequeue(out var row))
                {
                    done++;
                    Finish(source, row, whatIf: false);
                    QueueProgress(new ProgressRecord(2, activity, $"{done} of {rows.Count} done; {row.SourcePartitionId:D}: {row.Result}")
                    {
                        PercentComplete = Math.Min(100, 100 * done / rows.Count),
                    });
                }
                FlushTrace();
                if (ended) break;
                Settled(run); // how it ended is read below
            }
            QueueProgress(new ProgressRecord(2, activity, "Done") { RecordType = ProgressRecordType.Completed });
            FlushTrace();
            if (run.IsCanceled || StopToken.IsCancellationRequested) Stopped(rows);
            // Every expected failure ends up in its row; anything else is a defect, and is not hidden.
            run.GetAwaiter().GetResult();
        }

        /// <summary>Ctrl+C: says which restores are out in the cluster (they go on there), then stops the pipeline.</summary>
        private void Stopped(IEnumerable<SfDrillResult> rows)
        {
            var underWay = rows.Where(r => r.Stage == SfDrillStage.Sending || r.Stage == SfDrillStage.Restoring || r.Stage == SfDrillStage.Checking).ToList();
            if (underWay.Count > 0)
            {
                var list = string.Join(", ", underWay.Select(r => $"{r.DrillPartitionId:D} ({(r.Stage == SfDrillStage.Sending ? "sent, answer not read: it may have started" : "restoring")})"));
                try
                {
                    Host.UI.WriteWarningLine($"Stopped: {underWay.Count} drill restore(s) were under way and go on in the drill cluster {underWay[0].DrillCluster}: {list}. Follow them with Get-SfPartitionRestoreProgress; nothing was reported for them.");
                }
                catch (Exception ex) when (ex is PipelineStoppedException || ex is InvalidOperationException || ex is NotImplementedException)
                {
                    // a host without a UI: the stop still stops
                }
            }
            throw new PipelineStoppedException();
        }

        /// <summary>A finished row: the probe (after a Verified restore), the health report, a warning for a finding, the row.</summary>
        private void Finish(SfBackupClient source, SfDrillResult row, bool whatIf)
        {
            if (row.Result == SfDrillStatus.Verified && !row.VerifyOnly && Probe != null) RunProbe(row);
            if (ReportHealth && !whatIf && (row.Result == SfDrillStatus.Failed || (row.Result == SfDrillStatus.Verified && !row.VerifyOnly)))
            {
                // A restore that was sent had its report approved with it; any other report is asked on its own.
                if (row.RestoreStartedUtc.HasValue || ShouldProcess($"Partition {row.SourcePartitionId:D}", $"Report {HealthProperty} Error to the health store"))
                    Report(source, row);
            }
            if (row.Result == SfDrillStatus.Failed) WriteWarning($"Partition {row.SourcePartitionId:D} ({row.SourceServiceName}): drill failed: {row.Reason}.");
            else if (row.Result == SfDrillStatus.Skipped) WriteWarning($"Partition {row.SourcePartitionId:D} ({row.SourceServiceName}): skipped: {row.Reason}.");
            WriteObject(row);
        }

        private void RunProbe(SfDrillResult row)
        {
            var drill = new PSObject();
            drill.Properties.Add(new PSNoteProperty("DrillSession", DrillSession ?? Client.Connection));
            drill.Properties.Add(new PSNoteProperty("DrillServiceName", row.DrillServiceName));
            drill.Properties.Add(new PSNoteProperty("DrillPartitionId", row.DrillPartitionId));
            drill.Properties.Add(new PSNoteProperty("SourcePartitionId", row.SourcePartitionId));
            drill.Properties.Add(new PSNoteProperty("BackupId", row.BackupId));
            drill.Properties.Add(new PSNoteProperty("Result", row));
            string? failure;
            try
            {
                var output = Probe!.Invoke(drill);
                failure = output.Count == 0 ? "the probe returned nothing (it must return $true when the check passes)"
                    : LanguagePrimitives.IsTrue(output[output.Count - 1]) ? null : $"the probe returned {output[output.Count - 1]?.ToString() ?? "$null"}";
            }
            catch (RuntimeException ex)
            {
                failure = "the probe failed: " + SfText.Clip(ex.Message, 500);
            }
            if (failure == null)
            {
                row.Probe = "Passed";
                row.Reason += "; the probe passed";
                return;
            }
            row.Probe = "Failed";
            row.Result = SfDrillStatus.Failed;
            row.ErrorId = "SfDrillProbeFailed";
            row.Reason = $"restored, but {failure}";
        }

        private void Report(SfBackupClient source, SfDrillResult row)
        {
            var verified = row.Result == SfDrillStatus.Verified;
            var report = new HealthInformation
            {
                SourceId = SfBackupHealthReader.HealthSource, Property = HealthProperty, HealthState = verified ? "Ok" : "Error",
                Description = SfText.Clip(
                    (verified ? $"Verified: backup {row.BackupId:D} of {row.BackupTimeUtc:u} restored into {row.DrillPartitionId:D} at {row.DrillCluster}, RTO {row.Rto?.TotalSeconds:0.0} s"
                              : $"Drill failed: {row.Reason}"), 1000),
                TimeToLiveInMilliSeconds = XmlConvert.ToString(MyInvocation.BoundParameters.ContainsKey(nameof(HealthTimeToLive)) ? HealthTimeToLive : TimeSpan.FromDays((Sample == null ? 1 : SampleOf()) + 1)),
                RemoveWhenExpired = false,
            };
            if (TryInvoke(row.SourcePartitionId, $"Partition {row.SourcePartitionId:D}", (_, token) => source.ReportPartitionHealthAsync(row.SourcePartitionId, report, token), out _))
                WriteVerbose($"Partition {row.SourcePartitionId:D}: reported {HealthProperty} {report.HealthState}.");
        }

        private void WriteSummary(IReadOnlyList<SfDrillResult> rows, string slice)
        {
            int Count(SfDrillStatus status) => rows.Count(r => r.Result == status);
            var slowest = rows.Where(r => r.Rto.HasValue).Select(r => r.Rto!.Value).DefaultIfEmpty().Max();
            var message = $"Restore drill{(slice.Length > 0 ? $" (slice {slice})" : "")}{(VerifyOnly ? " (verify only)" : "")} of {rows.Count} partition(s): "
                + $"{Count(SfDrillStatus.Verified)} verified, {Count(SfDrillStatus.Failed)} failed, {Count(SfDrillStatus.Skipped)} skipped"
                + (slowest > TimeSpan.Zero ? $"; slowest RTO {slowest.TotalSeconds:0.0} s." : ".");
            WriteInformation(new HostInformationMessage { Message = message }, new[] { "PSHOST", "SfBackup", "Summary" });
        }

        /// <summary>The source services to drill, each with the partitions asked for (null: all of them).</summary>
        private Dictionary<string, HashSet<Guid>?> ResolveServices(SfBackupClient source)
        {
            var services = new Dictionary<string, HashSet<Guid>?>(StringComparer.OrdinalIgnoreCase);
            void Add(string service, Guid? partition)
            {
                if (!services.TryGetValue(service, out var only)) services[service] = partition.HasValue ? new HashSet<Guid> { partition.Value } : null;
                else if (only != null)
                {
                    if (partition.HasValue) only.Add(partition.Value);
                    else services[service] = null;
                }
            }
            foreach (var (entity, serviceName) in _inputs)
            {
                switch (entity.Kind)
                {
                    case SfEntityKind.Application:
                        if (TryInvoke(entity.Target, entity.ToString(), (_, token) => source.GetServices(entity.Name!).ReadAllAsync(token), out var list))
                            foreach (var s in list.Where(s => s.Name != null && !string.Equals(s.ServiceKind, "Stateless", StringComparison.OrdinalIgnoreCase))) Add(s.Name!, null);
                        break;
                    case SfEntityKind.Service:
                        Add(entity.Name!, null);
                        break;
                    default:
                        var name = serviceName;
                        if (name == null && TryInvoke(entity.Target, entity.ToString(), (_, token) => source.GetServiceNameAsync(entity.PartitionId, token), out var info)) name = info.Name;
                        if (name != null) Add(SfEntity.Service(name).Name!, entity.PartitionId);
                        break;
                }
            }
            return services;
        }

        private int SampleOf() => int.Parse(Sample!.Split('/')[1].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
