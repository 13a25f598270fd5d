using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace SfBackup.Client.Operations
{
    /// <summary>
    /// Names for tab completion: policy, application and service names that start with what was typed. Bounded (a
    /// few pages, a few applications, a short deadline) so a slow cluster never freezes the prompt; on any failure,
    /// no suggestions.
    /// </summary>
    public static class SfNameSuggestions
    {
        public const int MaxPages = 5;

        /// <summary>Service completion lists the services of at most this many applications.</summary>
        public const int MaxApplications = 8;

        public static Task<IReadOnlyList<string>> PolicyNamesAsync(SfBackupClient client, string typed, CancellationToken cancellationToken) =>
            CollectAsync(client.GetBackupPolicies(), p => p.Name, typed, cancellationToken);

        public static Task<IReadOnlyList<string>> ApplicationNamesAsync(SfBackupClient client, string typed, CancellationToken cancellationToken) =>
            CollectAsync(client.GetApplications(), a => a.Name, typed, cancellationToken);

        /// <summary>Partition completion reads the partitions of at most this many services.</summary>
        public const int MaxServices = 16;

        /// <summary>
        /// Services whose name starts with what was typed: the applications are listed first, then the services of
        /// those the typed text can lie in (all of them until it names one, up to <see cref="MaxApplications"/>).
        /// With <paramref name="statefulOnly"/>, stateless services (which have no backups) are left out.
        /// </summary>
        public static async Task<IReadOnlyList<string>> ServiceNamesAsync(SfBackupClient client, string typed, CancellationToken cancellationToken, bool statefulOnly = false)
        {
            var text = (typed ?? "").Trim('\'', '"');
            var full = text.StartsWith("fabric:", StringComparison.OrdinalIgnoreCase) ? text : "fabric:/" + text.TrimStart('/');
            var applications = await CollectAsync(client.GetApplications(), a => a.Name, "", cancellationToken).ConfigureAwait(false);
            var names = new List<string>();
            foreach (var application in applications.Where(a => CouldHold(a, full)).Take(MaxApplications))
                names.AddRange(await CollectAsync(client.GetServices(application), s => statefulOnly && IsStateless(s) ? null : s.Name, text, cancellationToken).ConfigureAwait(false));
            return names.Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToList();
        }

        private static bool IsStateless(Models.SfService service) => string.Equals(service.ServiceKind, "Stateless", StringComparison.OrdinalIgnoreCase);

        /// <summary>
        /// Stateful partitions whose id starts with what was typed, of <paramref name="serviceName"/> when given, else
        /// of the stateful services of <paramref name="applicationName"/> (or of every application, up to
        /// <see cref="MaxApplications"/>), at most <see cref="MaxServices"/> services: each with its service and key range.
        /// </summary>
        public static async Task<IReadOnlyList<Models.SfPartition>> PartitionsAsync(SfBackupClient client, string typed, string? serviceName, string? applicationName,
            CancellationToken cancellationToken)
        {
            var prefix = (typed ?? "").Trim('\'', '"', '{');
            var services = new List<string>();
            try
            {
                if (!string.IsNullOrEmpty(serviceName)) services.Add(SfEntity.Service(serviceName!).Name!);
                else
                {
                    var applications = !string.IsNullOrEmpty(applicationName)
                        ? new List<string> { SfEntity.Application(applicationName!).Name! }
                        : (await CollectAsync(client.GetApplications(), a => a.Name, "", cancellationToken).ConfigureAwait(false)).Take(MaxApplications).ToList();
                    foreach (var application in applications)
                        services.AddRange(await CollectAsync(client.GetServices(application), s => IsStateless(s) ? null : s.Name, "", cancellationToken).ConfigureAwait(false));
                }
            }
            catch (ArgumentException)
            {
                return new List<Models.SfPartition>();
            }
            var partitions = new List<Models.SfPartition>();
            foreach (var service in services.Take(MaxServices))
            {
                try
                {
                    var pager = client.GetPartitions(service);
                    for (var page = 0; page < MaxPages && pager.HasMore; page++)
                        partitions.AddRange((await pager.NextPageAsync(cancellationToken).ConfigureAwait(false))
                            .Where(p => p.IsStateful && p.PartitionId != Guid.Empty && p.PartitionId.ToString("D").StartsWith(prefix, StringComparison.OrdinalIgnoreCase)));
                }
                catch (Exception ex) when (ex is Transport.SfClientException || ex is OperationCanceledException || ex is ObjectDisposedException)
                {
                    // what was found so far is still worth offering
                }
            }
            return partitions;
        }

        /// <summary>fabric:/App can hold a service named like fabric:/Ap… (typed so far) or fabric:/App/Sv….</summary>
        private static bool CouldHold(string application, string typedName)
        {
            var prefix = application.TrimEnd('/') + "/";
            return prefix.StartsWith(typedName, StringComparison.OrdinalIgnoreCase) || typedName.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);
        }

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
