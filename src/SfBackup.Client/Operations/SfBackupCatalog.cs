using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using SfBackup.Client.Input;
using SfBackup.Client.Models;
using SfBackup.Client.Transport;

namespace SfBackup.Client.Operations
{
    /// <summary>
    /// A catalog of backups that outlives the cluster: built from a storage (the service's "get backups from a backup
    /// location", which lists what the storage holds, also for services no cluster has any more) or from a cluster's
    /// listings, kept in a file, and queried from that file with no call to any cluster.
    /// </summary>
    public static class SfBackupCatalog
    {
        /// <summary>The cache file's version; a later one is refused rather than half read.</summary>
        public const int CurrentVersion = 1;

        /// <summary>
        /// Every backup a cluster lists for each entity (default: every application it has). An application or
        /// service that no policy covers lists nothing.
        /// </summary>
        public static async Task<List<BackupInfo>> FromClusterAsync(SfBackupClient client, IReadOnlyList<SfEntity>? entities, CancellationToken cancellationToken)
        {
            var backups = new List<BackupInfo>();
            foreach (var entity in entities ?? await ApplicationsAsync(client, cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    backups.AddRange(await client.GetBackups(entity).ReadAllAsync(cancellationToken).ConfigureAwait(false));
                }
                catch (SfFabricException ex) when (ex.ErrorCode == "FABRIC_E_BACKUP_NOT_ENABLED")
                {
                    // nothing is backed up there
                }
            }
            return Sorted(backups);
        }

        /// <summary>Every backup <paramref name="storage"/> holds for each entity (default: every application of the cluster), whether or not the entity still exists.</summary>
        public static async Task<List<BackupInfo>> FromStorageAsync(SfBackupClient client, BackupStorage storage, IReadOnlyList<SfEntity>? entities, CancellationToken cancellationToken)
        {
            SfBackupClient.RequireSendable(storage, nameof(storage));
            var backups = new List<BackupInfo>();
            foreach (var entity in entities ?? await ApplicationsAsync(client, cancellationToken).ConfigureAwait(false))
            {
                var query = new GetBackupByStorageQueryDescription { Storage = storage, BackupEntity = entity.ToBackupEntity() };
                backups.AddRange(await client.GetBackupsFromStorage(query).ReadAllAsync(cancellationToken).ConfigureAwait(false));
            }
            return Sorted(backups);
        }

        private static async Task<IReadOnlyList<SfEntity>> ApplicationsAsync(SfBackupClient client, CancellationToken cancellationToken) =>
            (await client.GetApplications().ReadAllAsync(cancellationToken).ConfigureAwait(false)).Where(a => a.Name != null).Select(a => SfEntity.Application(a.Name!)).ToList();

        /// <summary>One row per backup (the same backup listed twice counts once), by service, partition and time.</summary>
        public static List<BackupInfo> Sorted(IEnumerable<BackupInfo> backups) =>
            backups.GroupBy(b => b.BackupId).Select(g => g.First())
                .OrderBy(b => b.ServiceName, StringComparer.Ordinal).ThenBy(b => b.PartitionId).ThenBy(b => b.CreationTimeUtc ?? DateTime.MinValue).ThenBy(b => b.BackupId)
                .ToList();

        /// <summary>The cache file: its version, when and from where it was built, and the backups as the cluster answered them.</summary>
        public static string ToJson(IEnumerable<BackupInfo> backups, IEnumerable<string> sources, DateTime builtUtc)
        {
            var root = new JsonObject
            {
                ["SfBackupCatalog"] = CurrentVersion,
                ["BuiltUtc"] = builtUtc.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
                ["Sources"] = new JsonArray(sources.Select(s => (JsonNode)JsonValue.Create(s)!).ToArray()),
                ["Items"] = JsonSerializer.SerializeToNode(Sorted(backups), SfJsonContext.Default.ListBackupInfo),
            };
            return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }).Replace("\r\n", "\n") + "\n";
        }

        /// <summary>Reads a cache file; one that is not a catalog, or of a later version, is refused with the reason.</summary>
        public static List<BackupInfo> FromJson(string json)
        {
            try
            {
                var root = JsonNode.Parse(json) as JsonObject ?? throw Invalid("it is not a JSON object");
                var version = root["SfBackupCatalog"] is JsonValue v && v.TryGetValue<int>(out var number) ? number : 0;
                if (version < 1) throw Invalid("it has no \"SfBackupCatalog\" version: it was not written by Get-SfBackupCatalog -CachePath");
                if (version > CurrentVersion) throw Invalid($"it is of version {version}, and this SfBackup reads version {CurrentVersion} and earlier");
                return root["Items"] is JsonArray items ? Sorted(items.Deserialize(SfJsonContext.Default.ListBackupInfo) ?? new List<BackupInfo>()) : new List<BackupInfo>();
            }
            catch (JsonException ex)
            {
                throw Invalid("it is not valid JSON: " + SfText.Clip(ex.Message, 200));
            }
        }

        /// <summary>The rows a query asks for: of these applications, services or partitions (any of them), within the time range.</summary>
        public static IEnumerable<BackupInfo> Filter(IEnumerable<BackupInfo> backups, IReadOnlyCollection<SfEntity> entities, DateTime? startUtc, DateTime? endUtc) =>
            backups.Where(b => entities.Count == 0 || entities.Any(e => Covers(e, b)))
                .Where(b => !startUtc.HasValue || b.CreationTimeUtc >= startUtc.Value)
                .Where(b => !endUtc.HasValue || b.CreationTimeUtc <= endUtc.Value);

        private static bool Covers(SfEntity entity, BackupInfo backup)
        {
            switch (entity.Kind)
            {
                case SfEntityKind.Application:
                    return backup.ApplicationName != null && SfEntity.Application(backup.ApplicationName).Name == entity.Name;
                case SfEntityKind.Service:
                    return backup.ServiceName != null && SfEntity.Service(backup.ServiceName).Name == entity.Name;
                default:
                    return backup.PartitionId == entity.PartitionId;
            }
        }

        private static SfRefusedInputException Invalid(string reason) =>
            new SfRefusedInputException("SfInvalidCatalogFile", "This is not a backup catalog SfBackup can read: " + reason + ".", sameForEveryItem: true);


        /// <summary>
        /// One report per chain of each partition, judged at its latest member: everything from the chain's full
        /// backup up to it must be listed, none failed, none with an LSN of -1.
        /// </summary>
        public static List<SfChainReport> Chains(IEnumerable<BackupInfo> backups)
        {
            var reports = new List<SfChainReport>();
            foreach (var partition in backups.Where(b => b.CreationTimeUtc.HasValue).GroupBy(b => b.PartitionId))
            {
                var listed = partition.ToList();
                foreach (var chain in listed.GroupBy(b => b.BackupChainId))
                {
                    var ordered = chain.OrderBy(b => b.CreationTimeUtc!.Value).ToList();
                    var latest = ordered[ordered.Count - 1];
                    var check = SfBackupChain.Check(latest, listed);
                    reports.Add(new SfChainReport
                    {
                        ApplicationName = latest.ApplicationName, ServiceName = latest.ServiceName, PartitionId = partition.Key, BackupChainId = chain.Key,
                        State = check.State.ToString(), Backups = ordered.Count, FirstUtc = ordered[0].CreationTimeUtc, LastUtc = latest.CreationTimeUtc, Problem = check.Problem,
                    });
                }
            }
            return reports.OrderBy(r => r.ServiceName, StringComparer.Ordinal).ThenBy(r => r.PartitionId).ThenBy(r => r.FirstUtc).ToList();
        }

        /// <summary>Whether each partition exists in any of the clusters (one read per partition and cluster, until one has it); a whole chain of a partition none has is Orphaned.</summary>
        public static async Task MarkOrphansAsync(IReadOnlyList<SfChainReport> reports, IReadOnlyList<SfBackupClient> clusters, CancellationToken cancellationToken)
        {
            if (clusters.Count == 0) return;
            foreach (var partition in reports.GroupBy(r => r.PartitionId))
            {
                var exists = false;
                foreach (var cluster in clusters)
                {
                    try
                    {
                        await cluster.GetServiceNameAsync(partition.Key, cancellationToken).ConfigureAwait(false);
                        exists = true;
                        break;
                    }
                    catch (SfFabricException ex) when (ex.StatusCode == 404)
                    {
                        // not in this cluster
                    }
                }
                foreach (var report in partition)
                {
                    report.PartitionExists = exists;
                    if (!exists && report.State == nameof(SfChainState.Complete))
                    {
                        report.State = "Orphaned";
                        report.Problem = "its partition is in none of the clusters asked (the service, or the cluster, is gone): restore it by key range into another service";
                    }
                }
            }
        }
    }
}
