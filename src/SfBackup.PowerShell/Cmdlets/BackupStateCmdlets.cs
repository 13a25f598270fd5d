using System.Management.Automation;
using SfBackup.PowerShell.Binding;
using SfBackup.Client.Models;
using SfBackup.Client.Operations;

namespace SfBackup.PowerShell.Cmdlets
{
    // Enable, Disable, Suspend and Resume periodic backup at application, service and partition level. Each
    // cmdlet only names its action; the entity bases and SfCmdlet.RunAction do the rest.

    internal static class BackupStateActions
    {
        public static SfAction Enable(string policy) =>
            new SfAction("Enable", $"Enable periodic backup with policy '{policy}'", (c, e, t) => c.EnableBackupAsync(e, policy, t), holds: SfIntents.Enabled(policy));

        public static SfAction Disable(bool clean, bool force) =>
            new SfAction("Disable", clean ? "Disable periodic backup and delete its backups" : "Disable periodic backup",
                (c, e, t) => c.DisableBackupAsync(e, clean, t), highImpact: clean, force: force, holds: SfIntents.Disabled);

        public static readonly SfAction Suspend = new SfAction("Suspend", "Suspend periodic backup", (c, e, t) => c.SuspendBackupAsync(e, t), holds: SfIntents.Suspended);
        public static readonly SfAction Resume = new SfAction("Resume", "Resume periodic backup", (c, e, t) => c.ResumeBackupAsync(e, t), holds: SfIntents.Resumed);
    }

    /// <summary>
    /// <para type="synopsis">Enables periodic backup of applications with a backup policy.</para>
    /// <para type="description">POST /Applications/{applicationId}/$/EnableBackup (api-version 6.4). Every stateful partition of the application is backed up by the policy unless a service or partition sets its own.</para>
    /// </summary>
    /// <example>
    /// <code>Enable-SfApplicationBackup fabric:/Inventory -BackupPolicyName HourlyFileShareBackupPolicy -PassThru</code>
    /// <para>Every stateful partition of the application is backed up hourly, unless a service or partition has a policy of its own.</para>
    /// </example>
    /// <example>
    /// <code>Get-SfApplication | Enable-SfApplicationBackup -BackupPolicyName DailyAzureBackupPolicy -WhatIf</code>
    /// <para>Shows which applications would be enabled, and changes nothing.</para>
    /// </example>
    [Cmdlet(VerbsLifecycle.Enable, "SfApplicationBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SfActionResult))]
    public sealed class EnableSfApplicationBackupCommand : ApplicationActionCmdletBase
    {
        /// <summary><para type="description">The name of an existing backup policy.</para></summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        [Alias("PolicyName")]
        [ValidateSfPolicyName]
        [ArgumentCompleter(typeof(PolicyNameCompleter))]
        public string BackupPolicyName { get; set; } = "";

        protected override SfAction Action => BackupStateActions.Enable(BackupPolicyName);
    }

    /// <summary>
    /// <para type="synopsis">Enables periodic backup of services with a backup policy.</para>
    /// <para type="description">POST /Services/{serviceId}/$/EnableBackup (api-version 6.4). Overrides the application's policy for this service.</para>
    /// </summary>
    /// <example>
    /// <code>Enable-SfServiceBackup fabric:/Inventory/Stock -BackupPolicyName HourlyFileShareBackupPolicy</code>
    /// <para>Backs every partition of the service up hourly.</para>
    /// </example>
    /// <example>
    /// <code>Get-SfService fabric:/Inventory | Enable-SfServiceBackup -BackupPolicyName HourlyFileShareBackupPolicy -PassThru</code>
    /// <para>The same for every service of an application, with an object for each.</para>
    /// </example>
    [Cmdlet(VerbsLifecycle.Enable, "SfServiceBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SfActionResult))]
    public sealed class EnableSfServiceBackupCommand : ServiceActionCmdletBase
    {
        /// <summary><para type="description">The name of an existing backup policy.</para></summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        [Alias("PolicyName")]
        [ValidateSfPolicyName]
        [ArgumentCompleter(typeof(PolicyNameCompleter))]
        public string BackupPolicyName { get; set; } = "";

        protected override SfAction Action => BackupStateActions.Enable(BackupPolicyName);
    }

    /// <summary>
    /// <para type="synopsis">Enables periodic backup of stateful partitions with a backup policy.</para>
    /// <para type="description">POST /Partitions/{partitionId}/$/EnableBackup (api-version 6.2-preview). Overrides a policy the service or application set.</para>
    /// </summary>
    /// <example>
    /// <code>Get-SfPartition -ServiceName fabric:/Inventory/Stock | Enable-SfPartitionBackup -BackupPolicyName DailyAzureBackupPolicy -PassThru</code>
    /// <para>Enables backup on every partition of a service; stateless partitions are skipped with a warning.</para>
    /// </example>
    /// <example>
    /// <code>Import-Csv .\partitions.csv | Enable-SfPartitionBackup -BackupPolicyName DailyAzureBackupPolicy</code>
    /// <para>Takes partition ids from a CSV file with a PartitionId column.</para>
    /// </example>
    [Cmdlet(VerbsLifecycle.Enable, "SfPartitionBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SfActionResult))]
    public sealed class EnableSfPartitionBackupCommand : PartitionActionCmdletBase
    {
        /// <summary><para type="description">The name of an existing backup policy.</para></summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [Alias("PolicyName")]
        [ValidateSfPolicyName]
        [ArgumentCompleter(typeof(PolicyNameCompleter))]
        public string BackupPolicyName { get; set; } = "";

        protected override SfAction Action => BackupStateActions.Enable(BackupPolicyName);
    }

    /// <summary>
    /// <para type="synopsis">Disables periodic backup of applications; -CleanBackup also deletes their backups.</para>
    /// <para type="description">POST /Applications/{applicationId}/$/DisableBackup (api-version 6.4). Only where backup was enabled at application level. With -CleanBackup it asks first, as a High-impact change, unless -Force or -Confirm:$false.</para>
    /// </summary>
    /// <example>
    /// <code>Disable-SfApplicationBackup fabric:/CalcApp</code>
    /// <para>Stops periodic backup; the backups stay.</para>
    /// </example>
    /// <example>
    /// <code>Disable-SfApplicationBackup fabric:/CalcApp -CleanBackup -Force</code>
    /// <para>Stops periodic backup and deletes the backups without asking.</para>
    /// </example>
    [Cmdlet(VerbsLifecycle.Disable, "SfApplicationBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SfActionResult))]
    public sealed class DisableSfApplicationBackupCommand : ApplicationActionCmdletBase
    {
        /// <summary><para type="description">Delete the backups too. Asks for confirmation unless -Force or -Confirm:$false.</para></summary>
        [Parameter]
        public SwitchParameter CleanBackup { get; set; }

        /// <summary><para type="description">With -CleanBackup: do not ask.</para></summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override SfAction Action => BackupStateActions.Disable(CleanBackup, Force);
    }

    /// <summary>
    /// <para type="synopsis">Disables periodic backup of services; -CleanBackup also deletes their backups.</para>
    /// <para type="description">POST /Services/{serviceId}/$/DisableBackup (api-version 6.4). Only where backup was enabled at service level. With -CleanBackup it asks first, as a High-impact change, unless -Force or -Confirm:$false.</para>
    /// </summary>
    /// <example>
    /// <code>Enable-SfServiceBackup fabric:/Inventory/Stock -BackupPolicyName HourlyFileShareBackupPolicy; Disable-SfServiceBackup fabric:/Inventory/Stock</code>
    /// <para>Removes the service's own policy; its backups are kept.</para>
    /// </example>
    /// <example>
    /// <code>Disable-SfServiceBackup fabric:/Inventory/Stock -CleanBackup -WhatIf</code>
    /// <para>Shows that the policy and the service's backups would go, and changes nothing.</para>
    /// </example>
    [Cmdlet(VerbsLifecycle.Disable, "SfServiceBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SfActionResult))]
    public sealed class DisableSfServiceBackupCommand : ServiceActionCmdletBase
    {
        /// <summary><para type="description">Delete the backups too. Asks for confirmation unless -Force or -Confirm:$false.</para></summary>
        [Parameter]
        public SwitchParameter CleanBackup { get; set; }

        /// <summary><para type="description">With -CleanBackup: do not ask.</para></summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override SfAction Action => BackupStateActions.Disable(CleanBackup, Force);
    }

    /// <summary>
    /// <para type="synopsis">Disables periodic backup of partitions; -CleanBackup also deletes their backups.</para>
    /// <para type="description">POST /Partitions/{partitionId}/$/DisableBackup (api-version 6.4). Only where backup was enabled at partition level. With -CleanBackup it asks first, as a High-impact change, unless -Force or -Confirm:$false.</para>
    /// </summary>
    /// <example>
    /// <code>Enable-SfPartitionBackup a1b2c3d4-0001-4000-8000-000000000001 -BackupPolicyName HourlyFileShareBackupPolicy; Disable-SfPartitionBackup a1b2c3d4-0001-4000-8000-000000000001</code>
    /// <para>Removes the partition's own policy; its backups are kept.</para>
    /// </example>
    /// <example>
    /// <code>Get-SfPartition fabric:/Inventory/Stock | Disable-SfPartitionBackup -CleanBackup -WhatIf</code>
    /// <para>Shows which partitions would lose their policy and their backups, and changes nothing.</para>
    /// </example>
    [Cmdlet(VerbsLifecycle.Disable, "SfPartitionBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SfActionResult))]
    public sealed class DisableSfPartitionBackupCommand : PartitionActionCmdletBase
    {
        /// <summary><para type="description">Delete the backups too. Asks for confirmation unless -Force or -Confirm:$false.</para></summary>
        [Parameter]
        public SwitchParameter CleanBackup { get; set; }

        /// <summary><para type="description">With -CleanBackup: do not ask.</para></summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override SfAction Action => BackupStateActions.Disable(CleanBackup, Force);
    }

    /// <summary>
    /// <para type="synopsis">Suspends periodic backup of applications until Resume-SfApplicationBackup.</para>
    /// <para type="description">POST /Applications/{applicationId}/$/SuspendBackup (api-version 6.4).</para>
    /// </summary>
    /// <example>
    /// <code>Suspend-SfApplicationBackup fabric:/CalcApp; Get-SfBackupConfiguration -ApplicationName fabric:/CalcApp</code>
    /// <para>Pauses backup of a whole application and shows where the suspension applies.</para>
    /// </example>
    /// <example>
    /// <code>Suspend-SfApplicationBackup fabric:/CalcApp -PassThru</code>
    /// <para>Stops periodic backups of the whole application until it is resumed, and says so in an object.</para>
    /// </example>
    [Cmdlet(VerbsLifecycle.Suspend, "SfApplicationBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SfActionResult))]
    public sealed class SuspendSfApplicationBackupCommand : ApplicationActionCmdletBase
    {
        protected override SfAction Action => BackupStateActions.Suspend;
    }

    /// <summary>
    /// <para type="synopsis">Suspends periodic backup of services until Resume-SfServiceBackup.</para>
    /// <para type="description">POST /Services/{serviceId}/$/SuspendBackup (api-version 6.4).</para>
    /// </summary>
    /// <example>
    /// <code>Suspend-SfServiceBackup fabric:/CalcApp/CalcService</code>
    /// <para>Stops periodic backups of every partition of the service until it is resumed.</para>
    /// </example>
    /// <example>
    /// <code>Get-SfService fabric:/CalcApp | Where-Object ServiceKind -eq Stateful | Suspend-SfServiceBackup -WhatIf</code>
    /// <para>Shows which services would be suspended, and changes nothing.</para>
    /// </example>
    [Cmdlet(VerbsLifecycle.Suspend, "SfServiceBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SfActionResult))]
    public sealed class SuspendSfServiceBackupCommand : ServiceActionCmdletBase
    {
        protected override SfAction Action => BackupStateActions.Suspend;
    }

    /// <summary>
    /// <para type="synopsis">Suspends periodic backup of partitions until Resume-SfPartitionBackup.</para>
    /// <para type="description">POST /Partitions/{partitionId}/$/SuspendBackup (api-version 6.4).</para>
    /// </summary>
    /// <example>
    /// <code>Suspend-SfPartitionBackup 5e4a2f31-55a6-4a0e-9a1f-6d4bb2a8c0de</code>
    /// <para>Stops periodic backups of one partition until it is resumed.</para>
    /// </example>
    /// <example>
    /// <code>Get-SfPartition fabric:/CalcApp/CalcService | Suspend-SfPartitionBackup -ThrottleLimit 4 -PassThru</code>
    /// <para>Every partition of a service, with an object for each.</para>
    /// </example>
    [Cmdlet(VerbsLifecycle.Suspend, "SfPartitionBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SfActionResult))]
    public sealed class SuspendSfPartitionBackupCommand : PartitionActionCmdletBase
    {
        protected override SfAction Action => BackupStateActions.Suspend;
    }

    /// <summary>
    /// <para type="synopsis">Resumes periodic backup of applications whose backup was suspended.</para>
    /// <para type="description">POST /Applications/{applicationId}/$/ResumeBackup (api-version 6.4).</para>
    /// </summary>
    /// <example>
    /// <code>Resume-SfApplicationBackup fabric:/CalcApp</code>
    /// <para>Lifts a suspension set at the application; one set at a service or partition stays (Get-SfBackupConfiguration shows where).</para>
    /// </example>
    /// <example>
    /// <code>'fabric:/CalcApp' | Resume-SfApplicationBackup -PassThru</code>
    /// <para>The same from the pipeline, with an object that names what was resumed.</para>
    /// </example>
    [Cmdlet(VerbsLifecycle.Resume, "SfApplicationBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SfActionResult))]
    public sealed class ResumeSfApplicationBackupCommand : ApplicationActionCmdletBase
    {
        protected override SfAction Action => BackupStateActions.Resume;
    }

    /// <summary>
    /// <para type="synopsis">Resumes periodic backup of services whose backup was suspended.</para>
    /// <para type="description">POST /Services/{serviceId}/$/ResumeBackup (api-version 6.2-preview). Accepts fabric:/app/svc, app/svc or app~svc and sends app~svc.</para>
    /// </summary>
    /// <example>
    /// <code>Resume-SfServiceBackup fabric:/CalcApp/CalcService</code>
    /// <para>Lifts a suspension set at the service; one set at a partition or the application stays.</para>
    /// </example>
    /// <example>
    /// <code>'fabric:/CalcApp/CalcService' | Resume-SfServiceBackup -PassThru</code>
    /// <para>The same from the pipeline, with an object that names what was resumed.</para>
    /// </example>
    [Cmdlet(VerbsLifecycle.Resume, "SfServiceBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SfActionResult))]
    public sealed class ResumeSfServiceBackupCommand : ServiceActionCmdletBase
    {
        protected override SfAction Action => BackupStateActions.Resume;
    }

    /// <summary>
    /// <para type="synopsis">Resumes periodic backup of partitions whose backup was suspended.</para>
    /// <para type="description">POST /Partitions/{partitionId}/$/ResumeBackup (api-version 6.2-preview).</para>
    /// </summary>
    /// <example>
    /// <code>Resume-SfPartitionBackup 1daae3f5-7fd6-42e9-b1ba-8c05f873994d</code>
    /// <para>Lifts a suspension set at the partition; one set at its service or application stays.</para>
    /// </example>
    /// <example>
    /// <code>Import-Csv .\partitions.csv | Resume-SfPartitionBackup -ThrottleLimit 8</code>
    /// <para>Resumes every partition of a CSV with a PartitionId column, eight requests at a time.</para>
    /// </example>
    [Cmdlet(VerbsLifecycle.Resume, "SfPartitionBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SfActionResult))]
    public sealed class ResumeSfPartitionBackupCommand : PartitionActionCmdletBase
    {
        protected override SfAction Action => BackupStateActions.Resume;
    }
}
