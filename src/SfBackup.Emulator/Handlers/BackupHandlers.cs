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

    /// <summary>One page of a list whose items carry their own key (a name or an id), see <see cref="Page(IReadOnlyList{ValueTuple{string, JsonNode}}, BrsCall, bool)"/>.</summary>
    private JsonObject Page(IReadOnlyList<JsonNode> items, BrsCall call, string listName) =>
        Page(items.Select(i => (KeyOf(i, listName), i)).ToList(), call, backupKeys: false);

    /// <summary>A list item's paging key: its name, or its partition id, as the real queries page by.</summary>
    private static string KeyOf(JsonNode item, string listName) => listName switch
    {
        "Partitions" => item["PartitionInformation"]?["Id"]?.ToString() ?? "",
        "Applications" or "Services" or "BackupPolicies" => item["Name"]?.ToString() ?? "",
        _ => (item["PartitionId"] ?? item["ServiceName"] ?? item["ApplicationName"])?.ToString() ?? "",
    };

    /// <summary>
    /// One page of a list, as the Backup Restore Service pages (GetRestorePointsOperation): without MaxResults (or
    /// with 0) the whole list and no continuation token; with MaxResults, that many items in key order after the
    /// token, and the last item's key as the next token. A backup's key is the real service's: the storage id, then
    /// the backup's path in the storage with '+' for the separator (FileShareRecoveryPointManager), such as
    /// "6f6b...+CalcApp+CalcService+1daae3f5-...+2026-12-04 10.00.00.bkmetadata". A client that does not escape it
    /// sends '+' and ' ', which a query decodes to spaces: both are read alike. --Emulator:PageSize forces a page
    /// size when none is asked for (the tests use it so that every client pages for real).
    /// </summary>
    private JsonObject Page(IReadOnlyList<(string Key, JsonNode Item)> items, BrsCall call, bool backupKeys)
    {
        int? size = options.PageSize > 0 ? options.PageSize : null;
        if (call.Query.TryGetValue("MaxResults", out var max) && !string.IsNullOrEmpty(max))
        {
            if (!long.TryParse(max.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var asked))
                throw FabricErrorException.InvalidArgument($"MaxResults '{Clip(max.ToString())}' must be a whole number.");
            if (asked > 0) size = (int)Math.Min(asked, int.MaxValue);
        }

        string? after = null;
        if (call.Query.TryGetValue("ContinuationToken", out var token) && !string.IsNullOrEmpty(token))
        {
            after = Normal(token.ToString());
            if (backupKeys && !IsBackupToken(after))
                throw FabricErrorException.InvalidArgument($"Invalid ContinuationToken is given. token: {Clip(token.ToString())}");
        }
        if (size is null && after is null)
            return new JsonObject { ["ContinuationToken"] = "", ["Items"] = new JsonArray(items.Select(i => i.Item.DeepClone()).ToArray()) };

        List<(string Key, JsonNode Item)> left;
        if (backupKeys)
        {
            // Ordered only when paged, as the real service orders only when MaxResults is given; a token is a position
            // in that order, whether or not the backup it names still exists.
            var ordered = items.OrderBy(i => Normal(i.Key), StringComparer.Ordinal);
            left = (after is null ? ordered : ordered.Where(i => string.CompareOrdinal(Normal(i.Key), after) > 0)).ToList();
        }
        else
        {
            // Other lists keep their order, and a token names the last item of the page before.
            var at = after is null ? -1 : items.ToList().FindIndex(i => Normal(i.Key) == after);
            if (after is not null && at < 0)
                throw FabricErrorException.InvalidArgument($"ContinuationToken '{Clip(token.ToString())}' is not one this cluster gave out.");
            left = items.Skip(at + 1).ToList();
        }
        var page = size is { } n ? left.Take(n).ToList() : left;
        var next = page.Count < left.Count ? page[^1].Key : "";
        return new JsonObject { ["ContinuationToken"] = next, ["Items"] = new JsonArray(page.Select(i => i.Item.DeepClone()).ToArray()) };
    }

    /// <summary>'+' and ' ' are one character to a token: a client that does not escape '+' has it decoded to a space.</summary>
    private static string Normal(string token) => token.Replace(' ', '+');

    /// <summary>storage id + application + service + partition id + file name: five parts at least, the first a GUID.</summary>
    private static bool IsBackupToken(string normalized)
    {
        var parts = normalized.Split('+');
        return parts.Length >= 5 && Guid.TryParse(parts[0], out _);
    }

    /// <summary>A backup's paging key, the real service's form (see <see cref="Page(IReadOnlyList{ValueTuple{string, JsonNode}}, BrsCall, bool)"/>).</summary>
    internal static string BackupKeyOf(BackupRecord r)
    {
        var application = r.Owner.ApplicationName.StartsWith("fabric:/", StringComparison.Ordinal) ? r.Owner.ApplicationName["fabric:/".Length..] : r.Owner.ApplicationName;
        var service = r.Owner.ServiceName[(r.Owner.ServiceName.LastIndexOf('/') + 1)..];
        return $"{StorageIdOf(r.StorageKey)}+{application.Replace('/', '+')}+{service}+{r.Owner.PartitionId}+{r.CreationTimeUtc.UtcDateTime.ToString("yyyy-MM-dd HH.mm.ss", CultureInfo.InvariantCulture)}.bkmetadata";
    }

    /// <summary>A storage's id, stable for one storage description (the real service gives each stored storage a GUID).</summary>
    internal static Guid StorageIdOf(string storageKey) =>
        new(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(storageKey)));

    private JsonObject BackupPage(IEnumerable<BackupRecord> records, BrsCall call) =>
        Page(records.Select(r => (BackupKeyOf(r), (JsonNode)BackupInfoOf(r, call.Wants62Shapes))).ToList(), call, backupKeys: true);

    private static string Clip(string text) => FabricErrorException.Clip(text);
}
