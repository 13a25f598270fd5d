using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System.Threading.Tasks;
using SfBackup.Client.Models;
using SfBackup.Client.Operations;
using SfBackup.Client.Session;

namespace SfBackup.PowerShell.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Lists backups from a catalog that outlives the cluster: built from a storage or from the cluster, kept in a file with -CachePath, and answered from that file with no call to any cluster.</para>
    /// <para type="description">With -Storage, the backups are read from the storage itself (POST /BackupRestore/$/GetBackups), so services and clusters that no longer exist are found too, for the applications, services or partitions given (default: every application of the connected cluster). Without -Storage, from the cluster's own listings. With -CachePath, a catalog file that exists answers the query with no call at all (-Refresh rebuilds it); one that does not exist is built and written. The file holds the whole catalog that was built; -ApplicationName, -ServiceName, -PartitionId, -StartTime and -EndTime filter what is written to the pipeline. Rows are BackupInfo objects, as Get-SfBackup gives, one per backup, by service, partition and time; they pipe into Test-SfBackupChain.</para>
    /// </summary>
    /// <example>
    /// <code>Get-SfBackupCatalog -Storage $blob -ApplicationName fabric:/CalcApp -CachePath ./calc-catalog.json</code>
    /// <para>Builds the catalog of every CalcApp backup in the storage, whether or not its service still exists, and keeps it in a file.</para>
    /// </example>
    /// <example>
    /// <code>Get-SfBackupCatalog -CachePath ./calc-catalog.json -ServiceName fabric:/CalcApp/CalcService -EndTime '2026-11-30'</code>
    /// <para>Answers from the file alone: CalcService's backups up to the end of November, with no cluster reachable.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "SfBackupCatalog")]
    [OutputType(typeof(BackupInfo))]
    public sealed class GetSfBackupCatalogCommand : EntityQueryCmdletBase
    {
        private readonly List<SfEntity> _entities = new List<SfEntity>();

        /// <summary><para type="description">Read the backups from this storage (New-SfBackupStorage, with its real secret) instead of the cluster's listings.</para></summary>
        [Parameter]
        [ValidateNotNull]
        public BackupStorage? Storage { get; set; }

        /// <summary><para type="description">The catalog file: read when it exists (no call to any cluster), otherwise built and written.</para></summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? CachePath { get; set; }

        /// <summary><para type="description">With -CachePath: build the catalog again and overwrite the file.</para></summary>
        [Parameter]
        public SwitchParameter Refresh { get; set; }

        /// <summary><para type="description">Only backups taken at or after this time.</para></summary>
        [Parameter]
        public DateTime? StartTime { get; set; }

        /// <summary><para type="description">Only backups taken at or before this time.</para></summary>
        [Parameter]
        public DateTime? EndTime { get; set; }

        protected override void ProcessRecord()
        {
            if (Entity is { } entity) _entities.Add(entity);
        }

        protected override void EndProcessing()
        {
            if (StartTime.HasValue && EndTime.HasValue && StartTime.Value.ToUniversalTime() > EndTime.Value.ToUniversalTime())
                ThrowTerminatingError(new ErrorRecord(new ArgumentException("-StartTime is after -EndTime: no backup can match."), "SfInvalidTimeRange", ErrorCategory.InvalidArgument, StartTime));
            var path = CachePath == null ? null : GetUnresolvedProviderPathFromPSPath(CachePath);
            List<BackupInfo> catalog;
            if (path != null && File.Exists(path) && !Refresh)
            {
                WriteVerbose($"Answering from the catalog file {path}; no cluster is asked.");
                catalog = ReadCatalogFile(CachePath!);
            }
            else
            {
                var entities = _entities.Count == 0 ? null : _entities;
                // A masked -Storage is refused by FromStorageAsync before its first call, as one terminating error.
                if (!TryInvoke("Catalog", "The catalog", (client, token) => Storage != null
                        ? SfBackupCatalog.FromStorageAsync(client, Storage, entities, token)
                        : SfBackupCatalog.FromClusterAsync(client, entities, token), out catalog)) return;
                if (path != null)
                {
                    WriteVerbose($"Writing the catalog of {catalog.Count} backup(s) to {path}.");
                    var source = Storage != null ? "storage " + Storage : Client.Connection.Endpoints[0].GetLeftPart(UriPartial.Authority);
                    File.WriteAllText(path, SfBackupCatalog.ToJson(catalog, new[] { source }, DateTime.UtcNow), new UTF8Encoding(false));
                }
            }
            foreach (var backup in SfBackupCatalog.Filter(catalog, _entities, StartTime?.ToUniversalTime(), EndTime?.ToUniversalTime())) WriteObject(backup);
        }
    }

    /// <summary>
    /// <para type="synopsis">Tells, for every backup chain it is given, whether it can be restored: Complete, NoFull, FailedInChain, LsnAnomaly, or Orphaned (whole, but its partition is in none of the clusters asked).</para>
    /// <para type="description">Takes backups from the pipeline (Get-SfBackupCatalog, Get-SfBackup) or a catalog file (-CachePath), groups them by partition and chain, and judges each chain at its latest member: its full backup must be listed, and no member up to it may have failed or record an LSN of -1. A listing cannot show a member missing in the middle of a chain (it carries no parent link); Test-SfLastBackup finds that by restoring. With -ClusterSession (or the connected cluster, when there is one), each partition is looked up (GET /Partitions/{id}/$/GetServiceName) and a whole chain of a partition none of them has is Orphaned: its service or cluster is gone, and it can only be restored by key range into another service.</para>
    /// </summary>
    /// <example>
    /// <code>Get-SfBackupCatalog -CachePath ./catalog.json | Test-SfBackupChain | Where-Object State -ne Complete</code>
    /// <para>The chains that would not restore, or whose partition is gone.</para>
    /// </example>
    /// <example>
    /// <code>Test-SfBackupChain -CachePath ./catalog.json -ClusterSession $west, $east</code>
    /// <para>Orphaned means that neither cluster has the partition.</para>
    /// </example>
    [Cmdlet(VerbsDiagnostic.Test, "SfBackupChain")]
    [OutputType(typeof(SfChainReport))]
    public sealed class TestSfBackupChainCommand : SfCmdlet
    {
        private readonly List<BackupInfo> _backups = new List<BackupInfo>();

        /// <summary><para type="description">Backups, from the pipeline (Get-SfBackupCatalog or Get-SfBackup output).</para></summary>
        [Parameter(ValueFromPipeline = true)]
        public BackupInfo[]? InputObject { get; set; }

        /// <summary><para type="description">A catalog file written by Get-SfBackupCatalog -CachePath.</para></summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? CachePath { get; set; }

        /// <summary><para type="description">The clusters a partition must be in not to be Orphaned (default: the -Session or connected cluster, when there is one; with none, no partition is looked up).</para></summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public SfClusterConnection[]? ClusterSession { get; set; }

        protected override void ProcessRecord()
        {
            if (InputObject != null) _backups.AddRange(InputObject.Where(b => b != null));
        }

        protected override void EndProcessing()
        {
            if (CachePath != null) _backups.AddRange(ReadCatalogFile(CachePath));
            var reports = SfBackupCatalog.Chains(SfBackupCatalog.Sorted(_backups));
            var clusters = Clusters();
            // Not TryInvoke: that would resolve the default session, which -ClusterSession does not need.
            if (clusters.Count > 0 && reports.Count > 0)
                TryComplete(MarkOrphans(reports, clusters), "Clusters", "The clusters", out _);
            foreach (var report in reports) WriteObject(report);
        }

        private async Task<bool> MarkOrphans(List<SfChainReport> reports, List<SfBackupClient> clusters)
        {
            await SfBackupCatalog.MarkOrphansAsync(reports, clusters, StopToken).ConfigureAwait(false);
            return true;
        }

        /// <summary>-ClusterSession, or the one session this cmdlet would use, or none when nothing is connected.</summary>
        private List<SfBackupClient> Clusters()
        {
            if (ClusterSession != null) return ClusterSession.Select(ClientFor).ToList();
            if (Session == null && SfModuleState.Get(SessionState) == null)
            {
                WriteVerbose("No cluster is connected: no partition is looked up, and no chain is Orphaned.");
                return new List<SfBackupClient>();
            }
            return new List<SfBackupClient> { Client };
        }
    }
}
