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
    /// <summary>What every completer shares: the default connection, and a short deadline so a slow cluster never freezes the prompt.</summary>
    internal static class SfCompletion
    {
        private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(3);

        /// <summary>The suggestions, or none when this runspace has no open connection.</summary>
        public static IReadOnlyList<T> Ask<T>(Func<SfBackupClient, CancellationToken, System.Threading.Tasks.Task<IReadOnlyList<T>>> suggest)
        {
            // A completer has no session state, so a reset runspace is not detected here; completion only reads.
            var session = SfModuleState.Get(null);
            if (session == null || session.IsDisposed) return Array.Empty<T>();
            using (var deadline = new CancellationTokenSource(Deadline))
            {
                return suggest(new SfBackupClient(session), deadline.Token).GetAwaiter().GetResult();
            }
        }
    }

    /// <summary>Tab completion of names; the listing and matching are SfNameSuggestions'.</summary>
    public abstract class SfNameCompleter : IArgumentCompleter
    {
        protected abstract System.Threading.Tasks.Task<IReadOnlyList<string>> Suggest(SfBackupClient client, string typed, string commandName, CancellationToken token);

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            SfCompletion.Ask((client, token) => Suggest(client, wordToComplete ?? "", commandName ?? "", token))
                .Select(n => new CompletionResult(n.IndexOfAny(new[] { ' ', '\'', '$', '`' }) >= 0 ? "'" + n.Replace("'", "''") + "'" : n,
                    n, CompletionResultType.ParameterValue, n)).ToList();
    }

    public sealed class PolicyNameCompleter : SfNameCompleter
    {
        protected override System.Threading.Tasks.Task<IReadOnlyList<string>> Suggest(SfBackupClient client, string typed, string commandName, CancellationToken token) =>
            SfNameSuggestions.PolicyNamesAsync(client, typed, token);
    }

    public sealed class ApplicationNameCompleter : SfNameCompleter
    {
        protected override System.Threading.Tasks.Task<IReadOnlyList<string>> Suggest(SfBackupClient client, string typed, string commandName, CancellationToken token) =>
            SfNameSuggestions.ApplicationNamesAsync(client, typed, token);
    }

    /// <summary>
    /// Service names; for the backup cmdlets only stateful services, which are the only ones with backups
    /// (Get-SfPartition takes any).
    /// </summary>
    public sealed class ServiceNameCompleter : SfNameCompleter
    {
        protected override System.Threading.Tasks.Task<IReadOnlyList<string>> Suggest(SfBackupClient client, string typed, string commandName, CancellationToken token) =>
            SfNameSuggestions.ServiceNamesAsync(client, typed, token,
                statefulOnly: !string.Equals(commandName, "Get-SfPartition", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Partition ids of the connected cluster, narrowed by a -ServiceName or -ApplicationName already on the line;
    /// stateful partitions only, each shown with its service and key range.
    /// </summary>
    public sealed class PartitionIdCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string? Bound(string name) => fakeBoundParameters != null && fakeBoundParameters.Contains(name) ? LanguagePrimitives.ConvertTo<string>(fakeBoundParameters[name]) : null;
            return SfCompletion.Ask((client, token) => SfNameSuggestions.PartitionsAsync(client, wordToComplete ?? "", Bound("ServiceName"), Bound("ApplicationName"), token))
                .Select(p =>
                {
                    var id = p.PartitionId.ToString("D");
                    var key = p.PartitionInformation?.ToString() ?? "";
                    return new CompletionResult(id, $"{id} {key}".Trim(), CompletionResultType.ParameterValue, $"{p.ServiceName} {key}".Trim());
                }).ToList();
        }
    }
}
