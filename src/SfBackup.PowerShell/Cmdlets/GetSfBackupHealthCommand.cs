using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using System.Xml;
using SfBackup.Client.Models;
using SfBackup.Client.Operations;
using SfBackup.Client.Transport;
using SfBackup.PowerShell.Binding;

namespace SfBackup.PowerShell.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Tells, for every stateful partition, whether its backups keep up with its policy: Healthy, Late, Failing, NeverBackedUp, Suspended or NotEnabled.</para>
    /// <para type="description">For the whole cluster, or for -ApplicationName, -ServiceName or -PartitionId (also from the pipeline). Per service it reads the partitions, the backup configuration and the service-level latest-backup listing (one paged call each), services -ThrottleLimit at a time; only partitions found late or never backed up get one more call, their backup progress, to tell Failing apart. A partition is Late when its last backup is older than the interval its policy's schedule promises plus -Grace (default 30 minutes). Ages are measured on the cluster's clock. Rows come out worst status first.</para>
    /// </summary>
    /// <example>
    /// <code>Get-SfBackupHealth -Unhealthy</code>
    /// <para>Only the partitions that need action (Failing, Late, NeverBackedUp, Suspended), worst first.</para>
    /// </example>
    /// <example>
    /// <code>Get-SfBackupHealth -Summary</code>
    /// <para>How many partitions of the cluster have each status.</para>
    /// </example>
    /// <example>
    /// <code>Get-SfBackupHealth -ApplicationName fabric:/CalcApp -ReportHealth -HealthTimeToLive 01:30:00</code>
    /// <para>Also reports each unhealthy partition to the cluster's health store (source SfBackup, property BackupRpo), where Service Fabric Explorer and health alerts see it.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "SfBackupHealth", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(SfBackupHealth), typeof(SfBackupHealthSummary))]
    public sealed class GetSfBackupHealthCommand : EntityQueryCmdletBase
    {
        /// <summary>The health report's source and property.</summary>
        public const string HealthSource = SfBackupHealthReader.HealthSource;
        public const string HealthProperty = SfBackupHealthReader.RpoProperty;

        private readonly List<SfEntity> _entities = new List<SfEntity>();
        private bool _wholeCluster;

        /// <summary><para type="description">How much later than the promised interval a backup may be before the partition is Late (default 00:30:00).</para></summary>
        [Parameter]
        [ValidateTimeSpanRange("00:00:00", "7.00:00:00")]
        public TimeSpan Grace { get; set; } = SfBackupHealthReader.DefaultGrace;

        /// <summary><para type="description">Only the partitions that need action: Failing, Late, NeverBackedUp and Suspended (not Healthy, not NotEnabled).</para></summary>
        [Parameter]
        public SwitchParameter Unhealthy { get; set; }

        /// <summary><para type="description">Instead of one row per partition, how many partitions have each status.</para></summary>
        [Parameter]
        public SwitchParameter Summary { get; set; }

        /// <summary><para type="description">Also send each partition that needs action to the cluster's health store: source SfBackup, property BackupRpo; Error for Failing and Late, Warning for NeverBackedUp and Suspended.</para></summary>
        [Parameter]
        public SwitchParameter ReportHealth { get; set; }

        /// <summary><para type="description">With -ReportHealth: how long a report stands before it is removed (default 01:00:00, one hour; run the check more often than this).</para></summary>
        [Parameter]
        [ValidateTimeSpanRange("00:01:00", "30.00:00:00")]
        public TimeSpan HealthTimeToLive { get; set; } = TimeSpan.FromHours(1);

        /// <summary><para type="description">Also read each partition's health for its last restore drill (the BackupVerified report of Test-SfLastBackup -ReportHealth): Verification (Never, Verified, Failed, Expired), LastVerifiedUtc, LastDrillUtc and LastDrillDetail. One more call per partition.</para></summary>
        [Parameter]
        public SwitchParameter IncludeLastVerified { get; set; }

        /// <summary><para type="description">How many services to read at once (1..64, default 8).</para></summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 8;

        /// <summary>
        /// <para type="description">Taken from pipeline objects that carry it (Get-SfPartition): a Stateless partition has no backups, and is passed over.</para>
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        public string? ServiceKind { get; set; }

        protected override void ProcessRecord()
        {
            if (PartitionId != Guid.Empty && string.Equals(ServiceKind, "Stateless", StringComparison.OrdinalIgnoreCase))
            {
                WriteVerbose($"Partition {PartitionId:D} belongs to a stateless service, which has no backups: passed over.");
                return;
            }
            var entity = Entity;
            if (entity == null) _wholeCluster = true;
            else _entities.Add(entity);
        }

        protected override void EndProcessing()
        {
            var reader = new SfBackupHealthReader(Client, Grace, IncludeLastVerified);
            var entities = new List<SfEntity>(_entities);
            if (_wholeCluster)
            {
                if (!TryInvoke("Cluster", "The cluster", (_, token) => reader.ClusterAsync(token), out var applications)) return;
                entities.InsertRange(0, applications);
            }
            if (!TryInvoke("Cluster", "The cluster", (_, token) => reader.ReadAsync(entities, ThrottleLimit, token), out var reads)) return;

            foreach (var failed in reads.Where(r => r.Failure != null)) WriteError(SfErrors.Record(failed.Failure!, failed.Entity.Target, failed.Entity.ToString()));
            var rows = reads.SelectMany(r => r.Rows)
                .GroupBy(r => r.PartitionId).Select(g => g.First())
                .Where(r => !Unhealthy || r.NeedsAction)
                .OrderBy(r => r.Status).ThenBy(r => r.ServiceName, StringComparer.OrdinalIgnoreCase).ThenBy(r => r.PartitionId)
                .ToList();

            if (ReportHealth) Report(rows.Where(r => r.NeedsAction).ToList());

            if (Summary)
            {
                foreach (SfBackupHealthStatus status in Enum.GetValues(typeof(SfBackupHealthStatus)))
                {
                    if (Unhealthy && (status == SfBackupHealthStatus.Healthy || status == SfBackupHealthStatus.NotEnabled)) continue;
                    WriteObject(new SfBackupHealthSummary(status, rows.Count(r => r.Status == status)));
                }
                return;
            }
            foreach (var row in rows) WriteObject(row);
        }

        /// <summary>One health report per partition (after ShouldProcess on this thread), sent ThrottleLimit at a time.</summary>
        private void Report(IReadOnlyList<SfBackupHealth> rows)
        {
            var approved = rows.Where(r => ShouldProcess($"Partition {r.PartitionId:D}", $"Report {HealthProperty} {StateOf(r.Status)} ({r.Status}) to the health store")).ToList();
            if (approved.Count == 0) return;
            var ttl = XmlConvert.ToString(HealthTimeToLive);
            var failures = new SfClientException?[approved.Count];
            TryInvoke("Cluster", "The cluster", async (client, token) =>
            {
                await SfThrottle.ForEachAsync(Enumerable.Range(0, approved.Count), ThrottleLimit, async (i, t) =>
                {
                    var row = approved[i];
                    var report = new HealthInformation
                    {
                        SourceId = HealthSource, Property = HealthProperty, HealthState = StateOf(row.Status),
                        Description = row.Reason, TimeToLiveInMilliSeconds = ttl, RemoveWhenExpired = true,
                    };
                    try
                    {
                        await client.ReportPartitionHealthAsync(row.PartitionId, report, t).ConfigureAwait(false);
                    }
                    catch (SfClientException ex) when (!t.IsCancellationRequested)
                    {
                        failures[i] = ex;
                    }
                }, token).ConfigureAwait(false);
                return true;
            }, out _);
            for (var i = 0; i < approved.Count; i++)
            {
                if (failures[i] is { } failure) WriteError(SfErrors.Record(failure, approved[i].PartitionId, $"Partition {approved[i].PartitionId:D}"));
                else WriteVerbose($"Partition {approved[i].PartitionId:D}: reported {HealthProperty} {StateOf(approved[i].Status)}.");
            }
        }

        /// <summary>Failing and Late are errors (backups are not happening); NeverBackedUp and Suspended are warnings.</summary>
        public static string StateOf(SfBackupHealthStatus status) =>
            status == SfBackupHealthStatus.Failing || status == SfBackupHealthStatus.Late ? "Error" : "Warning";
    }
}
