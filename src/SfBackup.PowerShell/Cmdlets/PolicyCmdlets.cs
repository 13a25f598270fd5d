using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using SfBackup.PowerShell.Binding;
using SfBackup.Client.Models;

namespace SfBackup.PowerShell.Cmdlets
{
    /// <summary>
    /// Schedule, retention and behaviour parameters New- and Set-SfBackupPolicy share. Two schedule sets only:
    /// -Interval (frequency based) or -RunTime [-RunDay] (daily, or weekly when days are given).
    /// </summary>
    public abstract class PolicyDefinitionCmdletBase : SfCmdlet
    {
        protected const string IntervalSet = "Interval";
        protected const string RunTimeSet = "RunTime";

        /// <summary><para type="description">Back up every this long (a frequency-based schedule), e.g. (New-TimeSpan -Hours 4) or '04:00:00'.</para></summary>
        [Parameter(Mandatory = true, ParameterSetName = IntervalSet)]
        [ValidateTimeSpanRange("00:01:00", "15.00:00:00", WholeMinutes = true)]
        public TimeSpan Interval { get; set; }

        /// <summary><para type="description">Back up at these times of day (a time-based schedule), e.g. '09:00','21:30'.</para></summary>
        [Parameter(Mandatory = true, ParameterSetName = RunTimeSet)]
        [ValidateNotNullOrEmpty]
        public TimeSpan[] RunTime { get; set; } = Array.Empty<TimeSpan>();

        /// <summary><para type="description">Only on these days (a weekly schedule); without it the schedule is daily.</para></summary>
        [Parameter(ParameterSetName = RunTimeSet)]
        [ValidateNotNullOrEmpty]
        public DayOfWeek[] RunDay { get; set; } = Array.Empty<DayOfWeek>();

        /// <summary><para type="description">Incremental backups between two full ones (0..255).</para></summary>
        [Parameter]
        [ValidateRange(0, 255)]
        public int MaxIncrementalBackups { get; set; }

        /// <summary><para type="description">Keep backups this long (Basic retention), e.g. (New-TimeSpan -Days 30).</para></summary>
        [Parameter]
        public TimeSpan RetentionDuration { get; set; }

        /// <summary><para type="description">With -RetentionDuration: never keep fewer backups than this.</para></summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int MinimumBackupCount { get; set; }

        /// <summary><para type="description">Restore the latest backup automatically when a partition loses data.</para></summary>
        [Parameter]
        public SwitchParameter AutoRestoreOnDataLoss { get; set; }

        /// <summary><para type="description">Ask the cluster to check that it can reach the storage before it accepts the policy (clusters 8.0+).</para></summary>
        [Parameter]
        public SwitchParameter ValidateConnection { get; set; }

        protected bool Bound(string name) => MyInvocation.BoundParameters.ContainsKey(name);

        /// <summary>The schedule the parameters describe, or null when none was given.</summary>
        protected BackupSchedule? ScheduleFromParameters()
        {
            if (ParameterSetName == IntervalSet) return new FrequencyBackupSchedule(Interval);
            if (ParameterSetName == RunTimeSet)
            {
                return RunDay.Length > 0
                    ? new TimeBackupSchedule(BackupScheduleFrequency.Weekly, RunTime, RunDay)
                    : new TimeBackupSchedule(BackupScheduleFrequency.Daily, RunTime);
            }
            return null;
        }

        /// <summary>Basic retention from the parameters, changing only what was given of <paramref name="current"/>.</summary>
        protected RetentionPolicy? RetentionFromParameters(RetentionPolicy? current)
        {
            var basic = current as BasicRetentionPolicy;
            if (!Bound(nameof(RetentionDuration)) && !Bound(nameof(MinimumBackupCount))) return current;
            var duration = Bound(nameof(RetentionDuration)) ? RetentionDuration : basic?.RetentionDuration;
            if (duration == null) throw new ArgumentException("-MinimumBackupCount goes with -RetentionDuration (or a policy that already has one).");
            return new BasicRetentionPolicy(duration.Value, Bound(nameof(MinimumBackupCount)) ? MinimumBackupCount : basic?.MinimumNumberOfBackups ?? 0);
        }

        /// <summary>Builds the policy; a bad combination becomes one InvalidArgument error against the policy name.</summary>
        protected BackupPolicy? Build(string name, Func<BackupPolicy> build)
        {
            try
            {
                return build();
            }
            catch (ArgumentException ex)
            {
                WriteError(new ErrorRecord(ex, "SfInvalidPolicy", ErrorCategory.InvalidArgument, name));
                return null;
            }
        }
    }

    /// <summary>
    /// <para type="synopsis">Creates a backup policy: a schedule, a storage from New-SfBackupStorage, and optional retention.</para>
    /// <para type="description">POST /BackupRestore/BackupPolicies/$/Create (api-version 6.4). Outputs the policy as sent (secrets stay SecureString).</para>
    /// </summary>
    /// <example>
    /// <code>New-SfBackupPolicy -Name every4h -Interval '04:00:00' -Storage $share -MaxIncrementalBackups 5 -RetentionDuration (New-TimeSpan -Days 14)</code>
    /// <para>Every four hours to a file share, five incrementals between full backups, kept two weeks.</para>
    /// </example>
    /// <example>
    /// <code>New-SfBackupPolicy -Name weekend -RunTime '02:00' -RunDay Saturday, Sunday -Storage $blob</code>
    /// <para>At 02:00 on Saturdays and Sundays.</para>
    /// </example>
    [Cmdlet(VerbsCommon.New, "SfBackupPolicy", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = IntervalSet)]
    [OutputType(typeof(BackupPolicy))]
    public sealed class NewSfBackupPolicyCommand : PolicyDefinitionCmdletBase
    {
        /// <summary><para type="description">The policy's name.</para></summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        [ValidateSfPolicyName]
        public string Name { get; set; } = "";

        /// <summary><para type="description">Where backups go: a storage from New-SfBackupStorage.</para></summary>
        [Parameter(Mandatory = true)]
        [ValidateNotNull]
        public BackupStorage? Storage { get; set; }

        protected override void ProcessRecord()
        {
            var policy = Build(Name, () => new BackupPolicy
            {
                Name = Name,
                AutoRestoreOnDataLoss = AutoRestoreOnDataLoss,
                MaxIncrementalBackups = MaxIncrementalBackups,
                Schedule = ScheduleFromParameters(),
                Storage = Storage,
                RetentionPolicy = RetentionFromParameters(null),
            });
            if (policy == null || !ShouldProcess($"Backup policy {Name}", $"Create ({policy.Schedule}, to {policy.Storage})")) return;
            if (TryInvoke(Name, $"Backup policy {Name}", (client, token) => client.CreateBackupPolicyAsync(policy, ValidateConnection, token), out _))
            {
                WriteObject(policy);
            }
        }
    }

    /// <summary>
    /// <para type="synopsis">Changes a backup policy: only what you pass changes.</para>
    /// <para type="description">GET then POST /BackupRestore/BackupPolicies/{name}/$/Update (api-version 6.4). Clusters answer policies with their storage secrets masked, so changing a policy whose storage has a secret needs -Storage again.</para>
    /// </summary>
    /// <example>
    /// <code>Set-SfBackupPolicy -Name HourlyFileShareBackupPolicy -Interval '02:00:00'</code>
    /// <para>Changes only the schedule of a policy whose storage has no secret.</para>
    /// </example>
    /// <example>
    /// <code>Set-SfBackupPolicy -Name DailyAzureBackupPolicy -RetentionDuration (New-TimeSpan -Days 60) -Storage $blob</code>
    /// <para>The cluster masks storage secrets, so a policy with a connection string needs -Storage again.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Set, "SfBackupPolicy", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = "KeepSchedule")]
    [OutputType(typeof(BackupPolicy))]
    public sealed class SetSfBackupPolicyCommand : PolicyDefinitionCmdletBase
    {
        /// <summary><para type="description">The policy to change; from the pipeline by Name (Get-SfBackupPolicy output).</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [Alias("PolicyName", "BackupPolicyName")]
        [ValidateSfPolicyName]
        [ArgumentCompleter(typeof(PolicyNameCompleter))]
        public string Name { get; set; } = "";

        /// <summary><para type="description">A new storage from New-SfBackupStorage.</para></summary>
        [Parameter]
        [ValidateNotNull]
        public BackupStorage? Storage { get; set; }

        /// <summary><para type="description">Emit the policy as sent.</para></summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            var name = Name;
            var target = $"Backup policy {name}";
            // A -Storage read from a cluster (secret masked) is refused before the policy is even read.
            if (!TryBuild(_ => { SfBackup.Client.Operations.SfBackupClient.RequireSendable(Storage, nameof(Storage)); return true; }, Storage, target, out _)) return;
            if (!TryInvoke(name, target, (client, token) => client.GetBackupPolicyAsync(name, token), out var current)) return;

            var storage = Storage ?? current.Storage;
            if (storage != null && storage.HasMaskedSecret)
            {
                WriteError(new ErrorRecord(
                    new ArgumentException($"The cluster does not return the secret of policy {name}'s storage; pass -Storage (New-SfBackupStorage) to change this policy."),
                    "SfStorageSecretRequired", ErrorCategory.InvalidArgument, name));
                return;
            }

            var policy = Build(name, () => new BackupPolicy
            {
                Name = name,
                AutoRestoreOnDataLoss = Bound(nameof(AutoRestoreOnDataLoss)) ? AutoRestoreOnDataLoss.IsPresent : current.AutoRestoreOnDataLoss,
                MaxIncrementalBackups = Bound(nameof(MaxIncrementalBackups)) ? MaxIncrementalBackups : current.MaxIncrementalBackups,
                Schedule = ScheduleFromParameters() ?? current.Schedule,
                Storage = storage,
                RetentionPolicy = RetentionFromParameters(current.RetentionPolicy),
            });
            if (policy == null || !ShouldProcess(target, $"Update ({policy.Schedule}, to {policy.Storage})")) return;
            if (TryInvoke(name, target, (client, token) => client.UpdateBackupPolicyAsync(policy, ValidateConnection, token), out _) && PassThru)
            {
                WriteObject(policy);
            }
        }
    }

    /// <summary>
    /// <para type="synopsis">Gets backup policies: all, or by name with wildcards.</para>
    /// <para type="description">GET /BackupRestore/BackupPolicies (paged) or /BackupRestore/BackupPolicies/{name} (api-version 6.4). A name without wildcards that does not exist is an error; a wildcard that matches nothing is not. Secrets come back masked.</para>
    /// </summary>
    /// <example>
    /// <code>Get-SfBackupPolicy -Name Daily*</code>
    /// <para>Policies whose name starts with Daily; no error when none does.</para>
    /// </example>
    /// <example>
    /// <code>Get-SfBackupPolicy | Select-Object Name, Schedule, Storage</code>
    /// <para>Every policy's schedule and storage (secrets are masked by the cluster).</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "SfBackupPolicy", SupportsPaging = true)]
    [OutputType(typeof(BackupPolicy))]
    public sealed class GetSfBackupPolicyCommand : SfCmdlet
    {
        /// <summary><para type="description">Policy names; wildcards allowed. From the pipeline by Name or PolicyName (Get-SfBackupConfiguration output).</para></summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("PolicyName", "BackupPolicyName")]
        [ValidateSfPolicyName(AllowWildcards = true)]
        [ArgumentCompleter(typeof(PolicyNameCompleter))]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        protected override void ProcessRecord()
        {
            if (Name == null || Name.Length == 0)
            {
                WritePages(Client.GetBackupPolicies(), "BackupPolicies", "Backup policies");
                return;
            }

            var patterns = Name.Where(WildcardPattern.ContainsWildcardCharacters)
                .Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
            foreach (var literal in Name.Where(n => !WildcardPattern.ContainsWildcardCharacters(n)))
            {
                if (TryInvoke(literal, $"Backup policy {literal}", (client, token) => client.GetBackupPolicyAsync(literal, token), out var policy))
                {
                    WriteObject(policy);
                }
            }
            if (patterns.Count > 0)
            {
                WritePages(Client.GetBackupPolicies(), "BackupPolicies", "Backup policies", p => patterns.Any(w => w.IsMatch(p.Name)));
            }
        }
    }

    /// <summary>
    /// <para type="synopsis">Deletes backup policies. Asks first (ConfirmImpact High).</para>
    /// <para type="description">POST /BackupRestore/BackupPolicies/{name}/$/Delete (api-version 6.4). A policy still in use must be disabled where it is enabled first.</para>
    /// </summary>
    /// <example>
    /// <code>Remove-SfBackupPolicy HourlyFileShareBackupPolicy -WhatIf</code>
    /// <para>Shows what would be deleted, and deletes nothing.</para>
    /// </example>
    /// <example>
    /// <code>Remove-SfBackupPolicy HourlyFileShareBackupPolicy -Confirm:$false</code>
    /// <para>Deletes the policy without asking (a runbook); a policy still enabled somewhere is refused by the cluster.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Remove, "SfBackupPolicy", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveSfBackupPolicyCommand : SfCmdlet
    {
        /// <summary><para type="description">The policy to delete; from the pipeline by Name (Get-SfBackupPolicy output).</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [Alias("PolicyName", "BackupPolicyName")]
        [ValidateSfPolicyName]
        [ArgumentCompleter(typeof(PolicyNameCompleter))]
        public string Name { get; set; } = "";

        protected override void ProcessRecord()
        {
            var name = Name;
            var target = $"Backup policy {name}";
            if (ShouldProcess(target, "Delete")) TryInvoke(name, target, (client, token) => client.DeleteBackupPolicyAsync(name, token), out _);
        }
    }

    /// <summary>
    /// <para type="synopsis">Gets the applications, services and partitions a backup policy is enabled on.</para>
    /// <para type="description">GET /BackupRestore/BackupPolicies/{name}/$/GetBackupEnabledEntities (paged, api-version 6.4).</para>
    /// </summary>
    /// <example>
    /// <code>Get-SfBackupPolicyEntity DailyAzureBackupPolicy</code>
    /// <para>The applications, services and partitions the policy is enabled on.</para>
    /// </example>
    /// <example>
    /// <code>Get-SfBackupPolicy | Get-SfBackupPolicyEntity</code>
    /// <para>Where every policy is enabled.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "SfBackupPolicyEntity", SupportsPaging = true)]
    [OutputType(typeof(BackupEntity))]
    public sealed class GetSfBackupPolicyEntityCommand : SfCmdlet
    {
        /// <summary><para type="description">The policy; from the pipeline by Name (Get-SfBackupPolicy output).</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [Alias("PolicyName", "BackupPolicyName")]
        [ValidateSfPolicyName]
        [ArgumentCompleter(typeof(PolicyNameCompleter))]
        public string Name { get; set; } = "";

        protected override void ProcessRecord() => WritePages(Client.GetBackupPolicyEntities(Name), Name, $"Backup policy {Name}");
    }
}
