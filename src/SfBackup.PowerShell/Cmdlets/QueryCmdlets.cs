using System;
using System.Linq;
using System.Management.Automation;
using SfBackup.Client.Models;
using SfBackup.Client.Operations;
using SfBackup.PowerShell.Binding;

namespace SfBackup.PowerShell.Cmdlets
{
    /// <summary>
    /// Cmdlets that read about an application, a service or a partition. The most specific one given wins (a
    /// Get-SfPartition or Get-SfBackup object carries PartitionId and ServiceName: it is a partition). No parameter
    /// sets: objects with both a ServiceName and an ApplicationName would make them ambiguous.
    /// </summary>
    public abstract class EntityQueryCmdletBase : SfCmdlet
    {
        /// <summary><para type="description">An application: fabric:/app or app; by property name from the pipeline (Get-SfApplication output).</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateSfName]
        [ArgumentCompleter(typeof(ApplicationNameCompleter))]
        public string? ApplicationName { get; set; }

        /// <summary><para type="description">A service: fabric:/app/svc, app/svc or app~svc; by property name from the pipeline (Get-SfService output).</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateSfName]
        [ArgumentCompleter(typeof(ServiceNameCompleter))]
        public string? ServiceName { get; set; }

        /// <summary><para type="description">A partition; by property name from the pipeline (Get-SfPartition output, Microsoft's PartitionInformation objects).</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("PartitionInformation")]
        [PartitionIdTransformation(AllowMissing = true)]
        [ArgumentCompleter(typeof(PartitionIdCompleter))]
        public Guid PartitionId { get; set; }

        /// <summary>The entity the bound parameters name, most specific first; null when none is given.</summary>
        protected SfEntity? Entity =>
            PartitionId != Guid.Empty ? SfEntity.Partition(PartitionId)
            : !string.IsNullOrEmpty(ServiceName) ? SfEntity.Service(ServiceName!)
            : !string.IsNullOrEmpty(ApplicationName) ? SfEntity.Application(ApplicationName!)
            : null;

        protected SfEntity? RequireEntity()
        {
            var entity = Entity;
            if (entity == null)
            {
                WriteError(new ErrorRecord(new ArgumentException("Name an application (-ApplicationName), a service (-ServiceName) or a partition (-PartitionId)."),
                    "SfNoEntity", ErrorCategory.InvalidArgument, null));
            }
            return entity;
        }
    }

    /// <summary>
    /// <para type="synopsis">Gets the backup configuration (policy, inheritance, suspension) of an application, service or partition.</para>
    /// <para type="description">GET /Applications|Services/{id}/$/GetBackupConfigurationInfo (paged: the entity and what under it has its own settings) or /Partitions/{id}/$/GetBackupConfigurationInfo (api-version 6.4).</para>
    /// </summary>
    /// <example>
    /// <code>Get-SfBackupConfiguration -ApplicationName fabric:/CalcApp</code>
    /// <para>The application's policy and suspension, and those of its services and partitions that have settings of their own.</para>
    /// </example>
    /// <example>
    /// <code>Get-SfPartition fabric:/CalcApp/CalcService | Get-SfBackupConfiguration</code>
    /// <para>Each partition's effective policy, where it is inherited from, and whether backup is suspended.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "SfBackupConfiguration", SupportsPaging = true)]
    [OutputType(typeof(BackupConfigurationInfo))]
    public sealed class GetSfBackupConfigurationCommand : EntityQueryCmdletBase
    {
        protected override void ProcessRecord()
        {
            var entity = RequireEntity();
            if (entity != null) WritePages(Client.GetBackupConfiguration(entity), entity.Target, entity.ToString());
        }
    }

    /// <summary>
    /// <para type="synopsis">Lists backups of an application, service or partition, or found in a storage location.</para>
    /// <para type="description">GET /Applications|Services|Partitions/{id}/$/GetBackups, or POST /BackupRestore/$/GetBackups with -Storage (paged, api-version 6.4). Output pipes into Restore-SfPartition.</para>
    /// </summary>
    /// <example>
    /// <code>Get-SfBackup -ServiceName fabric:/CalcApp/CalcService -StartTime (Get-Date).AddDays(-7)</code>
    /// <para>The last week's backups of every partition of a service.</para>
    /// </example>
    /// <example>
    /// <code>Get-SfBackup -Storage $blob -ApplicationName fabric:/CalcApp -Latest</code>
    /// <para>The latest backup of each CalcApp partition found in a storage location.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "SfBackup", SupportsPaging = true, DefaultParameterSetName = EntitySet)]
    [OutputType(typeof(BackupInfo))]
    public sealed class GetSfBackupCommand : EntityQueryCmdletBase
    {
        private const string EntitySet = "Entity";
        private const string StorageSet = "Storage";

        /// <summary><para type="description">Read the backups in this storage (New-SfBackupStorage) instead; -ApplicationName, -ServiceName or -PartitionId then narrow it down.</para></summary>
        [Parameter(Mandatory = true, ParameterSetName = StorageSet)]
        [ValidateNotNull]
        public BackupStorage? Storage { get; set; }

        /// <summary><para type="description">Only the latest backup of each partition.</para></summary>
        [Parameter]
        public SwitchParameter Latest { get; set; }

        /// <summary><para type="description">Only backups taken at or after this time.</para></summary>
        [Parameter]
        public DateTime StartTime { get; set; }

        /// <summary><para type="description">Only backups taken at or before this time.</para></summary>
        [Parameter]
        public DateTime EndTime { get; set; }

        protected override void ProcessRecord()
        {
            DateTime? start = MyInvocation.BoundParameters.ContainsKey(nameof(StartTime)) ? StartTime.ToUniversalTime() : (DateTime?)null;
            DateTime? end = MyInvocation.BoundParameters.ContainsKey(nameof(EndTime)) ? EndTime.ToUniversalTime() : (DateTime?)null;

            if (ParameterSetName == StorageSet)
            {
                var entity = Entity;
                var query = new GetBackupByStorageQueryDescription
                {
                    Storage = Storage, Latest = Latest, StartDateTimeFilter = start, EndDateTimeFilter = end,
                    BackupEntity = entity?.ToBackupEntity(),
                };
                if (TryBuild(client => client.GetBackupsFromStorage(query), Storage, $"Storage {Storage}", out var inStorage))
                    WritePages(inStorage, Storage!, $"Storage {Storage}");
                return;
            }

            var target = RequireEntity();
            if (target == null) return;
            var filter = new BackupListFilter { Latest = Latest, StartDateTimeUtc = start, EndDateTimeUtc = end };
            if (TryBuild(client => client.GetBackups(target, filter), target.Target, target.ToString(), out var backups))
                WritePages(backups, target.Target, target.ToString());
        }
    }

    /// <summary>
    /// <para type="synopsis">Lists the cluster's applications, optionally by name with wildcards.</para>
    /// <para type="description">GET /Applications (paged, api-version 6.1). Output pipes into Get-SfService and the application cmdlets.</para>
    /// </summary>
    /// <example>
    /// <code>Get-SfApplication</code>
    /// <para>Every application of the cluster.</para>
    /// </example>
    /// <example>
    /// <code>Get-SfApplication -Name fabric:/Calc* | Get-SfService</code>
    /// <para>The services of the applications whose name starts with fabric:/Calc.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "SfApplication", SupportsPaging = true)]
    [OutputType(typeof(SfApplication))]
    public sealed class GetSfApplicationCommand : SfCmdlet
    {
        /// <summary><para type="description">Application names (fabric:/app or app); wildcards allowed.</para></summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ApplicationNameCompleter))]
        public string[]? Name { get; set; }

        protected override void ProcessRecord()
        {
            var patterns = (Name ?? Array.Empty<string>())
                .Select(n => new WildcardPattern(n.StartsWith("fabric:", StringComparison.OrdinalIgnoreCase) ? n : "fabric:/" + n.TrimStart('/'), WildcardOptions.IgnoreCase))
                .ToList();
            WritePages(Client.GetApplications(), "Applications", "Applications", a => patterns.Count == 0 || patterns.Any(p => p.IsMatch(a.Name ?? "")));
        }
    }

    /// <summary>
    /// <para type="synopsis">Lists the services of an application.</para>
    /// <para type="description">GET /Applications/{applicationId}/$/GetServices (paged, api-version 6.0). Output pipes into Get-SfPartition and the service cmdlets.</para>
    /// </summary>
    /// <example>
    /// <code>Get-SfService fabric:/CalcApp</code>
    /// <para>The application's services, stateful and stateless.</para>
    /// </example>
    /// <example>
    /// <code>Get-SfApplication | Get-SfService | Where-Object ServiceKind -eq Stateful</code>
    /// <para>Every stateful service of the cluster: the ones that can be backed up.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "SfService", SupportsPaging = true)]
    [OutputType(typeof(SfService))]
    public sealed class GetSfServiceCommand : ApplicationCmdletBase
    {
        protected override void ProcessRecord()
        {
            var application = SfEntity.Application(ApplicationName);
            WritePages(Client.GetServices(ApplicationName), application.Target, application.ToString());
        }
    }

    /// <summary>
    /// <para type="synopsis">Lists the partitions of a service, with their service kind.</para>
    /// <para type="description">GET /Services/{serviceId}/$/GetPartitions (paged, api-version 6.0). Output pipes into every partition cmdlet; those skip stateless partitions with a warning.</para>
    /// </summary>
    /// <example>
    /// <code>Get-SfApplication | Get-SfService | Get-SfPartition</code>
    /// <para>Every partition of the cluster, with its service kind.</para>
    /// </example>
    /// <example>
    /// <code>Get-SfPartition fabric:/Inventory/Stock | Select-Object PartitionId, PartitionInformation</code>
    /// <para>Each partition's id and key range.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "SfPartition", SupportsPaging = true)]
    [OutputType(typeof(SfPartition))]
    public sealed class GetSfPartitionCommand : ServiceCmdletBase
    {
        protected override void ProcessRecord()
        {
            var service = SfEntity.Service(ServiceName);
            WritePages(Client.GetPartitions(ServiceName), service.Target, service.ToString());
        }
    }
}
