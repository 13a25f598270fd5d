using System.Globalization;
using System.Text.Json.Nodes;

namespace SfBackup.Emulator;

/// <summary>
/// The operations' behaviour, as a cluster's BRS gives it. Split by area across files; this part holds lookups,
/// body helpers and paging.
/// </summary>
public sealed partial class BackupHandlers(EmulatorState state, EmulatorOptions options)
{
    private static readonly string[] KnownStorageKinds = ["AzureBlobStore", "ManagedIdentityAzureBlobStore", "FileShare", "DsmsAzureBlobStore"];

    // ---- lookups ----

    private PartitionEntity StatefulPartition(string key)
    {
        if (!Guid.TryParse(key, out var id)) throw FabricErrorException.InvalidArgument($"'{key}' is not a partition id (a GUID).");
        var partition = state.Partitions.GetValueOrDefault(id) ?? throw FabricErrorException.PartitionNotFound(id);
        if (!partition.Service.IsStateful) throw FabricErrorException.Stateless($"Partition {id}");
        return partition;
    }

    private ServiceEntity Service(string key) =>
        state.Services.GetValueOrDefault(EmulatorState.IdOf(key)) ?? throw FabricErrorException.ServiceNotFound(key);

    private ServiceEntity StatefulService(string key)
    {
        var service = Service(key);
        if (!service.IsStateful) throw FabricErrorException.Stateless($"Service {service.Name}");
        return service;
    }

    private ApplicationEntity Application(string key) =>
        state.Applications.GetValueOrDefault(EmulatorState.IdOf(key))
        ?? throw new FabricErrorException(404, "FABRIC_E_APPLICATION_NOT_FOUND", $"Application {key} does not exist.");

    /// <summary>The scope an entity path names: /Applications/x, /Services/x (stateful) or /Partitions/guid (stateful).</summary>
    private BackupScope Scope(string collection, string key) => collection switch
    {
        "Applications" => Application(key),
        "Services" => StatefulService(key),
        _ => StatefulPartition(key),
    };

    private static IEnumerable<PartitionEntity> PartitionsUnder(BackupScope scope) => scope switch
    {
        ApplicationEntity a => a.Services.Where(s => s.IsStateful).SelectMany(s => s.Partitions),
        ServiceEntity s => s.Partitions,
        PartitionEntity p => [p],
        _ => [],
    };

    private static string Describe(BackupScope scope) => scope switch
    {
        ApplicationEntity a => $"application {a.Name}",
        ServiceEntity s => $"service {s.Name}",
        PartitionEntity p => $"partition {p.Id}",
        _ => "entity",
    };

    /// <summary>The policy that applies at this level, from this level or above.</summary>
    private static string? EffectivePolicy(BackupScope scope) => scope switch
    {
        ApplicationEntity a => a.PolicyName,
        ServiceEntity s => s.PolicyName ?? s.Application.PolicyName,
        PartitionEntity p => p.EffectivePolicy,
        _ => null,
    };

    private PolicyEntity PolicyNamed(string name) =>
        state.Policies.GetValueOrDefault(name) ?? throw FabricErrorException.PolicyNotFound(name);

    // ---- bodies ----

    private static JsonNode? Field(JsonObject obj, string name) =>
        obj.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static string StringField(JsonObject obj, string name) =>
        Field(obj, name) is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

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

    /// <summary>The storage object of a body field, validated; null when the field is absent.</summary>
    private static JsonObject? OptionalStorage(JsonObject? body, string field)
    {
        if (body is null || Field(body, field) is not { } node) return null;
        if (node is not JsonObject storage) throw FabricErrorException.InvalidArgument($"{field} must be an object.");
        ValidateStorage(storage);
        return storage;
    }

    private static int MinutesQuery(BrsCall call, string name)
    {
        if (!call.Query.TryGetValue(name, out var raw)) return 10;
        if (!int.TryParse(raw.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) || minutes < 1)
            throw FabricErrorException.InvalidArgument($"{name} '{raw}' must be a positive whole number of minutes.");
        return minutes;
    }

    private static DateTimeOffset? DateQuery(BrsCall call, string name) =>
        call.Query.TryGetValue(name, out var raw) ? ParseDate(name, raw.ToString()) : null;

    /// <summary>An optional ISO 8601 filter (from the query or a body); empty is "no filter", garbage is 400.</summary>
    private static DateTimeOffset? ParseDate(string name, string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : throw FabricErrorException.InvalidArgument($"{name} '{text}' is not an ISO 8601 date-time.");
    }

    /// <summary>Date-times as the cluster writes them: UTC, seconds, 'Z'.</summary>
    private static string Iso(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static bool BoolQuery(BrsCall call, string name)
    {
        if (!call.Query.TryGetValue(name, out var raw) || string.IsNullOrEmpty(raw)) return false;
        return bool.TryParse(raw.ToString(), out var value) ? value : throw FabricErrorException.InvalidArgument($"{name} '{raw}' must be true or false.");
    }

    // ---- paging ----

    /// <summary>
    /// One page of a list: MaxResults (or the emulator's small default page size) items from the offset the
    /// continuation token names. Tokens hold ':', '/' and '#', so a client that does not URL-encode them loses the
    /// part after '#' and is refused.
    /// </summary>
    private JsonObject Page(IReadOnlyList<JsonNode> items, BrsCall call, string listName)
    {
        var size = options.PageSize;
        if (call.Query.TryGetValue("MaxResults", out var max) && !string.IsNullOrEmpty(max))
        {
            if (!long.TryParse(max.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var asked))
                throw FabricErrorException.InvalidArgument($"MaxResults '{max}' must be a whole number.");
            if (asked > 0) size = (int)Math.Min(asked, int.MaxValue);
        }

        var offset = 0;
        if (call.Query.TryGetValue("ContinuationToken", out var token) && !string.IsNullOrEmpty(token))
        {
            var text = token.ToString();
            var colon = text.IndexOf(':');
            if (colon < 1 || !int.TryParse(text[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out offset) || text != Token(offset, listName))
                throw FabricErrorException.InvalidArgument($"ContinuationToken '{text}' is not one this cluster gave out.");
        }

        var page = new JsonArray(items.Skip(offset).Take(size).Select(i => i.DeepClone()).ToArray());
        var next = offset + size < items.Count ? Token(offset + size, listName) : "";
        return new JsonObject { ["ContinuationToken"] = next, ["Items"] = page };
    }

    private static string Token(int offset, string listName) => $"{offset}:{listName}/page#{(offset * 31 + listName.Length) % 97}";
}
