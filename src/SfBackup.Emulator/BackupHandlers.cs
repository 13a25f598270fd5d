using System.Globalization;
using System.Text.Json.Nodes;

namespace SfBackup.Emulator;

/// <summary>The operations' behaviour: state changes and answers as a cluster's BRS gives them.</summary>
public sealed class BackupHandlers(EmulatorState state)
{
    private static readonly string[] KnownStorageKinds = ["AzureBlobStore", "ManagedIdentityAzureBlobStore", "FileShare", "DsmsAzureBlobStore"];

    public object? ResumePartitionBackup(BrsCall call)
    {
        lock (state.Gate)
        {
            var partition = StatefulPartition(call.EntityKey);
            if (partition.EffectivePolicy is null) throw FabricErrorException.NotEnabled($"partition {partition.Id}");
            if (!partition.Suspended)
            {
                // Choice: no documented code exists for "not suspended"; the runtime's argument check answers E_INVALIDARG.
                var from = partition.Service.Suspended ? "its service" : partition.Service.Application.Suspended ? "its application" : null;
                throw FabricErrorException.InvalidArgument(from is null
                    ? $"Backup of partition {partition.Id} is not suspended."
                    : $"Backup of partition {partition.Id} is suspended by {from}; resume it there.");
            }
            partition.Suspended = false;
            return null;
        }
    }

    public object? ResumeServiceBackup(BrsCall call)
    {
        lock (state.Gate)
        {
            var service = StatefulService(call.EntityKey);
            if ((service.PolicyName ?? service.Application.PolicyName) is null && service.Partitions.All(p => p.PolicyName is null))
                throw FabricErrorException.NotEnabled($"service {service.Name}");
            if (!service.Suspended)
                throw FabricErrorException.InvalidArgument($"Backup of service {service.Name} is not suspended.");
            service.Suspended = false;
            return null;
        }
    }

    public object? EnablePartitionBackup(BrsCall call)
    {
        var body = call.RequireJsonObject();
        var name = StringField(body, "BackupPolicyName");
        if (string.IsNullOrWhiteSpace(name)) throw FabricErrorException.InvalidArgument("BackupPolicyName is required.");
        lock (state.Gate)
        {
            var partition = StatefulPartition(call.EntityKey);
            if (!state.Policies.ContainsKey(name)) throw FabricErrorException.PolicyNotFound(name);
            // Enabling at partition level overrides whatever the service or application set.
            partition.PolicyName = name;
            return null;
        }
    }

    public object? BackupPartition(BrsCall call)
    {
        var body = call.OptionalJsonObject();
        var storage = body is null ? null : FieldIgnoringCase(body, "BackupStorage") as JsonObject;
        if (body is not null && FieldIgnoringCase(body, "BackupStorage") is { } s && s is not JsonObject)
            throw FabricErrorException.InvalidArgument("BackupStorage must be an object.");
        var storageKind = storage is null ? null : ValidateStorage(storage);

        var timeoutMinutes = 10;
        if (call.Query.TryGetValue("BackupTimeout", out var t)
            && (!int.TryParse(t.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out timeoutMinutes) || timeoutMinutes < 1))
            throw FabricErrorException.InvalidArgument($"BackupTimeout '{t}' must be a positive whole number of minutes.");

        lock (state.Gate)
        {
            var partition = StatefulPartition(call.EntityKey);
            PolicyEntity? policy = null;
            if (storageKind is null)
            {
                var policyName = partition.EffectivePolicy ?? throw FabricErrorException.NotEnabled($"partition {partition.Id}");
                policy = state.Policies.GetValueOrDefault(policyName) ?? throw FabricErrorException.PolicyNotFound(policyName);
            }
            var now = state.Now;
            if (partition.CurrentBackup is { } running && running.IsRunning(now))
                throw new FabricErrorException(409, "FABRIC_E_BACKUP_IN_PROGRESS", $"A backup of partition {partition.Id} is already in progress.");

            var backupId = Guid.NewGuid();
            partition.CurrentBackup = new BackupRun
            {
                BackupId = backupId,
                StartedAt = now,
                AcceptedUntil = now + state.AcceptedFor,
                DoneAt = now + state.AcceptedFor + state.BackupTakes,
                TimeoutAt = now + TimeSpan.FromMinutes(timeoutMinutes),
                StorageKind = storageKind ?? policy!.StorageKind,
                Location = $"{partition.Service.Application.Id}\\{partition.Service.Id.Split('~').Last()}\\{partition.Id}\\{now.UtcDateTime:yyyy-MM-dd HH.mm.ss}.zip",
            };
            return null;
        }
    }

    public object? GetRestoreProgress(BrsCall call)
    {
        lock (state.Gate)
        {
            var partition = StatefulPartition(call.EntityKey);
            var restore = partition.LastRestore;
            if (restore is null) return new JsonObject { ["RestoreState"] = "Invalid" };
            var answer = new JsonObject
            {
                ["RestoreState"] = restore.State,
                ["TimeStampUtc"] = (restore.TimeStampUtc ?? DateTimeOffset.MinValue).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss'Z'", CultureInfo.InvariantCulture),
            };
            if (restore.State == "Success")
            {
                // 6.2-era answers name the epoch fields ...Number; 6.4+ name them ...Version. 64-bit values travel as strings.
                var (dl, cfg) = call.Wants62Shapes ? ("DataLossNumber", "ConfigurationNumber") : ("DataLossVersion", "ConfigurationVersion");
                answer["RestoredEpoch"] = new JsonObject
                {
                    [dl] = restore.DataLossNumber.ToString(CultureInfo.InvariantCulture),
                    [cfg] = restore.ConfigurationNumber.ToString(CultureInfo.InvariantCulture),
                };
                answer["RestoredLsn"] = restore.Lsn.ToString(CultureInfo.InvariantCulture);
            }
            answer["FailureError"] = null;
            return answer;
        }
    }

    // ---- lookups and validation ----

    private PartitionEntity StatefulPartition(string key)
    {
        if (!Guid.TryParse(key, out var id)) throw FabricErrorException.InvalidArgument($"'{key}' is not a partition id (a GUID).");
        var partition = state.Partitions.GetValueOrDefault(id) ?? throw FabricErrorException.PartitionNotFound(id);
        if (!partition.Service.IsStateful) throw FabricErrorException.Stateless($"Partition {id}");
        return partition;
    }

    private ServiceEntity StatefulService(string key)
    {
        var service = state.Services.GetValueOrDefault(EmulatorState.IdOf(key)) ?? throw FabricErrorException.ServiceNotFound(key);
        if (!service.IsStateful) throw FabricErrorException.Stateless($"Service {service.Name}");
        return service;
    }

    private static string ValidateStorage(JsonObject storage)
    {
        var kind = StringField(storage, "StorageKind");
        var known = KnownStorageKinds.FirstOrDefault(k => string.Equals(k, kind, StringComparison.OrdinalIgnoreCase))
            ?? throw FabricErrorException.InvalidArgument($"StorageKind '{kind}' is not one of {string.Join(", ", KnownStorageKinds)}.");
        string[] required = known switch
        {
            "AzureBlobStore" => ["ConnectionString", "ContainerName"],
            "ManagedIdentityAzureBlobStore" => ["ManagedIdentityType", "BlobServiceUri", "ContainerName"],
            "FileShare" => ["Path"],
            _ => ["StorageCredentialsSourceLocation", "ContainerName"],
        };
        foreach (var field in required)
        {
            if (string.IsNullOrWhiteSpace(StringField(storage, field)))
                throw FabricErrorException.InvalidArgument($"{known} storage needs {field}.");
        }
        if (known == "ManagedIdentityAzureBlobStore" && StringField(storage, "ManagedIdentityType") is not ("VMSS" or "Cluster"))
            throw FabricErrorException.InvalidArgument("ManagedIdentityType must be VMSS or Cluster.");
        return known;
    }

    private static JsonNode? FieldIgnoringCase(JsonObject obj, string name) =>
        obj.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static string StringField(JsonObject obj, string name) =>
        FieldIgnoringCase(obj, name) is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
