using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using SfBackup.Client.Models;
using SfBackup.Client.Operations;
using SfBackup.Client.Transport;

namespace SfBackup.PowerShell.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Takes a backup of partitions now, to the policy's storage or to a one-off storage.</para>
    /// <para type="description">POST /Partitions/{partitionId}/$/Backup (api-version 6.4). Follow it with Get-SfPartitionBackupProgress.</para>
    /// </summary>
    /// <example>
    /// <code>Start-SfPartitionBackup 1daae3f5-7fd6-42e9-b1ba-8c05f873994d -PassThru | Get-SfPartitionBackupProgress</code>
    /// <para>Backs up now to the policy's storage and shows the progress.</para>
    /// </example>
    /// <example>
    /// <code>Start-SfPartitionBackup $p -Storage (New-SfBackupStorage -Path \\nas\adhoc) -BackupTimeoutMinutes 30</code>
    /// <para>Backs up to a one-off file share, waiting up to 30 minutes.</para>
    /// </example>
    [Cmdlet(VerbsLifecycle.Start, "SfPartitionBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SfActionResult), typeof(BackupProgressInfo))]
    public sealed class StartSfPartitionBackupCommand : PartitionRunCmdletBase
    {
        /// <summary><para type="description">A storage from New-SfBackupStorage; without it the partition's backup policy decides where the backup goes.</para></summary>
        [Parameter]
        [ValidateNotNull]
        public BackupStorage? Storage { get; set; }

        /// <summary><para type="description">Minutes the cluster waits for the backup to finish (BackupTimeout; the cluster's default is 10).</para></summary>
        [Parameter]
        [ValidateRange(SfBackupClient.MinBackupTimeoutMinutes, SfBackupClient.MaxBackupTimeoutMinutes)]
        public int BackupTimeoutMinutes { get; set; }

        protected override int? RunTimeoutMinutes =>
            MyInvocation.BoundParameters.ContainsKey(nameof(BackupTimeoutMinutes)) ? BackupTimeoutMinutes : (int?)null;

        protected override SfOperation NamedOperation => SfOperation.BackupPartition;

        protected override void WaitForEnd(SfEntity partition, DateTime sentUtc, TimeSpan limit) =>
            WaitForRun<BackupProgressInfo>(partition, "Backup", limit,
                (client, observe, token) => SfWait.ForBackupAsync(client, partition.PartitionId, sentUtc, PollInterval, limit, observe, token),
                p => p.BackupState.ToString(), p => p.FailureError);

        protected override SfAction Action
        {
            get
            {
                var storage = Storage;
                var minutes = RunTimeoutMinutes;
                return new SfAction("Backup", storage == null ? "Back up now to the policy's storage" : $"Back up now to {storage}",
                    (client, entity, token) => client.BackupPartitionAsync(entity.PartitionId, storage, minutes, token), holds: SfIntents.BackupStarted);
            }
        }
    }

    /// <summary>
    /// <para type="synopsis">Restores partitions from a backup: from Get-SfBackup output on the pipeline, or -BackupId and -BackupLocation.</para>
    /// <para type="description">POST /Partitions/{partitionId}/$/Restore (api-version 6.4). Replaces the partition's state: asks first (ConfirmImpact High). Needs the cluster's Fault Analysis Service. Follow it with Get-SfPartitionRestoreProgress.</para>
    /// </summary>
    /// <example>
    /// <code>Get-SfBackup -PartitionId $p -Latest | Restore-SfPartition -WhatIf</code>
    /// <para>Shows what restoring the latest backup would do, without doing it.</para>
    /// </example>
    /// <example>
    /// <code>Get-SfBackup -PartitionId $p -Latest | Restore-SfPartition -Confirm:$false; Get-SfPartitionRestoreProgress $p</code>
    /// <para>Restores the latest backup without asking, then reads the restore's state.</para>
    /// </example>
    [Cmdlet(VerbsData.Restore, "SfPartition", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(SfActionResult), typeof(RestoreProgressInfo))]
    public sealed class RestoreSfPartitionCommand : PartitionRunCmdletBase
    {
        /// <summary><para type="description">The backup to restore (BackupId of Get-SfBackup output).</para></summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        public Guid BackupId { get; set; }

        /// <summary><para type="description">Where the backup is, relative to its storage (BackupLocation of Get-SfBackup output).</para></summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string BackupLocation { get; set; } = "";

        /// <summary><para type="description">The storage the backup is in, when it is not the partition policy's.</para></summary>
        [Parameter]
        [ValidateNotNull]
        public BackupStorage? Storage { get; set; }

        /// <summary><para type="description">Minutes the cluster waits for the restore to finish (RestoreTimeout; the cluster's default is 10).</para></summary>
        [Parameter]
        [ValidateRange(SfBackupClient.MinBackupTimeoutMinutes, SfBackupClient.MaxBackupTimeoutMinutes)]
        public int RestoreTimeoutMinutes { get; set; }

        protected override int? RunTimeoutMinutes =>
            MyInvocation.BoundParameters.ContainsKey(nameof(RestoreTimeoutMinutes)) ? RestoreTimeoutMinutes : (int?)null;

        protected override SfOperation NamedOperation => SfOperation.RestorePartition;

        protected override void WaitForEnd(SfEntity partition, DateTime sentUtc, TimeSpan limit) =>
            WaitForRun<RestoreProgressInfo>(partition, "Restore", limit,
                (client, observe, token) => SfWait.ForRestoreAsync(client, partition.PartitionId, sentUtc, PollInterval, limit, observe, token),
                p => p.RestoreState.ToString(), p => p.FailureError);

        protected override SfAction Action
        {
            get
            {
                var restore = new RestorePartitionDescription { BackupId = BackupId, BackupLocation = BackupLocation, BackupStorage = Storage };
                var minutes = RunTimeoutMinutes;
                return new SfAction("Restore", $"Replace the partition's state with backup {BackupId:D} ({BackupLocation})",
                    (client, entity, token) => client.RestorePartitionAsync(entity.PartitionId, restore, minutes, token));
            }
        }
    }

    /// <summary>
    /// <para type="synopsis">Tells the cluster not to restore partitions automatically after data loss.</para>
    /// <para type="description">POST /Partitions/{partitionId}/$/SkipAutoRestore (api-version 9.1).</para>
    /// </summary>
    /// <example>
    /// <code>Skip-SfPartitionAutoRestore 1daae3f5-7fd6-42e9-b1ba-8c05f873994d</code>
    /// <para>The cluster will not restore this partition by itself after a data loss.</para>
    /// </example>
    /// <example>
    /// <code>Get-SfPartition fabric:/CalcApp/CalcService | Skip-SfPartitionAutoRestore -WhatIf</code>
    /// <para>Shows which partitions would be changed, and changes nothing.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Skip, "SfPartitionAutoRestore", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SfActionResult))]
    public sealed class SkipSfPartitionAutoRestoreCommand : PartitionActionCmdletBase
    {
        protected override SfOperation NamedOperation => SfOperation.SkipAutoRestore;

        protected override SfAction Action =>
            new SfAction("SkipAutoRestore", "Skip the automatic restore after data loss", (client, entity, token) => client.SkipAutoRestoreAsync(entity.PartitionId, token));
    }

    /// <summary>Reads one progress object per partition.</summary>
    public abstract class PartitionProgressCmdletBase<T> : PartitionCmdletBase
    {
        protected abstract Task<T> Read(SfBackupClient client, Guid partitionId, CancellationToken token);

        protected override void ProcessRecord()
        {
            if (SkipStateless()) return;
            var partitionId = PartitionId;
            if (TryInvoke(partitionId, Partition.ToString(), (client, token) => Read(client, partitionId, token), out var progress))
            {
                WriteObject(progress);
            }
        }
    }

    /// <summary>
    /// <para type="synopsis">Gets the state of the latest restore of partitions.</para>
    /// <para type="description">GET /Partitions/{partitionId}/$/GetRestoreProgress (api-version 6.2-preview).</para>
    /// </summary>
    /// <example>
    /// <code>Get-SfPartitionRestoreProgress 1daae3f5-7fd6-42e9-b1ba-8c05f873994d</code>
    /// <para>The state of the partition's latest restore, with the restored epoch and LSN.</para>
    /// </example>
    /// <example>
    /// <code>Get-SfPartition fabric:/CalcApp/CalcService | Get-SfPartitionRestoreProgress</code>
    /// <para>The latest restore of every partition of a service.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "SfPartitionRestoreProgress")]
    [OutputType(typeof(RestoreProgressInfo))]
    public sealed class GetSfPartitionRestoreProgressCommand : PartitionProgressCmdletBase<RestoreProgressInfo>
    {
        protected override Task<RestoreProgressInfo> Read(SfBackupClient client, Guid partitionId, CancellationToken token) =>
            client.GetPartitionRestoreProgressAsync(partitionId, token);
    }

    /// <summary>
    /// <para type="synopsis">Gets the state of the latest backup of partitions.</para>
    /// <para type="description">GET /Partitions/{partitionId}/$/GetBackupProgress (api-version 6.4).</para>
    /// </summary>
    /// <example>
    /// <code>Get-SfPartitionBackupProgress 1daae3f5-7fd6-42e9-b1ba-8c05f873994d</code>
    /// <para>The state of the partition's latest backup.</para>
    /// </example>
    /// <example>
    /// <code>Get-SfPartition fabric:/CalcApp/CalcService | Get-SfPartitionBackupProgress</code>
    /// <para>The latest backup of every partition of a service.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "SfPartitionBackupProgress")]
    [OutputType(typeof(BackupProgressInfo))]
    public sealed class GetSfPartitionBackupProgressCommand : PartitionProgressCmdletBase<BackupProgressInfo>
    {
        protected override Task<BackupProgressInfo> Read(SfBackupClient client, Guid partitionId, CancellationToken token) =>
            client.GetPartitionBackupProgressAsync(partitionId, token);
    }
}
