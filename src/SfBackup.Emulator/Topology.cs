using System.Text.Json;
using System.Text.Json.Nodes;

namespace SfBackup.Emulator;

/// <summary>The cluster the emulator pretends to be: applications, services, partitions, policies, and their starting state.</summary>
public sealed class Topology
{
    public List<TopologyApplication> Applications { get; set; } = [];
    public List<TopologyPolicy> Policies { get; set; } = [];

    public static Topology Load(string? path)
    {
        if (string.IsNullOrWhiteSpace(path)) return Default();
        var topology = JsonSerializer.Deserialize<Topology>(File.ReadAllText(path), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })
            ?? throw new InvalidDataException($"{path} holds no topology.");
        return topology;
    }

    /// <summary>
    /// This topology plus <paramref name="partitions"/> generated stateful partitions: applications fabric:/Load001…
    /// with services Svc1…Svc5 of 10 partitions each (the last ones may hold fewer), ids 00000000-0000-4000-8000-n.
    /// Each service splits the Int64 key space into equal ranges. None has backup enabled.
    /// </summary>
    public Topology WithGenerated(int partitions)
    {
        const int perService = 10, servicesPerApplication = 5;
        for (var made = 0; made < partitions;)
        {
            var application = new TopologyApplication { Name = $"fabric:/Load{Applications.Count(a => a.Name.StartsWith("fabric:/Load", StringComparison.Ordinal)) + 1:D3}" };
            for (var s = 1; s <= servicesPerApplication && made < partitions; s++)
            {
                var service = new TopologyService { Name = $"{application.Name}/Svc{s}", Kind = "Stateful" };
                var count = Math.Min(perService, partitions - made);
                var width = (decimal)ulong.MaxValue / count;
                for (var i = 0; i < count; i++, made++)
                {
                    var low = (long)(long.MinValue + Math.Floor(width * i));
                    var high = i == count - 1 ? long.MaxValue : (long)(long.MinValue + Math.Floor(width * (i + 1)) - 1);
                    service.Partitions.Add(new TopologyPartition
                    {
                        Id = Guid.Parse($"00000000-0000-4000-8000-{made + 1:D12}"),
                        LowKey = low.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        HighKey = high.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    });
                }
                application.Services.Add(service);
            }
            Applications.Add(application);
        }
        return this;
    }

    /// <summary>
    /// What the seed documents' examples name, set up so that each example works verbatim: CalcService's partition
    /// 1daae3f5-… is backed up by DailyAzureBackupPolicy (enabled at the application), suspended at partition level
    /// and at service level (so both Resume examples succeed), and has a finished restore to report.
    /// </summary>
    public static Topology Default() => new()
    {
        Policies =
        [
            new TopologyPolicy { Name = "DailyAzureBackupPolicy", StorageKind = "AzureBlobStore", ContainerName = "BackupContainer" },
            new TopologyPolicy { Name = "HourlyFileShareBackupPolicy", StorageKind = "FileShare", Path = @"\\myshare\backupshare", IntervalMinutes = 60 },
        ],
        Applications =
        [
            new TopologyApplication
            {
                Name = "fabric:/CalcApp",
                BackupPolicyName = "DailyAzureBackupPolicy",
                Services =
                [
                    new TopologyService
                    {
                        Name = "fabric:/CalcApp/CalcService",
                        Kind = "Stateful",
                        Suspended = true,
                        Partitions =
                        [
                            new TopologyPartition
                            {
                                Id = Guid.Parse("1daae3f5-7fd6-42e9-b1ba-8c05f873994d"), LowKey = "-9223372036854775808", HighKey = "-1",
                                Suspended = true, BackupCount = 3,
                                LastRestore = new TopologyRestore
                                {
                                    State = "Success", TimeStampUtc = "2018-01-01T09:00:55Z",
                                    DataLossNumber = 131462452931584510, ConfigurationNumber = 8589934592, Lsn = 261,
                                },
                            },
                            new TopologyPartition { Id = Guid.Parse("5e4a2f31-55a6-4a0e-9a1f-6d4bb2a8c0de"), LowKey = "0", HighKey = "9223372036854775807" },
                        ],
                    },
                    new TopologyService
                    {
                        Name = "fabric:/CalcApp/CalcGateway",
                        Kind = "Stateless",
                        Partitions = [new TopologyPartition { Id = Guid.Parse("0b1e9c42-3c55-4f2b-8f4e-0f6a1f0c7a11") }],
                    },
                ],
            },
            new TopologyApplication
            {
                Name = "fabric:/Inventory",
                Services =
                [
                    new TopologyService
                    {
                        Name = "fabric:/Inventory/Stock",
                        Kind = "Stateful",
                        Partitions =
                        [
                            new TopologyPartition { Id = Guid.Parse("a1b2c3d4-0001-4000-8000-000000000001"), LowKey = "0", HighKey = "99" },
                            new TopologyPartition { Id = Guid.Parse("a1b2c3d4-0002-4000-8000-000000000002"), LowKey = "100", HighKey = "199" },
                            new TopologyPartition { Id = Guid.Parse("a1b2c3d4-0003-4000-8000-000000000003"), LowKey = "200", HighKey = "299" },
                            new TopologyPartition { Id = Guid.Parse("a1b2c3d4-0004-4000-8000-000000000004"), LowKey = "300", HighKey = "399" },
                        ],
                    },
                ],
            },
        ],
    };
}

public sealed class TopologyApplication
{
    public string Name { get; set; } = "";
    public string? BackupPolicyName { get; set; }
    public bool Suspended { get; set; }
    public List<TopologyService> Services { get; set; } = [];
}

public sealed class TopologyService
{
    public string Name { get; set; } = "";
    /// <summary>Stateful or Stateless.</summary>
    public string Kind { get; set; } = "Stateful";
    public string? BackupPolicyName { get; set; }
    public bool Suspended { get; set; }
    public List<TopologyPartition> Partitions { get; set; } = [];
}

public sealed class TopologyPartition
{
    public Guid Id { get; set; }
    public string? LowKey { get; set; }
    public string? HighKey { get; set; }

    /// <summary>Set for a Named partition (without LowKey and HighKey).</summary>
    public string? Name { get; set; }
    public string? BackupPolicyName { get; set; }
    public bool Suspended { get; set; }
    public TopologyRestore? LastRestore { get; set; }

    /// <summary>How many backups (one chain, a day apart) the partition already has.</summary>
    public int BackupCount { get; set; }
}

public sealed class TopologyRestore
{
    public string State { get; set; } = "Success";
    public string? TimeStampUtc { get; set; }
    public long DataLossNumber { get; set; }
    public long ConfigurationNumber { get; set; }
    public long Lsn { get; set; }
}

/// <summary>A policy in short: daily at 09:00 (or every IntervalMinutes) to one storage, 3 incrementals, 30 days.</summary>
public sealed class TopologyPolicy
{
    public string Name { get; set; } = "";
    public string StorageKind { get; set; } = "AzureBlobStore";
    public string? ContainerName { get; set; }
    public string? Path { get; set; }
    public int? IntervalMinutes { get; set; }

    public JsonObject ToDescription()
    {
        JsonObject storage = StorageKind switch
        {
            "FileShare" => new() { ["StorageKind"] = "FileShare", ["Path"] = Path ?? @"\\share\backups" },
            _ => new()
            {
                ["StorageKind"] = "AzureBlobStore",
                ["ConnectionString"] = "DefaultEndpointsProtocol=https;AccountName=emulator;AccountKey=emulator-account-key",
                ["ContainerName"] = ContainerName ?? "backups",
            },
        };
        JsonObject schedule = IntervalMinutes is { } minutes
            ? new() { ["ScheduleKind"] = "FrequencyBased", ["Interval"] = System.Xml.XmlConvert.ToString(TimeSpan.FromMinutes(minutes)) }
            : new() { ["ScheduleKind"] = "TimeBased", ["ScheduleFrequencyType"] = "Daily", ["RunTimes"] = new JsonArray("0001-01-01T09:00:00Z") };
        return new JsonObject
        {
            ["Name"] = Name,
            ["AutoRestoreOnDataLoss"] = false,
            ["MaxIncrementalBackups"] = 3,
            ["Schedule"] = schedule,
            ["Storage"] = storage,
            ["RetentionPolicy"] = new JsonObject { ["RetentionPolicyType"] = "Basic", ["MinimumNumberOfBackups"] = 5, ["RetentionDuration"] = "P30D" },
        };
    }
}
