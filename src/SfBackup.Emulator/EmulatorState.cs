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

    /// <summary>A Named partition's name (LowKey and HighKey are then null).</summary>
    public string? Name { get; init; }
    public BackupRun? CurrentBackup { get; set; }
    public bool CurrentBackupRecorded { get; set; }
    public RestoreRecord? LastRestore { get; set; }
    public RestoreRun? CurrentRestore { get; set; }
    public List<BackupRecord> Backups { get; } = [];
    public bool SkipAutoRestore { get; set; }

    /// <summary>With --Emulator:PeriodicBackups: when its schedule started, and up to when scheduled backups were recorded.</summary>
    public DateTimeOffset? ScheduleStart { get; set; }
    public DateTimeOffset? ScheduledUpTo { get; set; }

    /// <summary>Its backups end in Failure (POST /$Emulator/Partitions/{id}/FailBackups), for health and alerting tests.</summary>
    public bool FailsBackups { get; set; }

    /// <summary>Its backups record an LSN of -1 (POST /$Emulator/Partitions/{id}/LsnMinusOne), and cannot be restored.</summary>
    public bool LsnMinusOne { get; set; }

    /// <summary>Health reports on the partition, by source and property (Report Partition Health).</summary>
    public Dictionary<(string Source, string Property), HealthReport> Health { get; } = [];

    /// <summary>What a backup of this partition records about it (and what a restore target is matched against).</summary>
    public BackupOwner Owner => new(Id, Service.Application.Name, Service.Name, LowKey is not null ? "Int64Range" : Name is not null ? "Named" : "Singleton", LowKey, HighKey, Name);

    public string? EffectivePolicy => PolicyName ?? Service.PolicyName ?? Service.Application.PolicyName;
    public bool EffectivelySuspended => Suspended || Service.Suspended || Service.Application.Suspended;
}

/// <summary>A backup policy as the cluster keeps it: the description it was created or updated with.</summary>
public sealed class HealthReport
{
    public required string SourceId { get; init; }
    public required string Property { get; init; }
    public required string HealthState { get; init; }
    public TimeSpan? TimeToLive { get; init; }
    public string? Description { get; init; }
    public long? SequenceNumber { get; init; }
    public bool RemoveWhenExpired { get; init; }
    public required DateTimeOffset ReportedAt { get; init; }
}

public sealed class PolicyEntity
{
    public required string Name { get; init; }
    public required System.Text.Json.Nodes.JsonObject Description { get; set; }

    /// <summary>
    /// Since POST /$Emulator/Upgrade: its periodic backups have stopped, as they do after some runtime upgrades, until
    /// the policy is updated again (with the same values or others).
    /// </summary>
    public bool StoppedByUpgrade { get; set; }

    public System.Text.Json.Nodes.JsonObject Storage => (System.Text.Json.Nodes.JsonObject)Description["Storage"]!;
    public string StorageKind => Storage["StorageKind"]!.GetValue<string>();
    public int MaxIncrementalBackups => Description["MaxIncrementalBackups"]?.GetValue<int>() ?? 0;
}

/// <summary>
/// The partition a backup was taken of, as the backup records it: enough to list it and to match a restore target
/// by key range, also in another cluster (through --Emulator:StorageDirectory) where that partition does not exist.
/// </summary>
public sealed record BackupOwner(Guid PartitionId, string ApplicationName, string ServiceName, string Kind, string? LowKey, string? HighKey, string? Name)
{
    /// <summary>Same partition kind and the same keys: what makes a backup restorable to a partition.</summary>
    public bool SameKeyRange(BackupOwner other) =>
        Kind == other.Kind && LowKey == other.LowKey && HighKey == other.HighKey && Name == other.Name;

    public string KeyRange => Kind switch
    {
        "Int64Range" => $"[{LowKey}, {HighKey}]",
        "Named" => $"'{Name}'",
        _ => "Singleton",
    };
}

/// <summary>A finished backup: what GetBackups lists and Restore takes.</summary>
public sealed class BackupRecord
{
    public required Guid BackupId { get; init; }
    public required Guid ChainId { get; init; }
    public required BackupOwner Owner { get; init; }
    public required string BackupType { get; init; }
    public required DateTimeOffset CreationTimeUtc { get; init; }
    public required string Location { get; init; }
    public required string StorageKey { get; init; }
    public required long DataLossNumber { get; init; }
    public required long ConfigurationNumber { get; init; }
    public required long Lsn { get; init; }

    /// <summary>
    /// The backup this incremental one builds on (null for a full backup, and in record files written before it was
    /// kept): a restore walks these links back to the full backup, as the service walks its metadata files.
    /// </summary>
    public Guid? ParentBackupId { get; init; }
}

/// <summary>A restore: Accepted, RestoreInProgress, then Success (or Timeout).</summary>
public sealed class RestoreRun : TimedRun
{
    public required BackupRecord Source { get; init; }
    protected override string InProgress => "RestoreInProgress";

    /// <summary>Why it ends in Failure (a corrupt chain member, an LSN of -1, an unreachable storage); null: it succeeds.</summary>
    public string? FailureMessage { get; init; }

    public override string State(DateTimeOffset now) => base.State(now) is "Success" && FailureMessage is not null ? "Failure" : base.State(now);
}

/// <summary>
/// Work as a state machine over time: Accepted, then in progress, then Success — or Timeout when the requested
/// timeout ends before the work does.
/// </summary>
public abstract class TimedRun
{
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset AcceptedUntil { get; init; }
    public required DateTimeOffset DoneAt { get; init; }
    public required DateTimeOffset TimeoutAt { get; init; }

    /// <summary>The state's name while the work runs (BackupInProgress, RestoreInProgress).</summary>
    protected abstract string InProgress { get; }

    public DateTimeOffset EndsAt => DoneAt <= TimeoutAt ? DoneAt : TimeoutAt;
    public bool IsRunning(DateTimeOffset now) => now < EndsAt;

    public virtual string State(DateTimeOffset now) =>
        now < AcceptedUntil && now < EndsAt ? "Accepted"
        : now < EndsAt ? InProgress
        : DoneAt <= TimeoutAt ? "Success" : "Timeout";
}

/// <summary>A backup: Accepted, BackupInProgress, then Success (or Timeout).</summary>
public sealed class BackupRun : TimedRun
{
    public required Guid BackupId { get; init; }
    public required string StorageKind { get; init; }
    public required string StorageKey { get; init; }
    public required string Location { get; init; }

    /// <summary>Ends in Failure instead of Success (its partition was told to fail its backups).</summary>
    public bool Fails { get; init; }

    /// <summary>Why it fails, as its progress says; null: its partition was told to fail.</summary>
    public string? FailureMessage { get; init; }

    protected override string InProgress => "BackupInProgress";

    public override string State(DateTimeOffset now) => base.State(now) is "Success" && Fails ? "Failure" : base.State(now);
}

public sealed class RestoreRecord
{
    public required string State { get; init; }
    public string? FailureMessage { get; init; }
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
        Storage = string.IsNullOrWhiteSpace(options.StorageDirectory) ? null : new SharedBackupStorage(options.StorageDirectory);
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
        var topology = Topology.Load(_options.TopologyFile).WithGenerated(_options.Partitions);
        lock (Gate)
        {
            Applications.Clear();
            Services.Clear();
            Partitions.Clear();
            _unsettled.Clear();
            Policies.Clear();
            CorruptBackups.Clear();
            StoragesUnreachable = false;
            foreach (var p in topology.Policies)
                Policies[p.Name] = new PolicyEntity { Name = p.Name, Description = p.ToDescription() };

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
                            Id = _options.NewCluster ? NewClusterId(p.Id) : p.Id, Service = svc, LowKey = p.LowKey, HighKey = p.HighKey, Name = p.Name,
                            PolicyName = p.BackupPolicyName, Suspended = p.Suspended,
                        };
                        if (p.LastRestore is { } r && !_options.NewCluster)
                        {
                            part.LastRestore = new RestoreRecord
                            {
                                State = r.State, DataLossNumber = r.DataLossNumber, ConfigurationNumber = r.ConfigurationNumber, Lsn = r.Lsn,
                                TimeStampUtc = r.TimeStampUtc is null ? null : DateTimeOffset.Parse(r.TimeStampUtc, System.Globalization.CultureInfo.InvariantCulture),
                            };
                        }
                        svc.Partitions.Add(part);
                        Partitions[part.Id] = part;
                        if (!_options.NewCluster) SeedBackups(part, p.BackupCount);
                    }
                }
            }
        }
    }

    /// <summary>Backups the topology says a partition already has: one chain, a day apart, deterministic ids.</summary>
    private void SeedBackups(PartitionEntity partition, int count)
    {
        var policy = partition.EffectivePolicy is { } name ? Policies.GetValueOrDefault(name) : null;
        if (count <= 0 || policy is null) return;
        var chain = DerivedGuid(partition.Id, 0);
        for (var i = 1; i <= count; i++)
        {
            var created = new DateTimeOffset(2026, 1, 10, 1, 0, 0, TimeSpan.Zero).AddDays(i - 1);
            Add(partition, new BackupRecord
            {
                BackupId = DerivedGuid(partition.Id, i), ChainId = chain, Owner = partition.Owner,
                ParentBackupId = i == 1 ? null : DerivedGuid(partition.Id, i - 1),
                BackupType = i == 1 ? "Full" : "Incremental", CreationTimeUtc = created,
                Location = LocationOf(partition, created), StorageKey = StorageKeyOf(policy.Storage),
                DataLossNumber = 131462452931584510, ConfigurationNumber = 8589934592, Lsn = 1000 * i,
            });
        }
    }

    /// <summary>--Emulator:NewCluster: a partition's id in the rebuilt cluster (its first eight hex digits changed).</summary>
    public static Guid NewClusterId(Guid id)
    {
        var bytes = id.ToByteArray();
        for (var i = 0; i < 4; i++) bytes[i] ^= 0xC5;
        return new Guid(bytes);
    }

    public static Guid DerivedGuid(Guid seed, int index)
    {
        var bytes = seed.ToByteArray();
        bytes[15] ^= (byte)(index + 1);
        bytes[14] ^= 0x5a;
        return new Guid(bytes);
    }

    public static string LocationOf(PartitionEntity partition, DateTimeOffset at) =>
        $"{partition.Service.Application.Id}\\{partition.Service.Id.Split('~').Last()}\\{partition.Id}\\{at.UtcDateTime:yyyy-MM-dd HH.mm.ss}.zip";

    /// <summary>Which store a storage description points at: its kind and container, share or location.</summary>
    public static string StorageKeyOf(System.Text.Json.Nodes.JsonObject storage)
    {
        string Field(string name) => storage.FirstOrDefault(p => p.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value?.ToString() ?? "";
        return string.Join("|", Field("StorageKind"), Field("ContainerName"), Field("Path"), Field("BlobServiceUri"), Field("StorageCredentialsSourceLocation")).ToUpperInvariant();
    }

    /// <summary>A finished backup in the partition's chain: Full when the chain is new, full or on another storage, else Incremental.</summary>
    private void Record(PartitionEntity partition, Guid backupId, DateTimeOffset at, string storageKey, string location)
    {
        var last = partition.Backups.LastOrDefault();
        var policy = partition.EffectivePolicy is { } name ? Policies.GetValueOrDefault(name) : null;
        var chainLength = last is null ? 0 : partition.Backups.Count(b => b.ChainId == last.ChainId);
        var full = last is null || last.StorageKey != storageKey || chainLength > (policy?.MaxIncrementalBackups ?? 0);
        Add(partition, new BackupRecord
        {
            BackupId = backupId, ChainId = full ? backupId : last!.ChainId, Owner = partition.Owner,
            ParentBackupId = full ? null : last!.BackupId,
            BackupType = full ? "Full" : "Incremental", CreationTimeUtc = at, Location = location,
            StorageKey = storageKey, DataLossNumber = 131462452931584510, ConfigurationNumber = 8589934592,
            Lsn = partition.LsnMinusOne ? -1 : Math.Max(0, last?.Lsn ?? 0) + 250,
        });
    }

    private void Add(PartitionEntity partition, BackupRecord record)
    {
        partition.Backups.Add(record);
        Watch(partition);
        Storage?.Write(record);
    }

    /// <summary>--Emulator:StorageDirectory: where backups are shared with other emulators; null without it.</summary>
    public SharedBackupStorage? Storage { get; }

    /// <summary>
    /// Every backup this emulator can read in a storage: its own, and with --Emulator:StorageDirectory those other
    /// emulators wrote there (its own copy wins when both have one).
    /// </summary>
    /// <summary>
    /// Basic retention, as RetentionManager.DeleteFilesForPartition applies it, on the emulator's clock (the real
    /// service runs it on a timer): nothing when the partition has no more backups than MinimumNumberOfBackups;
    /// otherwise, of the backups older than RetentionDuration, newest first, everything up to and including the first
    /// Full one is kept (so the oldest backup still inside the duration has its chain), and the older ones are deleted
    /// while more than MinimumNumberOfBackups remain.
    /// </summary>
    private void ApplyRetention(PartitionEntity partition, DateTimeOffset now)
    {
        if (partition.Backups.Count == 0) return;
        var policy = partition.EffectivePolicy is { } name ? Policies.GetValueOrDefault(name) : null;
        if (policy?.Description["RetentionPolicy"] is not System.Text.Json.Nodes.JsonObject retention) return;
        TimeSpan keep;
        try
        {
            keep = System.Xml.XmlConvert.ToTimeSpan(retention["RetentionDuration"]?.GetValue<string>() ?? "");
        }
        catch (FormatException)
        {
            return;
        }
        var minimum = retention["MinimumNumberOfBackups"] is System.Text.Json.Nodes.JsonValue m && m.TryGetValue<int>(out var n) ? n : 0;
        var count = partition.Backups.Count;
        if (count <= minimum) return;
        var fullFound = false;
        foreach (var backup in partition.Backups.Where(b => b.CreationTimeUtc < now - keep).OrderByDescending(b => b.CreationTimeUtc).ToList())
        {
            if (!fullFound)
            {
                fullFound = backup.BackupType == "Full";
                continue;
            }
            if (count <= minimum) break;
            partition.Backups.Remove(backup);
            Storage?.Delete(backup);
            count--;
        }
    }

    /// <summary>Backups whose file is unreadable (POST /$Emulator/Backups/{id}/Corrupt): a restore through them fails.</summary>
    public HashSet<Guid> CorruptBackups { get; } = [];

    /// <summary>Every storage refuses the cluster (POST /$Emulator/Storage with {"Unreachable":true}).</summary>
    public bool StoragesUnreachable { get; set; }

    /// <summary>Why a restore from <paramref name="record"/> will fail, or null: a corrupt member of its chain up to it, or an LSN of -1.</summary>
    public string? RestoreFailure(BackupRecord record)
    {
        if (record.Lsn == -1) return "The backup records an LSN of -1: it holds no restorable state.";
        var chain = BackupsInStorages().Where(b => b.ChainId == record.ChainId && b.CreationTimeUtc <= record.CreationTimeUtc);
        var corrupt = chain.FirstOrDefault(b => CorruptBackups.Contains(b.BackupId));
        return corrupt is null ? null : $"Backup {corrupt.BackupId} of the chain could not be read: the file is corrupt.";
    }

    /// <summary>
    /// Why the chain from <paramref name="record"/> back to its full backup cannot be listed from <paramref name="known"/>,
    /// or null: each incremental backup's parent must be there (a record without a parent link needs a full backup
    /// of its chain at or before it), as the service's GetBackupLocationsInBackupChainAsync reads them.
    /// </summary>
    public static string? ChainGap(BackupRecord record, IReadOnlyCollection<BackupRecord> known)
    {
        var byId = known.GroupBy(b => b.BackupId).ToDictionary(g => g.Key, g => g.First());
        var current = record;
        for (var hops = 0; current.BackupType != "Full"; hops++)
        {
            if (current.ParentBackupId is not { } parentId)
            {
                return known.Any(b => b.ChainId == record.ChainId && b.BackupType == "Full" && b.CreationTimeUtc <= record.CreationTimeUtc)
                    ? null
                    : $"the full backup of chain {record.ChainId} is not in the storage";
            }
            if (!byId.TryGetValue(parentId, out var parent) || hops > known.Count)
                return $"backup {parentId} (the parent of {current.BackupId}) is not in the storage";
            current = parent;
        }
        return null;
    }

    public IEnumerable<BackupRecord> BackupsInStorages()
    {
        var own = Partitions.Values.SelectMany(p => p.Backups).ToList();
        if (Storage is null) return own;
        var ids = own.Select(r => r.BackupId).ToHashSet();
        return own.Concat(Storage.ReadAll().Where(r => !ids.Contains(r.BackupId)));
    }

    /// <summary>At most this many scheduled backups are recorded for one partition in one step of the clock.</summary>
    private const int MaxScheduledPerSettle = 200;

    /// <summary>
    /// --Emulator:PeriodicBackups: every scheduled time of the partition's effective policy that has passed since the
    /// last look becomes a backup record, unless backup is suspended there (those times are skipped, not owed). A
    /// partition told to fail its backups records none; its backup progress shows the last attempt, failed. A
    /// partition's schedule starts when it is first seen with a policy.
    /// </summary>
    private void SettleSchedule(PartitionEntity partition, DateTimeOffset now)
    {
        var policy = partition.Service.IsStateful && partition.EffectivePolicy is { } name ? Policies.GetValueOrDefault(name) : null;
        if (policy is null)
        {
            partition.ScheduleStart = partition.ScheduledUpTo = null;
            return;
        }
        if (partition.ScheduledUpTo is not { } from || partition.ScheduleStart is not { } start)
        {
            partition.ScheduleStart = partition.ScheduledUpTo = now;
            return;
        }
        partition.ScheduledUpTo = now;
        if (partition.EffectivelySuspended) return;
        var storageKey = StorageKeyOf(policy.Storage);
        if (policy.StoppedByUpgrade)
        {
            // The documented runtime defect: nothing is scheduled, nothing fails, until the policy is updated.
            partition.ScheduledUpTo = now;
            return;
        }
        var masked = BackupHandlers.HasMaskedSecret(policy.Storage) || StoragesUnreachable;
        foreach (var at in BackupScheduleTimes.Between(policy.Description["Schedule"] as System.Text.Json.Nodes.JsonObject, start, from, now, MaxScheduledPerSettle))
        {
            if (!partition.FailsBackups && !masked)
            {
                Record(partition, Guid.NewGuid(), at, storageKey, LocationOf(partition, at));
                continue;
            }
            // A failing partition records no backup; its backup progress shows the failed attempt.
            partition.CurrentBackup = new BackupRun
            {
                BackupId = Guid.NewGuid(), StartedAt = at, AcceptedUntil = at, DoneAt = at, TimeoutAt = at + TimeSpan.FromMinutes(10),
                StorageKind = policy.StorageKind, StorageKey = storageKey, Location = LocationOf(partition, at), Fails = true,
                FailureMessage = masked ? (StoragesUnreachable ? BackupHandlers.UnreachableFailure : BackupHandlers.MaskedSecretFailure) : null,
            };
            partition.CurrentBackupRecorded = true;
            Watch(partition);
        }
    }

    /// <summary>Turns finished runs into state: a successful backup becomes a record, a successful restore the last restore.</summary>
    /// <summary>
    /// The partitions <see cref="Settle"/> has work for without periodic backups: backups to keep (retention, a file
    /// removed from the shared storage), a backup or a restore to finish. Settle ran through every partition on each
    /// request, half a millisecond of CPU a request at 10,000 partitions (bench/README.md); a partition joins here
    /// when it gets a backup or starts a run (<see cref="Watch"/>) and leaves once nothing is left to settle.
    /// </summary>
    private readonly HashSet<PartitionEntity> _unsettled = [];

    /// <summary>Under <see cref="Gate"/>: the partition has a backup, or a run that Settle must finish.</summary>
    public void Watch(PartitionEntity partition) => _unsettled.Add(partition);

    public void Settle()
    {
        var now = Now;
        // With periodic backups every partition with a policy may be due, so all are looked at.
        var partitions = _options.PeriodicBackups ? Partitions.Values.ToList() : _unsettled.ToList();
        foreach (var partition in partitions)
        {
            // The service lists what the backup store holds (it enumerates the store's metadata files): a backup
            // whose file was removed from the shared storage is gone for this cluster too.
            if (Storage is not null && partition.Backups.Count > 0) partition.Backups.RemoveAll(b => !Storage.Holds(b));
            if (partition.CurrentBackup is { } run && !run.IsRunning(now) && !partition.CurrentBackupRecorded)
            {
                partition.CurrentBackupRecorded = true;
                if (run.State(now) == "Success") Record(partition, run.BackupId, run.EndsAt, run.StorageKey, run.Location);
            }
            if (_options.PeriodicBackups) SettleSchedule(partition, now);
            ApplyRetention(partition, now);

            if (partition.CurrentRestore is { } restore && !restore.IsRunning(now))
            {
                partition.LastRestore = new RestoreRecord
                {
                    State = restore.State(now), TimeStampUtc = restore.EndsAt, FailureMessage = restore.FailureMessage,
                    DataLossNumber = restore.Source.DataLossNumber, ConfigurationNumber = restore.Source.ConfigurationNumber, Lsn = restore.Source.Lsn,
                };
                partition.CurrentRestore = null;
            }
            if (partition.Backups.Count == 0 && partition.CurrentRestore is null && (partition.CurrentBackup is null || partition.CurrentBackupRecorded))
                _unsettled.Remove(partition);
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

/// <summary>
/// One request as it arrived, for tests that check exactly what a client sent: its answer's status (0 when the
/// connection was reset instead), the fault served if any, and whether it changed the cluster (a state change
/// that was applied, whether or not its answer reached the client).
/// </summary>
public sealed record JournalEntry(string Method, string RawTarget, IReadOnlyDictionary<string, string> Headers, string Body, int Status,
    string? Fault = null, bool Applied = false);

public sealed class RequestJournal(EmulatorOptions options)
{
    private readonly LinkedList<JournalEntry> _entries = new();
    private int _inProgress;

    /// <summary>Requests that arrived and are not answered yet (waiting out the latency, or being applied).</summary>
    public int InProgress => Volatile.Read(ref _inProgress);

    public void Arrived() => Interlocked.Increment(ref _inProgress);
    public void Left() => Interlocked.Decrement(ref _inProgress);

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
