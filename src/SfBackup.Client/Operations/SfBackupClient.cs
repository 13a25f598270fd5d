using System;
using System.Globalization;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using SfBackup.Client.Input;
using SfBackup.Client.Models;
using SfBackup.Client.Session;
using SfBackup.Client.Transport;

namespace SfBackup.Client.Operations
{
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

        // ---- requests (separate from sending, so -WhatIf and tests can show exactly what would go out) ----

        public static SfRequest ResumePartitionBackupRequest(Guid partitionId) =>
            new SfRequest(SfOperation.ResumePartitionBackup, PartitionPath(partitionId, "ResumeBackup"));

        public static SfRequest EnablePartitionBackupRequest(Guid partitionId, string backupPolicyName)
        {
            if (string.IsNullOrWhiteSpace(backupPolicyName)) throw new ArgumentException("A backup policy name is required.", nameof(backupPolicyName));
            return new SfRequest(SfOperation.EnablePartitionBackup, PartitionPath(partitionId, "EnableBackup"))
                .WithJsonBody(new EnableBackupDescription { BackupPolicyName = backupPolicyName }, SfJsonContext.Default.EnableBackupDescription);
        }

        public static SfRequest BackupPartitionRequest(Guid partitionId, BackupStorage? storage, int? backupTimeoutMinutes)
        {
            if (backupTimeoutMinutes.HasValue && (backupTimeoutMinutes < MinBackupTimeoutMinutes || backupTimeoutMinutes > MaxBackupTimeoutMinutes))
                throw new ArgumentOutOfRangeException(nameof(backupTimeoutMinutes), backupTimeoutMinutes, $"The backup timeout must be {MinBackupTimeoutMinutes}..{MaxBackupTimeoutMinutes} minutes.");
            if (storage is UnknownBackupStorage) throw new ArgumentException("A storage of unknown kind cannot be sent.", nameof(storage));
            return new SfRequest(SfOperation.BackupPartition, PartitionPath(partitionId, "Backup"))
                .WithQuery("BackupTimeout", backupTimeoutMinutes?.ToString(CultureInfo.InvariantCulture))
                .WithJsonBody(new BackupPartitionDescription { BackupStorage = storage }, SfJsonContext.Default.BackupPartitionDescription);
        }

        public static SfRequest GetPartitionRestoreProgressRequest(Guid partitionId) =>
            new SfRequest(SfOperation.GetPartitionRestoreProgress, PartitionPath(partitionId, "GetRestoreProgress"));

        public static SfRequest ResumeServiceBackupRequest(string serviceName) =>
            new SfRequest(SfOperation.ResumeServiceBackup, "/Services/" + EscapeEntityId(serviceName) + "/$/ResumeBackup");

        // ---- calls ----

        public Task<SfResponse> ResumePartitionBackupAsync(Guid partitionId, CancellationToken cancellationToken = default) =>
            SendAsync(ResumePartitionBackupRequest(partitionId), cancellationToken);

        public Task<SfResponse> EnablePartitionBackupAsync(Guid partitionId, string backupPolicyName, CancellationToken cancellationToken = default) =>
            SendAsync(EnablePartitionBackupRequest(partitionId, backupPolicyName), cancellationToken);

        public Task<SfResponse> BackupPartitionAsync(Guid partitionId, BackupStorage? storage = null, int? backupTimeoutMinutes = null, CancellationToken cancellationToken = default) =>
            SendAsync(BackupPartitionRequest(partitionId, storage, backupTimeoutMinutes), cancellationToken);

        public Task<SfResponse> ResumeServiceBackupAsync(string serviceName, CancellationToken cancellationToken = default) =>
            SendAsync(ResumeServiceBackupRequest(serviceName), cancellationToken);

        public async Task<RestoreProgressInfo> GetPartitionRestoreProgressAsync(Guid partitionId, CancellationToken cancellationToken = default)
        {
            var response = await SendAsync(GetPartitionRestoreProgressRequest(partitionId), cancellationToken).ConfigureAwait(false);
            var info = Deserialize(response, SfJsonContext.Default.RestoreProgressInfo, SfOperation.GetPartitionRestoreProgress);
            info.PartitionId = partitionId;
            return info;
        }

        /// <summary>The URI a request would be sent to first (for -WhatIf and verbose text).</summary>
        public Uri DescribeUri(SfRequest request) => _connection.GetTransport().BuildUri(_connection.Endpoints[0], request);

        public Task<SfResponse> SendAsync(SfRequest request, CancellationToken cancellationToken) =>
            _connection.GetTransport().SendAsync(request, _trace, cancellationToken);

        private static T Deserialize<T>(SfResponse response, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, SfOperation operation)
            where T : class
        {
            try
            {
                var value = response.Body.Length == 0 ? null : JsonSerializer.Deserialize(response.Body, typeInfo);
                return value ?? throw new JsonException("The answer had no body.");
            }
            catch (JsonException ex)
            {
                // A 2xx answer we cannot read is reported like any failed answer: with status and request id.
                throw new SfFabricException(response.StatusCode, null, "The answer could not be read: " + ex.Message, response.RequestId, operation.Name, null);
            }
        }

        private static string PartitionPath(Guid partitionId, string action)
        {
            if (partitionId == Guid.Empty) throw new ArgumentException("The partition id must not be empty.", nameof(partitionId));
            return "/Partitions/" + partitionId.ToString("D") + "/$/" + action;
        }

        private static string EscapeEntityId(string name)
        {
            // '~' is unreserved, so escaping keeps app~svc as it is and only protects odd characters in names.
            return Uri.EscapeDataString(EntityIds.ToEntityId(name));
        }
    }
}
