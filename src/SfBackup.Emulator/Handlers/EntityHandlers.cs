using System.Globalization;
using System.Text.Json.Nodes;

namespace SfBackup.Emulator;

/// <summary>Enable, disable, suspend, resume, configuration and backup lists: the same at every level.</summary>
public sealed partial class BackupHandlers
{
    public object? Enable(BrsCall call)
    {
        var body = call.RequireJsonObject();
        var name = StringField(body, "BackupPolicyName");
        if (string.IsNullOrWhiteSpace(name)) throw FabricErrorException.InvalidArgument("BackupPolicyName is required.");
        lock (state.Gate)
        {
            var scope = Scope(call.Collection, call.EntityKey);
            PolicyNamed(name);
            // Enabling at a level overrides whatever a level above set.
            scope.PolicyName = name;
            return null;
        }
    }

    /// <summary>Only where backup was enabled at this very level; CleanBackup deletes the backups that lose their policy.</summary>
    public object? Disable(BrsCall call)
    {
        var body = call.OptionalJsonObject();
        var clean = false;
        if (body is not null && Field(body, "CleanBackup") is { } flag)
        {
            if (flag is not JsonValue v || !v.TryGetValue(out clean)) throw FabricErrorException.InvalidArgument("CleanBackup must be true or false.");
        }
        lock (state.Gate)
        {
            var scope = Scope(call.Collection, call.EntityKey);
            if (scope.PolicyName is null) throw FabricErrorException.NotEnabled(Describe(scope) + " (at this level)");
            scope.PolicyName = null;
            if (clean)
            {
                foreach (var partition in PartitionsUnder(scope).Where(p => p.EffectivePolicy is null)) partition.Backups.Clear();
            }
            return null;
        }
    }

    /// <summary>
    /// As SuspendBackupOperation: 404 FABRIC_E_BACKUP_NOT_ENABLED only when no level of the entity's application has
    /// backup enabled; otherwise the suspension is recorded (again, if it already was: the store's AddOrUpdate) and 202.
    /// </summary>
    public object? Suspend(BrsCall call)
    {
        lock (state.Gate)
        {
            var scope = Scope(call.Collection, call.EntityKey);
            RequireEnabledInApplication(scope);
            scope.Suspended = true;
            return null;
        }
    }

    /// <summary>
    /// As ResumeBackupOperation: the suspension recorded at this very level is removed, and one that is not there is no
    /// error (the operation is idempotent). A suspension set at the service or application stays: the answer is 202 all
    /// the same, and the partition is still suspended (a real cluster's trap, kept on purpose).
    /// </summary>
    public object? Resume(BrsCall call)
    {
        lock (state.Gate)
        {
            var scope = Scope(call.Collection, call.EntityKey);
            RequireEnabledInApplication(scope);
            scope.Suspended = false;
            return null;
        }
    }

    /// <summary>GetAllProtectionForApplicationAndItsServiceAndPartition: any backup mapping in the entity's application.</summary>
    private static void RequireEnabledInApplication(BackupScope scope)
    {
        var application = scope switch
        {
            ApplicationEntity a => a,
            ServiceEntity s => s.Application,
            PartitionEntity p => p.Service.Application,
            _ => null,
        };
        var enabled = application is not null && (application.PolicyName is not null
            || application.Services.Any(s => s.PolicyName is not null || s.Partitions.Any(p => p.PolicyName is not null)));
        if (!enabled) throw FabricErrorException.NotEnabled(Describe(scope));
    }

    /// <summary>A partition answers one object; an application or service a page of itself and what under it has its own settings.</summary>
    public object? Configuration(BrsCall call)
    {
        lock (state.Gate)
        {
            var scope = Scope(call.Collection, call.EntityKey);
            if (scope is PartitionEntity partition) return ConfigurationOf(partition);
            var entries = new List<JsonNode> { ConfigurationOf(scope) };
            var services = scope is ApplicationEntity a ? a.Services.Where(s => s.IsStateful).ToList() : [];
            entries.AddRange(services.Where(s => s.PolicyName is not null || s.Suspended).Select(ConfigurationOf));
            entries.AddRange(PartitionsUnder(scope).Where(p => p.PolicyName is not null || p.Suspended).Select(ConfigurationOf));
            return Page(entries, call, "BackupConfiguration");
        }
    }

    private static JsonObject ConfigurationOf(BackupScope scope)
    {
        var (kind, policyFrom, suspendedFrom) = scope switch
        {
            ApplicationEntity a => ("Application",
                a.PolicyName is null ? "Invalid" : "Application",
                a.Suspended ? "Application" : "Invalid"),
            ServiceEntity s => ("Service",
                s.PolicyName is not null ? "Service" : s.Application.PolicyName is not null ? "Application" : "Invalid",
                s.Suspended ? "Service" : s.Application.Suspended ? "Application" : "Invalid"),
            PartitionEntity p => ("Partition",
                p.PolicyName is not null ? "Partition" : p.Service.PolicyName is not null ? "Service" : p.Service.Application.PolicyName is not null ? "Application" : "Invalid",
                p.Suspended ? "Partition" : p.Service.Suspended ? "Service" : p.Service.Application.Suspended ? "Application" : "Invalid"),
            _ => throw new InvalidOperationException(),
        };
        var info = new JsonObject { ["Kind"] = kind };
        if (EffectivePolicy(scope) is { } policy) info["PolicyName"] = policy;
        info["PolicyInheritedFrom"] = policyFrom;
        switch (scope)
        {
            case ApplicationEntity a:
                info["ApplicationName"] = a.Name;
                break;
            case ServiceEntity s:
                info["ServiceName"] = s.Name;
                break;
            case PartitionEntity p:
                info["ServiceName"] = p.Service.Name;
                info["PartitionId"] = p.Id.ToString();
                break;
        }
        info["SuspensionInfo"] = new JsonObject { ["IsSuspended"] = suspendedFrom != "Invalid", ["SuspensionInheritedFrom"] = suspendedFrom };
        return info;
    }

    public object? Backups(BrsCall call)
    {
        var latest = BoolQuery(call, "Latest");
        var start = DateQuery(call, "StartDateTimeFilter");
        var end = DateQuery(call, "EndDateTimeFilter");
        lock (state.Gate)
        {
            var scope = Scope(call.Collection, call.EntityKey);
            var records = Filter(PartitionsUnder(scope).SelectMany(p => p.Backups), latest, start, end);
            return BackupPage(records, call);
        }
    }

    private static IEnumerable<BackupRecord> Filter(IEnumerable<BackupRecord> records, bool latest, DateTimeOffset? start, DateTimeOffset? end)
    {
        var kept = records.Where(r => (start is null || r.CreationTimeUtc >= start) && (end is null || r.CreationTimeUtc <= end));
        if (latest) kept = kept.GroupBy(r => r.Owner.PartitionId).Select(g => g.OrderBy(r => r.CreationTimeUtc).Last());
        return kept.OrderBy(r => r.CreationTimeUtc).ThenBy(r => r.Owner.PartitionId);
    }

    private static JsonObject EpochOf(long dataLoss, long configuration, bool sixTwoShape)
    {
        var (dl, cfg) = sixTwoShape ? ("DataLossNumber", "ConfigurationNumber") : ("DataLossVersion", "ConfigurationVersion");
        return new JsonObject { [dl] = dataLoss.ToString(CultureInfo.InvariantCulture), [cfg] = configuration.ToString(CultureInfo.InvariantCulture) };
    }

    private static JsonObject BackupInfoOf(BackupRecord r, bool sixTwoShape) => new()
    {
        ["BackupId"] = r.BackupId.ToString(),
        ["BackupChainId"] = r.ChainId.ToString(),
        ["ApplicationName"] = r.Owner.ApplicationName,
        ["ServiceName"] = r.Owner.ServiceName,
        ["PartitionInformation"] = PartitionInformationOf(r.Owner),
        ["BackupLocation"] = r.Location,
        ["BackupType"] = r.BackupType,
        ["EpochOfLastBackupRecord"] = EpochOf(r.DataLossNumber, r.ConfigurationNumber, sixTwoShape),
        ["LsnOfLastBackupRecord"] = r.Lsn.ToString(CultureInfo.InvariantCulture),
        ["CreationTimeUtc"] = Iso(r.CreationTimeUtc),
        ["ServiceManifestVersion"] = "1.0.0",
        ["FailureError"] = null,
    };

    private static JsonObject PartitionInformationOf(BackupOwner p)
    {
        var info = new JsonObject { ["ServicePartitionKind"] = p.Kind, ["Id"] = p.PartitionId.ToString() };
        if (p.Kind == "Int64Range")
        {
            info["LowKey"] = p.LowKey;
            info["HighKey"] = p.HighKey;
        }
        else if (p.Kind == "Named")
        {
            info["Name"] = p.Name;
        }
        return info;
    }
}
