using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace SfBackup.Client.Operations
{
    /// <summary>
    /// Names for tab completion: policy and application names that start with what was typed. Bounded (a few
    /// pages, a short deadline) so a slow cluster never freezes the prompt; on any failure, no suggestions.
    /// </summary>
    public static class SfNameSuggestions
    {
        public const int MaxPages = 5;

        public static Task<IReadOnlyList<string>> PolicyNamesAsync(SfBackupClient client, string typed, CancellationToken cancellationToken) =>
            CollectAsync(client.GetBackupPolicies(), p => p.Name, typed, cancellationToken);

        public static Task<IReadOnlyList<string>> ApplicationNamesAsync(SfBackupClient client, string typed, CancellationToken cancellationToken) =>
            CollectAsync(client.GetApplications(), a => a.Name, typed, cancellationToken);

        /// <summary>Names starting with <paramref name="typed"/> (quotes and a missing fabric:/ forgiven), sorted.</summary>
        public static async Task<IReadOnlyList<string>> CollectAsync<T>(SfPager<T> pager, Func<T, string?> name, string typed, CancellationToken cancellationToken)
        {
            var prefix = (typed ?? "").Trim('\'', '"');
            var names = new List<string>();
            try
            {
                for (var page = 0; page < MaxPages && pager.HasMore; page++)
                {
                    foreach (var item in await pager.NextPageAsync(cancellationToken).ConfigureAwait(false))
                    {
                        var text = name(item);
                        if (!string.IsNullOrEmpty(text) && Matches(text!, prefix)) names.Add(text!);
                    }
                }
            }
            catch (Exception ex) when (ex is Transport.SfClientException || ex is OperationCanceledException || ex is ObjectDisposedException)
            {
                // Completion is a convenience: what was found so far is still worth offering.
            }
            return names.Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToList();
        }

        private static bool Matches(string name, string prefix) =>
            name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            || (name.StartsWith("fabric:/", StringComparison.OrdinalIgnoreCase) && name.Substring("fabric:/".Length).StartsWith(prefix.TrimStart('/'), StringComparison.OrdinalIgnoreCase));
    }
}
