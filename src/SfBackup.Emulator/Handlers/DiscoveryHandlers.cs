using System.Globalization;
using System.Text.Json.Nodes;

namespace SfBackup.Emulator;

/// <summary>The cluster queries that feed pipelines: applications, their services, a service's partitions.</summary>
public sealed partial class BackupHandlers
{
    public object? Applications(BrsCall call)
    {
        lock (state.Gate)
        {
            var items = state.Applications.Values.OrderBy(a => a.Name, StringComparer.Ordinal).Select(a => (JsonNode)new JsonObject
            {
                ["Id"] = a.Id, ["Name"] = a.Name, ["TypeName"] = a.Id.Split('~')[0] + "Type", ["TypeVersion"] = "1.0.0",
                ["Status"] = "Ready", ["HealthState"] = "Ok",
            }).ToList();
            return Page(items, call, "Applications");
        }
    }

    public object? Services(BrsCall call)
    {
        lock (state.Gate)
        {
            var app = Application(call.EntityKey);
            var items = app.Services.Select(s => (JsonNode)new JsonObject
            {
                ["Id"] = s.Id, ["ServiceKind"] = s.IsStateful ? "Stateful" : "Stateless", ["Name"] = s.Name,
                ["TypeName"] = s.Id.Split('~').Last() + "Type", ["ManifestVersion"] = "1.0.0",
                ["HasPersistedState"] = s.IsStateful, ["HealthState"] = "Ok", ["ServiceStatus"] = "Active",
            }).ToList();
            return Page(items, call, "Services");
        }
    }

    /// <summary>GET /Partitions/{id}/$/GetServiceName: the service a partition belongs to, as {Id, Name}.</summary>
    public object? ServiceNameOf(BrsCall call)
    {
        lock (state.Gate)
        {
            var service = AnyPartition(call.EntityKey).Service;
            return new JsonObject { ["Id"] = service.Id, ["Name"] = service.Name };
        }
    }

    public object? Partitions(BrsCall call)
    {
        lock (state.Gate)
        {
            var service = Service(call.EntityKey);
            var items = service.Partitions.Select(p => (JsonNode)new JsonObject
            {
                ["ServiceKind"] = service.IsStateful ? "Stateful" : "Stateless",
                ["PartitionInformation"] = PartitionInformationOf(p.Owner),
                ["PartitionStatus"] = "Ready",
                ["HealthState"] = "Ok",
                ["CurrentConfigurationEpoch"] = EpochOf(131462452931584510, 8589934592, call.Wants62Shapes),
            }).ToList();
            return Page(items, call, "Partitions");
        }
    }
}
