using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Text;
using SfBackup.Client.Input;
using SfBackup.Client.Models;
using SfBackup.Client.Operations;
using SfBackup.Client.Transport;

namespace SfBackup.PowerShell.Cmdlets
{
    /// <summary>What the configuration cmdlets share: reading a file and reading the cluster.</summary>
    public abstract class ConfigurationCmdletBase : SfCmdlet
    {
        /// <summary>The file written by Export-SfBackupConfiguration, read as the wanted state; null when it cannot be read (the error is written).</summary>
        protected SfBackupConfiguration ReadFile(string path)
        {
            var text = ReadUserFile(path, "SfConfigurationFileUnreadable");
            try
            {
                return SfBackupConfiguration.FromJson(text);
            }
            catch (SfRefusedInputException ex)
            {
                Refuse(ex, path, GetUnresolvedProviderPathFromPSPath(path));
                throw;
            }
        }

        /// <summary>The cluster's configuration now (secrets as default references; they are never compared by value).</summary>
        protected bool TryReadCluster(out SfBackupConfiguration cluster) =>
            TryInvoke("Cluster", "The cluster", (client, token) => SfBackupConfiguration.ReadAsync(client, SfBackupConfiguration.DefaultSecretName, token), out cluster);
    }

    /// <summary>
    /// <para type="synopsis">Writes the cluster's backup configuration to a file: policies, which application, service or partition is mapped to which policy, and what is suspended. Secrets are never written.</para>
    /// <para type="description">The file is JSON, versioned, and sorted (policies by name, entities by kind and name), so that two exports diff line by line and the file can live in source control. Partitions are written by their service and key (Singleton, Int64Range|low|high, Named|name), not by id, so the file fits another cluster with the same topology. Each secret of a storage (a connection string, a share password) becomes a reference {"SecretName": "..."}: by default SfBackup/policy/field, or the name -SecretName gives for the policy (its secondary password gets "-secondary" added). Sync-SfBackupConfiguration resolves the references with -Secret or -SecretResolver. Without -Path the text is written to the pipeline.</para>
    /// </summary>
    /// <example>
    /// <code>Export-SfBackupConfiguration -Path ./backup-config.json -SecretName @{ DailyAzureBackupPolicy = 'prod-backup-blob' }</code>
    /// <para>Writes the configuration; the blob connection string of DailyAzureBackupPolicy is written as the reference prod-backup-blob.</para>
    /// </example>
    /// <example>
    /// <code>Export-SfBackupConfiguration | Set-Content ./backup-config.json</code>
    /// <para>The same text through the pipeline, with the default secret references.</para>
    /// </example>
    [Cmdlet(VerbsData.Export, "SfBackupConfiguration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(string))]
    public sealed class ExportSfBackupConfigurationCommand : ConfigurationCmdletBase
    {
        /// <summary><para type="description">The file to write (overwritten unless -NoClobber). Without it, the text is written to the pipeline.</para></summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary><para type="description">Per policy, the name its storage's secret is referenced by in the file, e.g. @{ DailyAzureBackupPolicy = 'prod-backup-blob' }. Policies not named here get SfBackup/policy/field.</para></summary>
        [Parameter]
        [ValidateNotNull]
        public Hashtable? SecretName { get; set; }

        /// <summary><para type="description">Do not overwrite an existing file.</para></summary>
        [Parameter]
        public SwitchParameter NoClobber { get; set; }

        protected override void EndProcessing()
        {
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (DictionaryEntry entry in SecretName ?? new Hashtable())
            {
                var value = entry.Value is PSObject o ? o.BaseObject : entry.Value;
                if (!(value is string name) || string.IsNullOrWhiteSpace(name))
                    ThrowTerminatingError(new ErrorRecord(new ArgumentException($"-SecretName: the reference for policy '{entry.Key}' must be a non-empty string."), "SfInvalidArgument", ErrorCategory.InvalidArgument, entry.Key));
                else names[entry.Key.ToString()!] = name;
            }
            string Reference(string policy, string field) =>
                names.TryGetValue(policy, out var name) ? (field == "SecondaryPassword" ? name + "-secondary" : name) : SfBackupConfiguration.DefaultSecretName(policy, field);

            if (!TryInvoke("Cluster", "The cluster", (client, token) => SfBackupConfiguration.ReadAsync(client, Reference, token), out var configuration)) return;
            foreach (var unknown in names.Keys.Where(n => !configuration.HasPolicy(n)))
                WriteWarning($"-SecretName names policy '{SfText.Clip(unknown)}', which the cluster does not have.");
            var text = configuration.ToJson();
            if (Path == null)
            {
                WriteObject(text);
                return;
            }
            var full = GetUnresolvedProviderPathFromPSPath(Path);
            if (NoClobber && File.Exists(full))
            {
                WriteError(new ErrorRecord(new IOException($"{full} exists, and -NoClobber was given."), "SfConfigurationFileExists", ErrorCategory.ResourceExists, Path));
                return;
            }
            if (!ShouldProcess(full, "Write the backup configuration (" + configuration.PolicyNames.Count() + " policies, " + configuration.Mappings.Count + " mappings, " + configuration.Suspensions.Count + " suspensions)")) return;
            File.WriteAllText(full, text, new UTF8Encoding(false));
        }
    }

    /// <summary>
    /// <para type="synopsis">Tells how the cluster's backup configuration differs from a file: one object per policy field, mapping or suspension that is missing, extra or changed.</para>
    /// <para type="description">Missing: in the file, not in the cluster. Extra: in the cluster, not in the file. Changed: in both with another value (ClusterValue and FileValue). Policies are compared field by field as Service Fabric keeps them; secrets are compared by presence only, since clusters mask them. Nothing is written to the cluster. No output means no drift.</para>
    /// </summary>
    /// <example>
    /// <code>Compare-SfBackupConfiguration -Path ./backup-config.json</code>
    /// <para>The drift, for a person.</para>
    /// </example>
    /// <example>
    /// <code>if (Compare-SfBackupConfiguration ./backup-config.json) { Write-Warning 'Backup configuration drifted' }</code>
    /// <para>A runbook's drift check.</para>
    /// </example>
    [Cmdlet(VerbsData.Compare, "SfBackupConfiguration")]
    [OutputType(typeof(SfConfigDifference))]
    public sealed class CompareSfBackupConfigurationCommand : ConfigurationCmdletBase
    {
        /// <summary><para type="description">The configuration file (Export-SfBackupConfiguration).</para></summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = "";

        protected override void EndProcessing()
        {
            var file = ReadFile(Path);
            if (!TryReadCluster(out var cluster)) return;
            foreach (var difference in SfBackupConfiguration.Compare(file, cluster)) WriteObject(difference);
        }
    }

    /// <summary>
    /// <para type="synopsis">Makes the cluster's backup configuration match a file: creates and updates policies, enables backup, suspends; with -Prune, also removes what the file does not have.</para>
    /// <para type="description">The steps run one at a time, in order: policies are created and updated first, then mappings (Enable backup with the file's policy), then suspensions; with -Prune, suspensions the file does not have are resumed, mappings disabled (their backups are kept) and policies deleted, each a High impact change that asks first. A second run with the same file sends no state change. Policies are sent with their secrets resolved from -Secret (a hashtable of name = SecureString) or -SecretResolver (a script block given the name, for example { param($Name) Get-Secret $Name }); a policy whose secret cannot be resolved is not sent. -Reapply also updates the policies that have not changed with their own values: the documented fix for periodic backups that stop after some runtime upgrades. A step whose answer is lost is checked against the cluster before it is sent again, so nothing is created twice. -WhatIf lists the exact steps (also as SfConfigStep objects, Result Planned) and sends nothing.</para>
    /// </summary>
    /// <example>
    /// <code>Sync-SfBackupConfiguration ./backup-config.json -SecretResolver { param($Name) Get-Secret $Name } -WhatIf</code>
    /// <para>The plan: what would be created, updated, enabled and suspended.</para>
    /// </example>
    /// <example>
    /// <code>Sync-SfBackupConfiguration ./backup-config.json -Secret @{ 'prod-backup-blob' = $key } -Reapply</code>
    /// <para>Applies the file and updates every unchanged policy with its own values (after a runtime upgrade).</para>
    /// </example>
    [Cmdlet(VerbsData.Sync, "SfBackupConfiguration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SfConfigStep))]
    public sealed class SyncSfBackupConfigurationCommand : ConfigurationCmdletBase
    {
        /// <summary><para type="description">The configuration file (Export-SfBackupConfiguration).</para></summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = "";

        /// <summary><para type="description">The secrets the file references, by name: @{ 'prod-backup-blob' = $secureString }. Values are SecureStrings or PSCredentials (the password is taken).</para></summary>
        [Parameter]
        [ValidateNotNull]
        public Hashtable? Secret { get; set; }

        /// <summary><para type="description">Resolves a secret reference the -Secret table does not hold: param($Name), returning a SecureString, a PSCredential or a string (for example { param($Name) Get-Secret -Name $Name }).</para></summary>
        [Parameter]
        [ValidateNotNull]
        public ScriptBlock? SecretResolver { get; set; }

        /// <summary><para type="description">Also remove what the file does not have: resume suspensions, disable backup (backups are kept), delete policies. High impact: asks unless -Force or -Confirm:$false.</para></summary>
        [Parameter]
        public SwitchParameter Prune { get; set; }

        /// <summary><para type="description">Also update every policy that has not changed with its own values (the fix for periodic backups that stop after some runtime upgrades).</para></summary>
        [Parameter]
        public SwitchParameter Reapply { get; set; }

        /// <summary><para type="description">With -Prune: do not ask before removals.</para></summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void EndProcessing()
        {
            var file = ReadFile(Path);
            if (!TryReadCluster(out var cluster)) return;
            var differences = SfBackupConfiguration.Compare(file, cluster);
            var steps = SfBackupConfiguration.Plan(file, differences, Prune, Reapply);
            var unpruned = differences.Count(d => d.Change == SfConfigChange.Extra);
            if (!Prune && unpruned > 0) WriteVerbose($"{unpruned} item(s) of the cluster are not in the file; they stay (-Prune removes them).");

            var approved = steps.Where(s => s.IsRemoval ? ShouldProcessHighImpact(s.Target, Describe(s), Force) : ShouldProcess(s.Target, Describe(s))).ToList();
            if (IsWhatIf())
            {
                // The plan, as objects too: a runbook can read what a run would send.
                foreach (var step in steps) WriteObject(step);
                return;
            }
            if (approved.Count == 0) return;
            var secrets = ResolveSecrets(file, approved);
            var keys = new SfPartitionKeys(Client);
            foreach (var step in approved)
            {
                var ok = TryInvoke(step.Target, $"{step.Action} {step.Target}", async (client, token) =>
                {
                    await SfBackupConfiguration.RunStepAsync(client, file, step, name => secrets.TryGetValue(name, out var value) ? value : null, keys, token).ConfigureAwait(false);
                    return true;
                }, out _);
                step.Result = ok ? "Applied" : "Failed";
                WriteObject(step);
            }
        }

        private static string Describe(SfConfigStep step) => step.Action switch
        {
            SfConfigAction.CreatePolicy => "Create backup policy (" + step.Reason + ")",
            SfConfigAction.UpdatePolicy => "Update backup policy (" + step.Reason + ")",
            SfConfigAction.DeletePolicy => "Delete backup policy (" + step.Reason + ")",
            SfConfigAction.EnableBackup => $"Enable backup with policy {step.PolicyName} ({step.Reason})",
            SfConfigAction.DisableBackup => "Disable backup, keeping its backups (" + step.Reason + ")",
            SfConfigAction.SuspendBackup => "Suspend backup (" + step.Reason + ")",
            _ => "Resume backup (" + step.Reason + ")",
        };

        /// <summary>
        /// The secrets the approved policy steps reference, resolved here on the pipeline thread (a resolver is a
        /// script block); a reference that cannot be resolved stays out, and its policy fails alone when sent.
        /// </summary>
        private Dictionary<string, SecureString> ResolveSecrets(SfBackupConfiguration file, IEnumerable<SfConfigStep> steps)
        {
            var secrets = new Dictionary<string, SecureString>(StringComparer.Ordinal);
            var names = steps.Where(s => s.Action == SfConfigAction.CreatePolicy || s.Action == SfConfigAction.UpdatePolicy)
                .SelectMany(s => file.SecretNamesOf(s.Target)).Distinct(StringComparer.Ordinal);
            foreach (var name in names)
            {
                object? value = null;
                if (Secret != null && Secret.ContainsKey(name)) value = Secret[name];
                else if (SecretResolver != null)
                {
                    try
                    {
                        var output = SecretResolver.Invoke(name);
                        value = output.Count == 0 ? null : output[output.Count - 1];
                    }
                    catch (RuntimeException ex)
                    {
                        WriteWarning($"-SecretResolver failed for '{SfText.Clip(name)}': {SfText.Clip(ex.Message, 300)}");
                    }
                }
                if (SecretOf(value is PSObject o ? o.BaseObject : value) is { } secret) secrets[name] = secret;
            }
            return secrets;
        }

        private static SecureString? SecretOf(object? value) => value switch
        {
            SecureString secure => secure,
            PSCredential credential => credential.Password,
            string text when text.Length > 0 => SecretText.FromPlain(text),
            _ => null,
        };
    }
}
