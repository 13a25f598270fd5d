using System.Text.Json.Nodes;

namespace SfBackup.Emulator;

/// <summary>
/// Report Partition Health and Get Partition Health: what Get-SfBackupHealth -ReportHealth sends, kept per partition
/// by source and property, expiring after their time to live as a health store expires them.
/// </summary>
public sealed partial class BackupHandlers
{
    private static readonly string[] HealthStates = ["Ok", "Warning", "Error", "Unknown"];

    public object? ReportPartitionHealth(BrsCall call)
    {
        var body = call.RequireJsonObject();
        var source = RequiredText(body, "SourceId");
        var property = RequiredText(body, "Property");
        var healthState = RequiredText(body, "HealthState");
        if (!HealthStates.Contains(healthState, StringComparer.Ordinal))
            throw FabricErrorException.InvalidArgument($"HealthState '{healthState}' is not one of {string.Join(", ", HealthStates)}.");
        TimeSpan? timeToLive = null;
        if (body["TimeToLiveInMilliSeconds"] is JsonValue ttl)
        {
            try
            {
                timeToLive = System.Xml.XmlConvert.ToTimeSpan(ttl.ToString());
            }
            catch (FormatException)
            {
                throw FabricErrorException.InvalidArgument($"TimeToLiveInMilliSeconds '{ttl}' is not an ISO 8601 duration such as PT1H.");
            }
        }
        long? sequence = body["SequenceNumber"] is JsonValue number && long.TryParse(number.ToString(), out var n) ? n : null;

        lock (state.Gate)
        {
            var partition = AnyPartition(call.EntityKey);
            var key = (source, property);
            if (sequence is { } s && partition.Health.TryGetValue(key, out var existing) && existing.SequenceNumber is { } previous && s <= previous)
                throw new FabricErrorException(400, "FABRIC_E_HEALTH_STALE_REPORT", $"Sequence number {s} is not newer than {previous} for {source}/{property}.");
            partition.Health[key] = new HealthReport
            {
                SourceId = source, Property = property, HealthState = healthState, TimeToLive = timeToLive,
                Description = body["Description"]?.ToString(), SequenceNumber = sequence,
                RemoveWhenExpired = body["RemoveWhenExpired"] is JsonValue remove && remove.TryGetValue<bool>(out var r) && r,
                ReportedAt = state.Now,
            };
        }
        return null;
    }

    public object? GetPartitionHealth(BrsCall call)
    {
        lock (state.Gate)
        {
            var partition = AnyPartition(call.EntityKey);
            var now = state.Now;
            var events = new JsonArray();
            var worst = "Ok";
            foreach (var report in partition.Health.Values.OrderBy(r => r.SourceId, StringComparer.Ordinal).ThenBy(r => r.Property, StringComparer.Ordinal))
            {
                var expired = report.TimeToLive is { } ttl && now >= report.ReportedAt + ttl;
                if (expired && report.RemoveWhenExpired) continue;
                // An expired report that stays counts as an error: its source stopped reporting.
                var effective = expired ? "Error" : report.HealthState;
                if (Rank(effective) > Rank(worst)) worst = effective;
                events.Add(new JsonObject
                {
                    ["SourceId"] = report.SourceId,
                    ["Property"] = report.Property,
                    ["HealthState"] = report.HealthState,
                    ["TimeToLiveInMilliSeconds"] = report.TimeToLive is { } t ? System.Xml.XmlConvert.ToString(t) : "P10675199DT2H48M5.4775807S",
                    ["Description"] = report.Description ?? "",
                    ["SequenceNumber"] = (report.SequenceNumber ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["RemoveWhenExpired"] = report.RemoveWhenExpired,
                    ["SourceUtcTimestamp"] = report.ReportedAt.UtcDateTime.ToString("o", System.Globalization.CultureInfo.InvariantCulture),
                    ["IsExpired"] = expired,
                });
            }
            return new JsonObject
            {
                ["PartitionId"] = partition.Id.ToString(),
                ["AggregatedHealthState"] = worst,
                ["HealthEvents"] = events,
                ["ReplicaHealthStates"] = new JsonArray(),
            };
        }
    }

    private static int Rank(string healthState) => healthState switch { "Error" => 3, "Warning" => 2, "Unknown" => 1, _ => 0 };

    private PartitionEntity AnyPartition(string key)
    {
        if (!Guid.TryParse(key, out var id)) throw FabricErrorException.InvalidArgument($"'{key}' is not a partition id (a GUID).");
        return state.Partitions.GetValueOrDefault(id) ?? throw FabricErrorException.PartitionNotFound(id);
    }

    private static string RequiredText(JsonObject body, string name) =>
        body[name] is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text)
            ? text
            : throw FabricErrorException.InvalidArgument($"{name} is required.");
}
