using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using SfBackup.Client.Operations;

namespace SfBackup.PowerShell.Binding
{
    /// <summary>Tab completion over the default connection; the listing and matching are SfNameSuggestions'.</summary>
    public abstract class SfNameCompleter : IArgumentCompleter
    {
        private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(3);

        protected abstract System.Threading.Tasks.Task<IReadOnlyList<string>> Suggest(SfBackupClient client, string typed, CancellationToken token);

        public virtual IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            // A completer has no session state, so a reset runspace is not detected here; completion only reads.
            var session = SfModuleState.Get(null);
            if (session == null || session.IsDisposed) return Enumerable.Empty<CompletionResult>();
            using (var deadline = new CancellationTokenSource(Deadline))
            {
                var names = Suggest(new SfBackupClient(session), wordToComplete ?? "", deadline.Token).GetAwaiter().GetResult();
                return names.Select(n => new CompletionResult(n.IndexOfAny(new[] { ' ', '\'', '$', '`' }) >= 0 ? "'" + n.Replace("'", "''") + "'" : n,
                    n, CompletionResultType.ParameterValue, n)).ToList();
            }
        }
    }

    public sealed class PolicyNameCompleter : SfNameCompleter
    {
        protected override System.Threading.Tasks.Task<IReadOnlyList<string>> Suggest(SfBackupClient client, string typed, CancellationToken token) =>
            SfNameSuggestions.PolicyNamesAsync(client, typed, token);
    }

    public sealed class ApplicationNameCompleter : SfNameCompleter
    {
        protected override System.Threading.Tasks.Task<IReadOnlyList<string>> Suggest(SfBackupClient client, string typed, CancellationToken token) =>
            SfNameSuggestions.ApplicationNamesAsync(client, typed, token);
    }

    /// <summary>
    /// Service names; for the backup cmdlets only stateful services, which are the only ones with backups (Get-SfPartition
    /// and Get-SfService take any).
    /// </summary>
    public sealed class ServiceNameCompleter : SfNameCompleter
    {
        private string _command = "";

        public override IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            _command = commandName ?? "";
            return base.CompleteArgument(commandName!, parameterName, wordToComplete, commandAst, fakeBoundParameters);
        }

        protected override System.Threading.Tasks.Task<IReadOnlyList<string>> Suggest(SfBackupClient client, string typed, CancellationToken token) =>
            SfNameSuggestions.ServiceNamesAsync(client, typed, token,
                statefulOnly: !string.Equals(_command, "Get-SfPartition", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Partition ids of the connected cluster, narrowed by a -ServiceName or -ApplicationName already on the line;
    /// stateful partitions only, each shown with its service and key range.
    /// </summary>
    public sealed class PartitionIdCompleter : IArgumentCompleter
    {
        private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(3);

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var session = SfModuleState.Get(null);
            if (session == null || session.IsDisposed) return Enumerable.Empty<CompletionResult>();
            string? Bound(string name) => fakeBoundParameters != null && fakeBoundParameters.Contains(name) ? LanguagePrimitives.ConvertTo<string>(fakeBoundParameters[name]) : null;
            using (var deadline = new CancellationTokenSource(Deadline))
            {
                var partitions = SfNameSuggestions.PartitionsAsync(new SfBackupClient(session), wordToComplete ?? "", Bound("ServiceName"), Bound("ApplicationName"), deadline.Token)
                    .GetAwaiter().GetResult();
                return partitions.Select(p =>
                {
                    var id = p.PartitionId.ToString("D");
                    var key = p.PartitionInformation?.ToString() ?? "";
                    return new CompletionResult(id, $"{id} {key}".Trim(), CompletionResultType.ParameterValue, $"{p.ServiceName} {key}".Trim());
                }).ToList();
            }
        }
    }
}
