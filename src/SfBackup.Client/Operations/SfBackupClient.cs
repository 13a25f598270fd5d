using System;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using SfBackup.Client.Input;
using SfBackup.Client.Models;
using SfBackup.Client.Session;
using SfBackup.Client.Transport;

namespace SfBackup.Client.Operations
{
    /// <summary>Filters of the GetBackups operations.</summary>
    public sealed class BackupListFilter
    {
        public bool Latest { get; set; }
        public DateTime? StartDateTimeUtc { get; set; }
        public DateTime? EndDateTimeUtc { get; set; }
    }

    /// <summary>
    /// One method per REST operation. Cheap to create (the HttpClient lives in the connection); a cmdlet makes one
    /// per invocation with its own trace sink for verbose output.
    /// </summary>
    public sealed class SfBackupClient
    {
        private readonly SfClusterConnection _connection;
        private readonly Action<string>? _trace;

        public SfBackupClient(SfClusterConnection connection, Action<string>? trace = null)
        {
            _connection = connection ?? throw new ArgumentNullException(nameof(connection));
            _trace = trace;
        }

        public SfClusterConnection Connection => _connection;

        public const int MinBackupTimeoutMinutes = 1;
        public const int MaxBackupTimeoutMinutes = 24 * 60;

        // ---- enable, disable, suspend, resume: one method each for applications, services and partitions ----

        public Task<SfResponse> EnableBackupAsync(SfEntity entity, string backupPolicyName, CancellationToken cancellationToken = default)
        {
            EntityIds.RequirePolicyName(backupPolicyName);
            return SendAsync(EntityRequest("Enable", entity, "EnableBackup")
                .WithJsonBody(new EnableBackupDescription { BackupPolicyName = backupPolicyName }, SfJsonContext.Default.EnableBackupDescription), cancellationToken);
        }

        /// <summary>Stops periodic backup; with <paramref name="cleanBackup"/> the entity's backups are deleted too.</summary>
        public Task<SfResponse> DisableBackupAsync(SfEntity entity, bool cleanBackup, CancellationToken cancellationToken = default) =>
            SendAsync(EntityRequest("Disable", entity, "DisableBackup")
                .WithJsonBody(new DisableBackupDescription { CleanBackup = cleanBackup }, SfJsonContext.Default.DisableBackupDescription), cancellationToken);

        public Task<SfResponse> SuspendBackupAsync(SfEntity entity, CancellationToken cancellationToken = default) =>
            SendAsync(EntityRequest("Suspend", entity, "SuspendBackup"), cancellationToken);

        public Task<SfResponse> ResumeBackupAsync(SfEntity entity, CancellationToken cancellationToken = default) =>
            SendAsync(EntityRequest("Resume", entity, "ResumeBackup"), cancellationToken);

        // The seed operations, by their documents' names.
        public Task<SfResponse> ResumePartitionBackupAsync(Guid partitionId, CancellationToken cancellationToken = default) =>
            ResumeBackupAsync(SfEntity.Partition(partitionId), cancellationToken);

        public Task<SfResponse> ResumeServiceBackupAsync(string serviceName, CancellationToken cancellationToken = default) =>
            ResumeBackupAsync(SfEntity.Service(serviceName), cancellationToken);

        public Task<SfResponse> EnablePartitionBackupAsync(Guid partitionId, string backupPolicyName, CancellationToken cancellationToken = default) =>
            EnableBackupAsync(SfEntity.Partition(partitionId), backupPolicyName, cancellationToken);

        // ---- configuration and backup lists ----

        /// <summary>An application or service answers a paged list (itself and what under it has its own settings); a partition answers one object.</summary>
        public SfPager<BackupConfigurationInfo> GetBackupConfiguration(SfEntity entity, long? maxResults = null)
        {
            var operation = SfOperation.For("GetBackupConfigurationInfo", entity.Kind);
            if (entity.Kind != SfEntityKind.Partition)
                return Paged(() => EntityRequest("GetBackupConfigurationInfo", entity, "GetBackupConfigurationInfo"), SfJsonContext.Default.SfPagedListBackupConfigurationInfo, maxResults);

            return new SfPager<BackupConfigurationInfo>(operation.Name, async (_, ct) =>
            {
                var response = await SendAsync(new SfRequest(operation, entity.Path + "/$/GetBackupConfigurationInfo"), ct).ConfigureAwait(false);
                var info = Deserialize(response, SfJsonContext.Default.BackupConfigurationInfo, operation);
                return new SfPagedList<BackupConfigurationInfo> { Items = new System.Collections.Generic.List<BackupConfigurationInfo> { info } };
            });
        }

        public SfPager<BackupInfo> GetBackups(SfEntity entity, BackupListFilter? filter = null, long? maxResults = null)
        {
            filter ??= new BackupListFilter();
            RequireOrderedRange(filter.StartDateTimeUtc, filter.EndDateTimeUtc);
            return Paged(() => EntityRequest("GetBackups", entity, "GetBackups")
                    .WithQuery("Latest", filter.Latest ? "true" : null)
                    .WithQuery("StartDateTimeFilter", FormatDate(filter.StartDateTimeUtc))
                    .WithQuery("EndDateTimeFilter", FormatDate(filter.EndDateTimeUtc)),
                SfJsonContext.Default.SfPagedListBackupInfo, maxResults);
        }

        /// <summary>Backups found in a storage location, optionally only those of one entity.</summary>
        public SfPager<BackupInfo> GetBackupsFromStorage(GetBackupByStorageQueryDescription query, long? maxResults = null)
        {
            if (query?.Storage == null) throw new ArgumentException("A storage is required.", nameof(query));
            RequireSendable(query.Storage, nameof(query));
            RequireOrderedRange(query.StartDateTimeFilter, query.EndDateTimeFilter);
            return Paged(() => new SfRequest(SfOperation.GetBackupsFromBackupLocation, "/BackupRestore/$/GetBackups")
                    .WithJsonBody(query, SfJsonContext.Default.GetBackupByStorageQueryDescription),
                SfJsonContext.Default.SfPagedListBackupInfo, maxResults);
        }

        // ---- backup and restore of one partition ----

        public static SfRequest BackupPartitionRequest(Guid partitionId, BackupStorage? storage, int? backupTimeoutMinutes)
        {
            ValidateMinutes(backupTimeoutMinutes, nameof(backupTimeoutMinutes));
            RequireSendable(storage, nameof(storage));
            return new SfRequest(SfOperation.BackupPartition, SfEntity.Partition(partitionId).Path + "/$/Backup")
                .WithQuery("BackupTimeout", backupTimeoutMinutes?.ToString(CultureInfo.InvariantCulture))
                .WithJsonBody(new BackupPartitionDescription { BackupStorage = storage }, SfJsonContext.Default.BackupPartitionDescription);
        }

        public Task<SfResponse> BackupPartitionAsync(Guid partitionId, BackupStorage? storage = null, int? backupTimeoutMinutes = null, CancellationToken cancellationToken = default) =>
            SendAsync(BackupPartitionRequest(partitionId, storage, backupTimeoutMinutes), cancellationToken);

        public Task<BackupProgressInfo> GetPartitionBackupProgressAsync(Guid partitionId, CancellationToken cancellationToken = default) =>
            ReadPartitionAsync(SfOperation.GetPartitionBackupProgress, partitionId, "GetBackupProgress", SfJsonContext.Default.BackupProgressInfo,
                info => info.PartitionId = partitionId, cancellationToken);

        public Task<SfResponse> RestorePartitionAsync(Guid partitionId, RestorePartitionDescription restore, int? restoreTimeoutMinutes = null, CancellationToken cancellationToken = default)
        {
            if (restore == null) throw new ArgumentNullException(nameof(restore));
            if (restore.BackupId == Guid.Empty) throw new ArgumentException("A backup id is required.", nameof(restore));
            if (string.IsNullOrWhiteSpace(restore.BackupLocation)) throw new ArgumentException("A backup location is required.", nameof(restore));
            RequireSendable(restore.BackupStorage, nameof(restore));
            ValidateMinutes(restoreTimeoutMinutes, nameof(restoreTimeoutMinutes));
            return SendAsync(new SfRequest(SfOperation.RestorePartition, SfEntity.Partition(partitionId).Path + "/$/Restore")
                .WithQuery("RestoreTimeout", restoreTimeoutMinutes?.ToString(CultureInfo.InvariantCulture))
                .WithJsonBody(restore, SfJsonContext.Default.RestorePartitionDescription), cancellationToken);
        }

        public Task<RestoreProgressInfo> GetPartitionRestoreProgressAsync(Guid partitionId, CancellationToken cancellationToken = default) =>
            ReadPartitionAsync(SfOperation.GetPartitionRestoreProgress, partitionId, "GetRestoreProgress", SfJsonContext.Default.RestoreProgressInfo,
                info => info.PartitionId = partitionId, cancellationToken);

        public Task<SfResponse> SkipAutoRestoreAsync(Guid partitionId, CancellationToken cancellationToken = default) =>
            SendAsync(new SfRequest(SfOperation.SkipAutoRestore, SfEntity.Partition(partitionId).Path + "/$/SkipAutoRestore"), cancellationToken);

        // ---- policies ----

        public Task<SfResponse> CreateBackupPolicyAsync(BackupPolicy policy, bool validateConnection = false, CancellationToken cancellationToken = default) =>
            SendAsync(new SfRequest(SfOperation.CreateBackupPolicy, "/BackupRestore/BackupPolicies/$/Create")
                .WithQuery("ValidateConnection", validateConnection ? "true" : null)
                .WithJsonBody(ValidatePolicy(policy), SfJsonContext.Default.BackupPolicy), cancellationToken);

        public Task<SfResponse> UpdateBackupPolicyAsync(BackupPolicy policy, bool validateConnection = false, CancellationToken cancellationToken = default) =>
            SendAsync(new SfRequest(SfOperation.UpdateBackupPolicy, PolicyPath(ValidatePolicy(policy).Name) + "/$/Update")
                .WithQuery("ValidateConnection", validateConnection ? "true" : null)
                .WithJsonBody(policy, SfJsonContext.Default.BackupPolicy), cancellationToken);

        public Task<SfResponse> DeleteBackupPolicyAsync(string policyName, CancellationToken cancellationToken = default) =>
            SendAsync(new SfRequest(SfOperation.DeleteBackupPolicy, PolicyPath(policyName) + "/$/Delete"), cancellationToken);

        public async Task<BackupPolicy> GetBackupPolicyAsync(string policyName, CancellationToken cancellationToken = default)
        {
            var response = await SendAsync(new SfRequest(SfOperation.GetBackupPolicyByName, PolicyPath(policyName)), cancellationToken).ConfigureAwait(false);
            return Deserialize(response, SfJsonContext.Default.BackupPolicy, SfOperation.GetBackupPolicyByName);
        }

        public SfPager<BackupPolicy> GetBackupPolicies(long? maxResults = null) =>
            Paged(() => new SfRequest(SfOperation.GetBackupPolicyList, "/BackupRestore/BackupPolicies"), SfJsonContext.Default.SfPagedListBackupPolicy, maxResults);

        public SfPager<BackupEntity> GetBackupPolicyEntities(string policyName, long? maxResults = null) =>
            Paged(() => new SfRequest(SfOperation.GetAllEntitiesBackedUpByPolicy, PolicyPath(policyName) + "/$/GetBackupEnabledEntities"),
                SfJsonContext.Default.SfPagedListBackupEntity, maxResults);

        // ---- discovery ----

        public SfPager<SfApplication> GetApplications(long? maxResults = null) =>
            Paged(() => new SfRequest(SfOperation.GetApplicationInfoList, "/Applications"), SfJsonContext.Default.SfPagedListSfApplication, maxResults);

        public SfPager<SfService> GetServices(string applicationName, long? maxResults = null)
        {
            var application = SfEntity.Application(applicationName);
            return Paged(() => new SfRequest(SfOperation.GetServiceInfoList, application.Path + "/$/GetServices"),
                SfJsonContext.Default.SfPagedListSfService, maxResults, s => s.ApplicationName = application.Name);
        }

        public SfPager<SfPartition> GetPartitions(string serviceName, long? maxResults = null)
        {
            var service = SfEntity.Service(serviceName);
            return Paged(() => new SfRequest(SfOperation.GetPartitionInfoList, service.Path + "/$/GetPartitions"),
                SfJsonContext.Default.SfPagedListSfPartition, maxResults, p => p.ServiceName = service.Name);
        }

        /// <summary>The service a partition belongs to (GET /Partitions/{id}/$/GetServiceName).</summary>
        public async Task<ServiceNameInfo> GetServiceNameAsync(Guid partitionId, CancellationToken cancellationToken = default)
        {
            var response = await SendAsync(new SfRequest(SfOperation.GetServiceNameInfo, SfEntity.Partition(partitionId).Path + "/$/GetServiceName"), cancellationToken).ConfigureAwait(false);
            return Deserialize(response, SfJsonContext.Default.ServiceNameInfo, SfOperation.GetServiceNameInfo);
        }

        // ---- the gateway itself ----

        /// <summary>
        /// Reads the cluster's runtime version (GET /$/GetClusterVersion), which every Service Fabric gateway answers as
        /// {"Version": "..."}. Anything else (a page, other JSON, an error that is not a FabricError) means the endpoint
        /// is not a gateway: <see cref="SfNotGatewayException"/>. A FabricError (401, 403, 503) is reported as it is.
        /// </summary>
        public async Task<string> VerifyGatewayAsync(CancellationToken cancellationToken = default)
        {
            SfResponse response;
            try
            {
                response = await SendAsync(new SfRequest(SfOperation.GetClusterVersion, "/$/GetClusterVersion"), cancellationToken).ConfigureAwait(false);
            }
            catch (SfFabricException ex) when (ex.ErrorCode == null)
            {
                throw new SfNotGatewayException($"{SfOperation.GetClusterVersion.Name}: the endpoint answered HTTP {ex.StatusCode} without a FabricError: it is not a Service Fabric gateway.")
                { Operation = ex.Operation, RequestId = ex.RequestId };
            }
            string? version = null;
            try
            {
                using (var doc = JsonDocument.Parse(response.Body))
                {
                    if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("Version", out var v) && v.ValueKind == JsonValueKind.String)
                        version = v.GetString();
                }
            }
            catch (JsonException)
            {
                // answered below
            }
            if (string.IsNullOrEmpty(version))
                throw new SfNotGatewayException($"{SfOperation.GetClusterVersion.Name}: the endpoint answered without a cluster version: it is not a Service Fabric gateway.")
                { Operation = SfOperation.GetClusterVersion.Name, RequestId = response.RequestId };
            return version!;
        }

        // ---- health ----

        /// <summary>Sends a health report about a partition to the cluster's health store.</summary>
        public Task<SfResponse> ReportPartitionHealthAsync(Guid partitionId, HealthInformation report, CancellationToken cancellationToken = default)
        {
            if (report == null) throw new ArgumentNullException(nameof(report));
            if (string.IsNullOrWhiteSpace(report.SourceId) || string.IsNullOrWhiteSpace(report.Property))
                throw new ArgumentException("A health report needs a SourceId and a Property.", nameof(report));
            return SendAsync(new SfRequest(SfOperation.ReportPartitionHealth, SfEntity.Partition(partitionId).Path + "/$/ReportHealth")
                .WithJsonBody(report, SfJsonContext.Default.HealthInformation), cancellationToken);
        }

        /// <summary>A partition's health: its aggregated state and its events (GET /Partitions/{id}/$/GetHealth).</summary>
        public async Task<SfPartitionHealth> GetPartitionHealthAsync(Guid partitionId, CancellationToken cancellationToken = default)
        {
            var response = await SendAsync(new SfRequest(SfOperation.GetPartitionHealth, SfEntity.Partition(partitionId).Path + "/$/GetHealth"), cancellationToken).ConfigureAwait(false);
            return Deserialize(response, SfJsonContext.Default.SfPartitionHealth, SfOperation.GetPartitionHealth);
        }

        // ---- plumbing ----

        public Task<SfResponse> SendAsync(SfRequest request, CancellationToken cancellationToken) =>
            _connection.GetTransport().SendAsync(request, _trace, cancellationToken);

        /// <summary>
        /// A state change sent so that its intent takes effect once. When its answer is lost after it left (the
        /// connection dropped, a 504, no answer in time) it may or may not have been applied: <paramref name="holds"/>
        /// reads the cluster to tell. Already in place: done, nothing is sent again. Not in place: sent again, up to
        /// the connection's retry count. A change that provably never left, and every other failure, is as SendAsync
        /// reports it.
        /// </summary>
        public async Task<SfResponse> SendIntentAsync(Func<CancellationToken, Task<SfResponse>> send, Func<DateTime, CancellationToken, Task<bool>> holds,
            CancellationToken cancellationToken)
        {
            for (var round = 0; ; round++)
            {
                var sentUtc = DateTime.UtcNow;
                try
                {
                    return await send(cancellationToken).ConfigureAwait(false);
                }
                catch (SfClientException ex) when (IsAnswerLost(ex) && round < _connection.Options.MaxRetries)
                {
                    _trace?.Invoke($"{ex.Operation}: the answer was lost ({ex.ErrorId}); reading the cluster to see whether it was applied");
                    if (await HoldsOrUnknownAsync(ex, holds, sentUtc, cancellationToken).ConfigureAwait(false))
                    {
                        _trace?.Invoke($"{ex.Operation}: it was applied; not sending it again");
                        return new SfResponse(202, Array.Empty<byte>(), ex.RequestId ?? "", _connection.Endpoints[0]) { VerifiedByRead = true };
                    }
                    _trace?.Invoke($"{ex.Operation}: it was not applied; sending it again");
                }
            }
        }

        /// <summary>
        /// Reads whether a change whose answer was lost is in place. When that read fails too, the error names the
        /// change that was sent, not the read: the operator needs to know that it may or may not have been applied.
        /// </summary>
        private static async Task<bool> HoldsOrUnknownAsync(SfClientException lost, Func<DateTime, CancellationToken, Task<bool>> holds, DateTime sentUtc,
            CancellationToken cancellationToken)
        {
            try
            {
                return await holds(sentUtc, cancellationToken).ConfigureAwait(false);
            }
            catch (SfClientException read)
            {
                throw new SfConnectionException(
                    $"{lost.Operation}: the request was sent but its answer was lost ({lost.Message}), so it may or may not have been applied; " +
                    $"reading the cluster to tell failed as well ({read.Operation}: {read.ErrorId}). Check the entity's state before you send it again.",
                    lost is SfConnectionException c && c.IsTimeout, read)
                { Operation = lost.Operation, RequestId = lost.RequestId };
            }
        }

        private static bool IsAnswerLost(SfClientException ex) =>
            (ex is SfConnectionException connection && connection.AnswerLost) || (ex is SfFabricException fabric && fabric.StatusCode == 504);

        /// <summary>GET of one object about a partition, stamped with the partition id the answer does not carry.</summary>
        private async Task<T> ReadPartitionAsync<T>(SfOperation operation, Guid partitionId, string action, JsonTypeInfo<T> typeInfo,
            Action<T> stamp, CancellationToken cancellationToken) where T : class
        {
            var response = await SendAsync(new SfRequest(operation, SfEntity.Partition(partitionId).Path + "/$/" + action), cancellationToken).ConfigureAwait(false);
            var info = Deserialize(response, typeInfo, operation);
            stamp(info);
            return info;
        }

        private static SfRequest EntityRequest(string action, SfEntity entity, string pathAction) =>
            new SfRequest(SfOperation.For(action, entity.Kind), entity.Path + "/$/" + pathAction);

        private SfPager<T> Paged<T>(Func<SfRequest> request, JsonTypeInfo<SfPagedList<T>> typeInfo, long? maxResults, Action<T>? annotate = null)
        {
            if (maxResults.HasValue && maxResults < 0) throw new ArgumentOutOfRangeException(nameof(maxResults), maxResults, "MaxResults cannot be negative.");
            var operation = request().Operation;
            return new SfPager<T>(operation.Name, async (token, ct) =>
            {
                var page = request()
                    .WithQuery("ContinuationToken", string.IsNullOrEmpty(token) ? null : token)
                    .WithQuery("MaxResults", maxResults?.ToString(CultureInfo.InvariantCulture));
                var response = await SendAsync(page, ct).ConfigureAwait(false);
                var list = Deserialize(response, typeInfo, operation);
                list.ServerDate = response.ServerDate;
                if (annotate != null && list.Items != null) list.Items.ForEach(annotate);
                return list;
            });
        }

        private static T Deserialize<T>(SfResponse response, JsonTypeInfo<T> typeInfo, SfOperation operation)
            where T : class
        {
            try
            {
                var value = response.Body.Length == 0 ? null : JsonSerializer.Deserialize(response.Body, typeInfo);
                return value ?? throw new JsonException("The answer had no body.");
            }
            catch (Exception ex) when (!(ex is OutOfMemoryException))
            {
                // Whatever a converter throws on a shape it cannot read (JsonException, FormatException,
                // InvalidOperationException from a token of the wrong kind, ...), the caller sees one failure type.
                // A 2xx answer we cannot read is reported like any failed answer: with status and request id.
                throw new SfFabricException(response.StatusCode, null, "The answer could not be read: " + ex.Message, response.RequestId, operation.Name, null);
            }
        }

        private static BackupPolicy ValidatePolicy(BackupPolicy policy)
        {
            if (policy == null) throw new ArgumentNullException(nameof(policy));
            EntityIds.RequirePolicyName(policy.Name);
            if (policy.Schedule == null) throw new ArgumentException("A policy needs a schedule.", nameof(policy));
            if (policy.Schedule is FrequencyBackupSchedule frequency) RequireInterval(frequency.Interval);
            if (policy.Storage == null || policy.Storage is UnknownBackupStorage) throw new ArgumentException("A policy needs a storage of a known kind.", nameof(policy));
            RequireSendable(policy.Storage, nameof(policy));
            if (policy.MaxIncrementalBackups < 0 || policy.MaxIncrementalBackups > 255)
                throw new ArgumentOutOfRangeException(nameof(policy), policy.MaxIncrementalBackups, "MaxIncrementalBackups must be 0..255.");
            if (policy.RetentionPolicy is UnknownRetentionPolicy) throw new ArgumentException("A retention of unknown type cannot be sent.", nameof(policy));
            return policy;
        }

        /// <summary>The shortest and longest interval the Backup Restore Service schedules (whole minutes; at most 15 days).</summary>
        public static readonly TimeSpan MinBackupInterval = TimeSpan.FromMinutes(1);
        public static readonly TimeSpan MaxBackupInterval = TimeSpan.FromDays(15);

        /// <summary>
        /// The Backup Restore Service keeps a frequency as whole minutes or whole hours, refuses more than 15 days, and
        /// turns anything under a minute into an interval of 0 hours (FrequencyBasedBackupSchedule in
        /// microsoft/service-fabric's BackupRestore Common.Model); seconds would be dropped without a word.
        /// </summary>
        public static void RequireInterval(TimeSpan interval)
        {
            if (interval < MinBackupInterval || interval > MaxBackupInterval || interval.Ticks % TimeSpan.TicksPerMinute != 0)
                throw new SfRefusedInputException("SfInvalidSchedule",
                    $"A backup interval of {interval} cannot be scheduled: the cluster takes whole minutes from 00:01:00 to 15.00:00:00.");
        }

        /// <summary>
        /// A storage read from a cluster in a kind this version does not model, or with a secret the cluster masked,
        /// cannot be written back: the cluster would accept "****" and the backup or restore would fail later, where only
        /// its progress shows it.
        /// </summary>
        public static void RequireSendable(BackupStorage? storage, string parameter)
        {
            if (storage is UnknownBackupStorage) throw new ArgumentException("A storage of unknown kind cannot be sent.", parameter);
            if (storage != null && storage.HasMaskedSecret)
                throw new SfRefusedInputException("SfMaskedStorageSecret",
                    $"This storage ({storage}) carries a secret that the cluster it was read from masked as ****; sent back, the backup or restore would fail later, so nothing was sent.",
                    sameForEveryItem: true)
                { RecommendedAction = "Describe the storage with New-SfBackupStorage and its real connection string or credential." };
        }

        private static void RequireOrderedRange(DateTime? start, DateTime? end)
        {
            if (start.HasValue && end.HasValue && start.Value.ToUniversalTime() > end.Value.ToUniversalTime())
                throw new SfRefusedInputException("SfInvalidTimeRange",
                    $"The start time ({start.Value.ToUniversalTime():u}) is after the end time ({end.Value.ToUniversalTime():u}): no backup can match.", sameForEveryItem: true);
        }

        private static string PolicyPath(string policyName) =>
            "/BackupRestore/BackupPolicies/" + Uri.EscapeDataString(EntityIds.RequirePolicyName(policyName));

        private static void ValidateMinutes(int? minutes, string name)
        {
            if (minutes.HasValue && (minutes < MinBackupTimeoutMinutes || minutes > MaxBackupTimeoutMinutes))
                throw new ArgumentOutOfRangeException(name, minutes, $"The timeout must be {MinBackupTimeoutMinutes}..{MaxBackupTimeoutMinutes} minutes.");
        }

        private static string? FormatDate(DateTime? value) =>
            value?.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }
}
