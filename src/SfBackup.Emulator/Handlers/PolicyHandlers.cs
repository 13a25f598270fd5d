using System.Text.Json.Nodes;

namespace SfBackup.Emulator;

/// <summary>Backup policies: create, read (secrets masked), update, delete, and the entities that use one.</summary>
public sealed partial class BackupHandlers
{
    private static readonly string[] SecretFields = ["ConnectionString", "PrimaryPassword", "SecondaryPassword"];

    /// <summary>What a storage answers a secret of "****" with: the mask a cluster shows is not a credential.</summary>
    public const string MaskedSecretFailure = "The backup storage refused the credential: its connection string or password is '****', the mask a cluster answers in place of a secret.";

    public const string UnreachableFailure = "The backup storage could not be reached (the emulator was told every storage is unreachable).";

    /// <summary>What a storage listing or a restore answers when the storage cannot be reached: the recovery point manager's IOException.</summary>
    private static FabricErrorException StorageUnreachable() =>
        new(500, "E_UNEXPECTED", "Unable to enumerate metadata files: the backup storage could not be reached.");

    /// <summary>A storage whose connection string or password is the mask a cluster answers in place of a secret.</summary>
    public static bool HasMaskedSecret(JsonObject? storage) =>
        storage is not null && storage.Any(p => SecretFields.Contains(p.Key, StringComparer.OrdinalIgnoreCase) && p.Value is JsonValue v && v.TryGetValue<string>(out var text) && text == "****");

    public object? CreatePolicy(BrsCall call)
    {
        var description = ValidatePolicy(call.RequireJsonObject());
        RequireReachableIfAsked(call, description);
        var name = StringField(description, "Name");
        lock (state.Gate)
        {
            if (state.Policies.ContainsKey(name))
                throw new FabricErrorException(409, "FABRIC_E_BACKUP_POLICY_ALREADY_EXISTS", $"Backup policy {name} already exists.");
            state.Policies[name] = new PolicyEntity { Name = name, Description = description };
            return null;
        }
    }

    public object? UpdatePolicy(BrsCall call)
    {
        var description = ValidatePolicy(call.RequireJsonObject());
        RequireReachableIfAsked(call, description);
        lock (state.Gate)
        {
            var policy = PolicyNamed(call.EntityKey);
            // UpdateBackupPolicyOperation: the name in the path wins; the body's name is not used.
            description["Name"] = policy.Name;
            policy.Description = description;
            // Any update re-arms the schedule (the documented fix for backups stopped by an upgrade).
            policy.StoppedByUpgrade = false;
            return null;
        }
    }

    public object? DeletePolicy(BrsCall call)
    {
        lock (state.Gate)
        {
            var policy = PolicyNamed(call.EntityKey);
            // Choice: the documented "backup is enabled" code, as backup is enabled with this policy somewhere.
            if (UsersOf(policy.Name).Any())
                throw new FabricErrorException(400, "FABRIC_E_BACKUP_IS_ENABLED", $"Backup policy {policy.Name} is in use; disable backup where it is enabled first.");
            state.Policies.Remove(policy.Name);
            return null;
        }
    }

    public object? GetPolicy(BrsCall call)
    {
        lock (state.Gate) return Masked(PolicyNamed(call.EntityKey));
    }

    public object? ListPolicies(BrsCall call)
    {
        lock (state.Gate)
        {
            var all = state.Policies.Values.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => (JsonNode)Masked(p)).ToList();
            return Page(all, call, "BackupPolicies");
        }
    }

    public object? PolicyEntities(BrsCall call)
    {
        lock (state.Gate)
        {
            var policy = PolicyNamed(call.EntityKey);
            return Page(UsersOf(policy.Name).ToList(), call, "PolicyEntities");
        }
    }

    private IEnumerable<JsonNode> UsersOf(string policy)
    {
        foreach (var app in state.Applications.Values.Where(a => a.PolicyName == policy))
            yield return new JsonObject { ["EntityKind"] = "Application", ["ApplicationName"] = app.Name };
        foreach (var service in state.Services.Values.Where(s => s.PolicyName == policy))
            yield return new JsonObject { ["EntityKind"] = "Service", ["ServiceName"] = service.Name };
        foreach (var partition in state.Partitions.Values.Where(p => p.PolicyName == policy))
            yield return new JsonObject { ["EntityKind"] = "Partition", ["ServiceName"] = partition.Service.Name, ["PartitionId"] = partition.Id.ToString() };
    }

    /// <summary>A policy as a cluster answers it: secrets replaced by ****.</summary>
    private static JsonObject Masked(PolicyEntity policy)
    {
        var copy = (JsonObject)policy.Description.DeepClone();
        if (copy["Storage"] is JsonObject storage)
        {
            foreach (var field in storage.Select(p => p.Key).Where(k => SecretFields.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList())
                storage[field] = "****";
        }
        return copy;
    }

    /// <summary>ValidateConnection=true: the storage is tried before the policy is taken; one whose secret is the mask fails.</summary>
    private static void RequireReachableIfAsked(BrsCall call, JsonObject description)
    {
        if (BoolQuery(call, "ValidateConnection") && HasMaskedSecret(Field(description, "Storage") as JsonObject))
            throw FabricErrorException.InvalidArgument(MaskedSecretFailure);
    }

    private static JsonObject ValidatePolicy(JsonObject body)
    {
        var name = StringField(body, "Name");
        if (string.IsNullOrWhiteSpace(name)) throw FabricErrorException.InvalidArgument("Name is required.");
        // Emulator's rule: a name that cannot stand in a path of its own (GET, Update, Delete) is refused, or the policy
        // could never be read or deleted again. Paths are normalised before routing, so '.' and '..' never reach one.
        if (name is "." or ".." || name.IndexOfAny(['/', '\\', '?', '#']) >= 0 || name.Any(char.IsControl))
            throw FabricErrorException.InvalidArgument($"'{SfBackup.Client.Input.SfText.Clip(name)}' cannot be a policy name: it cannot stand in a request path.");
        if (Field(body, "MaxIncrementalBackups") is { } max && (max is not JsonValue mv || !mv.TryGetValue<int>(out var n) || n < 0 || n > 255))
            throw FabricErrorException.InvalidArgument("MaxIncrementalBackups must be 0..255.");
        if (Field(body, "Schedule") is not JsonObject schedule) throw FabricErrorException.InvalidArgument("Schedule is required.");
        switch (StringField(schedule, "ScheduleKind"))
        {
            case "FrequencyBased":
                if (!TryDuration(StringField(schedule, "Interval"), out var interval) || interval <= TimeSpan.Zero)
                    throw FabricErrorException.InvalidArgument("A FrequencyBased schedule needs a positive ISO 8601 Interval.");
                // BRS (FrequencyBasedBackupSchedule, Common.Model) refuses more than 15 days, and keeps whole minutes
                // or hours: under a minute it would keep 0 hours. The emulator refuses that instead of storing it.
                if (interval > TimeSpan.FromDays(15) || interval < TimeSpan.FromMinutes(1))
                    throw FabricErrorException.InvalidArgument("The backup interval must be from one minute to 15 days.");
                // Kept as whole minutes when it has minutes, else whole hours: seconds are dropped.
                var kept = interval.Minutes != 0 ? TimeSpan.FromMinutes((int)interval.TotalMinutes) : TimeSpan.FromHours((int)interval.TotalHours);
                schedule["Interval"] = System.Xml.XmlConvert.ToString(kept);
                break;
            case "TimeBased":
                var frequency = StringField(schedule, "ScheduleFrequencyType");
                if (frequency is not ("Daily" or "Weekly")) throw FabricErrorException.InvalidArgument("ScheduleFrequencyType must be Daily or Weekly.");
                if (Field(schedule, "RunTimes") is not JsonArray { Count: > 0 }) throw FabricErrorException.InvalidArgument("A TimeBased schedule needs RunTimes.");
                if (frequency == "Weekly" && Field(schedule, "RunDays") is not JsonArray { Count: > 0 })
                    throw FabricErrorException.InvalidArgument("A weekly schedule needs RunDays.");
                // TimeBasedBackupSchedule keeps each run day and run time once.
                foreach (var list in new[] { "RunDays", "RunTimes" })
                {
                    if (Field(schedule, list) is JsonArray values)
                        schedule[list] = new JsonArray(values.Select(v => v?.ToJsonString()).Distinct().Select(t => JsonNode.Parse(t ?? "null")).ToArray());
                }
                break;
            default:
                throw FabricErrorException.InvalidArgument("ScheduleKind must be FrequencyBased or TimeBased.");
        }
        if (OptionalStorage(body, "Storage") is not { } storage) throw FabricErrorException.InvalidArgument("Storage is required.");
        // BackupStorage.ToBackupStorageView: a storage without a friendly name reads back with an empty one.
        if (Field(storage, "FriendlyName") is null) storage["FriendlyName"] = "";
        if (Field(body, "RetentionPolicy") is JsonObject retention)
        {
            if (StringField(retention, "RetentionPolicyType") != "Basic") throw FabricErrorException.InvalidArgument("RetentionPolicyType must be Basic.");
            if (!TryDuration(StringField(retention, "RetentionDuration"), out var keep) || keep <= TimeSpan.Zero)
                throw FabricErrorException.InvalidArgument("RetentionDuration must be a positive ISO 8601 duration.");
            // BasicRetentionPolicy (Common.Model): whole hours, at least one; the rest is dropped.
            if ((int)keep.TotalHours == 0) throw FabricErrorException.InvalidArgument("The retention duration must be at least one hour.");
            retention["RetentionDuration"] = System.Xml.XmlConvert.ToString(TimeSpan.FromHours((int)keep.TotalHours));
        }
        return (JsonObject)body.DeepClone();
    }

    private static bool TryDuration(string text, out TimeSpan value)
    {
        try
        {
            value = System.Xml.XmlConvert.ToTimeSpan(text);
            return true;
        }
        catch (FormatException)
        {
            value = default;
            return false;
        }
    }
}
