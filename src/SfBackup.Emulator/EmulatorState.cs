namespace SfBackup.Emulator;

/// <summary>Policy and suspension as set on one level; partitions inherit from their service and application.</summary>
public abstract class BackupScope
{
    public string? PolicyName { get; set; }
    public bool Suspended { get; set; }
}

public sealed class ApplicationEntity : BackupScope
{
    public required string Name { get; init; }
    public required string Id { get; init; }
    public List<ServiceEntity> Services { get; } = [];
}

public sealed class ServiceEntity : BackupScope
{
    public required string Name { get; init; }
    public required string Id { get; init; }
    public required bool IsStateful { get; init; }
    public required ApplicationEntity Application { get; init; }
    public List<PartitionEntity> Partitions { get; } = [];
}

public sealed class PartitionEntity : BackupScope
{
    public required Guid Id { get; init; }
    public required ServiceEntity Service { get; init; }
    public string? LowKey { get; init; }
    public string? HighKey { get; init; }
    public BackupRun? CurrentBackup { get; set; }
    public RestoreRecord? LastRestore { get; set; }

    public string? EffectivePolicy => PolicyName ?? Service.PolicyName ?? Service.Application.PolicyName;
    public bool EffectivelySuspended => Suspended || Service.Suspended || Service.Application.Suspended;
}

public sealed class PolicyEntity
{
    public required string Name { get; init; }
    public required string StorageKind { get; init; }
    public string? ContainerName { get; init; }
    public string? Path { get; init; }
}

/// <summary>
/// A backup as a state machine over time: Accepted, then BackupInProgress, then Success — or Timeout when the
/// requested BackupTimeout ends before the work does.
/// </summary>
public sealed class BackupRun
{
    public required Guid BackupId { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset AcceptedUntil { get; init; }
    public required DateTimeOffset DoneAt { get; init; }
    public required DateTimeOffset TimeoutAt { get; init; }
    public required string StorageKind { get; init; }
    public required string Location { get; init; }

    public DateTimeOffset EndsAt => DoneAt <= TimeoutAt ? DoneAt : TimeoutAt;
    public bool IsRunning(DateTimeOffset now) => now < EndsAt;

    public string State(DateTimeOffset now) =>
        now < AcceptedUntil && now < EndsAt ? "Accepted"
        : now < EndsAt ? "BackupInProgress"
        : DoneAt <= TimeoutAt ? "Success" : "Timeout";
}

public sealed class RestoreRecord
{
    public required string State { get; init; }
    public DateTimeOffset? TimeStampUtc { get; init; }
    public long DataLossNumber { get; init; }
    public long ConfigurationNumber { get; init; }
    public long Lsn { get; init; }
}

/// <summary>Everything the emulator knows. All reads and writes go through <see cref="Gate"/>.</summary>
public sealed class EmulatorState
{
    private readonly EmulatorOptions _options;

    public EmulatorState(EmulatorOptions options, TimeProvider clock)
    {
        _options = options;
        Clock = clock;
        Reset();
    }

    public object Gate { get; } = new();
    public TimeProvider Clock { get; }
    public DateTimeOffset Now => Clock.GetUtcNow();

    public Dictionary<string, ApplicationEntity> Applications { get; } = new(StringComparer.OrdinalIgnoreCase);
    public Dictionary<string, ServiceEntity> Services { get; } = new(StringComparer.OrdinalIgnoreCase);
    public Dictionary<Guid, PartitionEntity> Partitions { get; } = [];
    public Dictionary<string, PolicyEntity> Policies { get; } = new(StringComparer.Ordinal);

    /// <summary>Back to the topology's starting state (tests and the Pester suite call this between cases).</summary>
    public void Reset()
    {
        var topology = Topology.Load(_options.TopologyFile);
        lock (Gate)
        {
            Applications.Clear();
            Services.Clear();
            Partitions.Clear();
            Policies.Clear();
            foreach (var p in topology.Policies)
                Policies[p.Name] = new PolicyEntity { Name = p.Name, StorageKind = p.StorageKind, ContainerName = p.ContainerName, Path = p.Path };

            foreach (var a in topology.Applications)
            {
                var app = new ApplicationEntity { Name = a.Name, Id = IdOf(a.Name), PolicyName = a.BackupPolicyName, Suspended = a.Suspended };
                Applications[app.Id] = app;
                foreach (var s in a.Services)
                {
                    var svc = new ServiceEntity
                    {
                        Name = s.Name, Id = IdOf(s.Name), Application = app, PolicyName = s.BackupPolicyName, Suspended = s.Suspended,
                        IsStateful = !string.Equals(s.Kind, "Stateless", StringComparison.OrdinalIgnoreCase),
                    };
                    app.Services.Add(svc);
                    Services[svc.Id] = svc;
                    foreach (var p in s.Partitions)
                    {
                        var part = new PartitionEntity
                        {
                            Id = p.Id, Service = svc, LowKey = p.LowKey, HighKey = p.HighKey, PolicyName = p.BackupPolicyName, Suspended = p.Suspended,
                        };
                        if (p.LastRestore is { } r)
                        {
                            part.LastRestore = new RestoreRecord
                            {
                                State = r.State, DataLossNumber = r.DataLossNumber, ConfigurationNumber = r.ConfigurationNumber, Lsn = r.Lsn,
                                TimeStampUtc = r.TimeStampUtc is null ? null : DateTimeOffset.Parse(r.TimeStampUtc, System.Globalization.CultureInfo.InvariantCulture),
                            };
                        }
                        svc.Partitions.Add(part);
                        Partitions[part.Id] = part;
                    }
                }
            }
        }
    }

    /// <summary>fabric:/a/b, a/b or a~b → a~b (the emulator accepts the pre-6.0 slash form, as the seed examples use it).</summary>
    public static string IdOf(string name)
    {
        var text = name.StartsWith("fabric:", StringComparison.OrdinalIgnoreCase) ? name["fabric:".Length..] : name;
        return text.Trim('/').Replace('/', '~');
    }

    public TimeSpan AcceptedFor => TimeSpan.FromSeconds(_options.AcceptedSeconds);
    public TimeSpan BackupTakes => TimeSpan.FromSeconds(_options.BackupSeconds);
}

/// <summary>One request as it arrived, for tests that check exactly what a client sent.</summary>
public sealed record JournalEntry(string Method, string RawTarget, IReadOnlyDictionary<string, string> Headers, string Body, int Status);

public sealed class RequestJournal(EmulatorOptions options)
{
    private readonly LinkedList<JournalEntry> _entries = new();

    public void Add(JournalEntry entry)
    {
        lock (_entries)
        {
            _entries.AddLast(entry);
            while (_entries.Count > Math.Max(1, options.JournalSize)) _entries.RemoveFirst();
        }
    }

    public IReadOnlyList<JournalEntry> Snapshot()
    {
        lock (_entries) return [.. _entries];
    }

    public void Clear()
    {
        lock (_entries) _entries.Clear();
    }
}
