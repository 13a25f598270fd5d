using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using SfBackup.Client.Models;
using SfBackup.Client.Operations;
using SfBackup.Client.Transport;

namespace SfBackup.PowerShell.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Resumes periodic backup of partitions whose backup was suspended.</para>
    /// <para type="description">POST /Partitions/{partitionId}/$/ResumeBackup (api-version 6.2-preview).</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Resume, "SfPartitionBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SfActionResult))]
    public sealed class ResumeSfPartitionBackupCommand : PartitionActionCmdletBase
    {
        protected override string ActionText => "Resume periodic backup";
        protected override SfOperation Operation => SfOperation.ResumePartitionBackup;
        protected override Task<SfResponse> Send(SfBackupClient client, CancellationToken token) => client.ResumePartitionBackupAsync(PartitionId, token);
    }

    /// <summary>
    /// <para type="synopsis">Enables periodic backup of stateful partitions with a backup policy.</para>
    /// <para type="description">POST /Partitions/{partitionId}/$/EnableBackup (api-version 6.2-preview). Overrides a policy the service or application set.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Enable, "SfPartitionBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SfActionResult))]
    public sealed class EnableSfPartitionBackupCommand : PartitionActionCmdletBase
    {
        /// <summary><para type="description">The name of an existing backup policy.</para></summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [Alias("PolicyName")]
        public string BackupPolicyName { get; set; } = "";

        protected override string ActionText => $"Enable periodic backup with policy '{BackupPolicyName}'";
        protected override SfOperation Operation => SfOperation.EnablePartitionBackup;
        protected override Task<SfResponse> Send(SfBackupClient client, CancellationToken token) => client.EnablePartitionBackupAsync(PartitionId, BackupPolicyName, token);
    }

    /// <summary>
    /// <para type="synopsis">Takes a backup of partitions now, to the policy's storage or to a one-off storage.</para>
    /// <para type="description">POST /Partitions/{partitionId}/$/Backup (api-version 6.4). Follow it with Get-SfPartitionBackupProgress.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "SfPartitionBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SfActionResult))]
    public sealed class StartSfPartitionBackupCommand : PartitionActionCmdletBase
    {
        /// <summary><para type="description">A storage from New-SfBackupStorage; without it the partition's backup policy decides where the backup goes.</para></summary>
        [Parameter]
        [ValidateNotNull]
        public BackupStorage? Storage { get; set; }

        /// <summary><para type="description">Minutes the cluster waits for the backup to finish (BackupTimeout; the cluster's default is 10).</para></summary>
        [Parameter]
        [ValidateRange(SfBackupClient.MinBackupTimeoutMinutes, SfBackupClient.MaxBackupTimeoutMinutes)]
        public int BackupTimeoutMinutes { get; set; }

        protected override string ActionText => Storage == null ? "Back up now to the policy's storage" : $"Back up now to {Storage}";
        protected override SfOperation Operation => SfOperation.BackupPartition;

        protected override Task<SfResponse> Send(SfBackupClient client, CancellationToken token) =>
            client.BackupPartitionAsync(PartitionId, Storage,
                MyInvocation.BoundParameters.ContainsKey(nameof(BackupTimeoutMinutes)) ? BackupTimeoutMinutes : (int?)null, token);
    }

    /// <summary>
    /// <para type="synopsis">Gets the state of the latest restore of partitions.</para>
    /// <para type="description">GET /Partitions/{partitionId}/$/GetRestoreProgress (api-version 6.2-preview).</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SfPartitionRestoreProgress")]
    [OutputType(typeof(RestoreProgressInfo))]
    public sealed class GetSfPartitionRestoreProgressCommand : PartitionCmdletBase
    {
        protected override void ProcessRecord()
        {
            var partitionId = PartitionId;
            if (TryInvoke(partitionId, TargetText, (client, token) => client.GetPartitionRestoreProgressAsync(partitionId, token), out var progress))
            {
                WriteObject(progress);
            }
        }
    }

    /// <summary>
    /// <para type="synopsis">Resumes periodic backup of services whose backup was suspended.</para>
    /// <para type="description">POST /Services/{serviceId}/$/ResumeBackup (api-version 6.2-preview). Accepts fabric:/app/svc, app/svc or app~svc and sends app~svc.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Resume, "SfServiceBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SfActionResult))]
    public sealed class ResumeSfServiceBackupCommand : SfCmdlet
    {
        /// <summary><para type="description">The service: fabric:/app/svc, app/svc or app~svc; from the pipeline as a string or by the ServiceName, Name, ServiceId or Id property.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Name", "ServiceId", "Id")]
        [Binding.ValidateSfName]
        public string ServiceName { get; set; } = "";

        /// <summary><para type="description">Emit an SfActionResult for each accepted request, to pipe on.</para></summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            var name = SfBackup.Client.Input.EntityIds.ToFabricName(ServiceName);
            var target = "Service " + name;
            if (!ShouldProcess(target, "Resume periodic backup")) return;
            if (TryInvoke(name, target, (client, token) => client.ResumeServiceBackupAsync(name, token), out var response) && PassThru)
            {
                WriteObject(new SfActionResult(SfOperation.ResumeServiceBackup.Name, null, name, response.RequestId, System.DateTime.UtcNow));
            }
        }
    }
}
