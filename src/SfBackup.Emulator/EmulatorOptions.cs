namespace SfBackup.Emulator;

/// <summary>Settings from the "Emulator" configuration section (e.g. --Emulator:BackupSeconds=5).</summary>
public sealed class EmulatorOptions
{
    /// <summary>The runtime version: the highest api-version accepted.</summary>
    public string RuntimeVersion { get; set; } = "10.1";

    /// <summary>
    /// Names this emulator process (GET /$Emulator/Instance), so that a script that started one can tell it from
    /// another process already listening on the port before it resets anything. Default: a new GUID each start.
    /// </summary>
    public string InstanceId { get; set; } = Guid.NewGuid().ToString();

    /// <summary>How long a backup stays Accepted, then how long it runs, before it succeeds.</summary>
    public double AcceptedSeconds { get; set; } = 0.5;
    public double BackupSeconds { get; set; } = 2;

    /// <summary>A JSON topology file; empty means the default demo topology.</summary>
    public string? TopologyFile { get; set; }

    /// <summary>
    /// Items per page when a paged call gives no MaxResults. 0 (the default) is the real service's rule: the whole
    /// list, no continuation token. The tests set 2, so that every client pages for real.
    /// </summary>
    public int PageSize { get; set; }

    /// <summary>How long a restore stays Accepted, then how long it runs.</summary>
    public double RestoreSeconds { get; set; } = 2;

    /// <summary>False: the cluster has no Fault Analysis Service, and restores fail as such clusters fail them.</summary>
    public bool FaultAnalysisService { get; set; } = true;

    /// <summary>
    /// Latency added to every BRS request before it is applied: a fixed part plus a random part up to the jitter. A
    /// client that gives up meanwhile leaves nothing applied and nothing in the journal. Read per request, so a
    /// test may change it while the emulator runs.
    /// </summary>
    public int LatencyMs { get; set; }
    public int LatencyJitterMs { get; set; }

    /// <summary>Injected faults (--Emulator:Faults:Transient=0.05 and so on); POST /$Emulator/Faults changes them.</summary>
    public EmulatorFaults Faults { get; set; } = new();

    /// <summary>
    /// Stateful partitions to generate on top of the default topology, for load and chaos tests: applications
    /// fabric:/Load001…, 5 services each, 10 partitions a service (ids 00000000-0000-4000-8000-{n:D12}).
    /// </summary>
    public int Partitions { get; set; }

    /// <summary>
    /// Backups also happen on each effective policy's schedule, on the emulator's clock (move it with POST
    /// /$Emulator/Clock). Off by default, so that what a test counts does not depend on the time of day.
    /// </summary>
    public bool PeriodicBackups { get; set; }

    /// <summary>
    /// A folder that stands for the backup storages: every backup this emulator records is also written there, and
    /// the storage listing (POST /BackupRestore/$/GetBackups) and Restore also find the backups other emulators
    /// wrote there. Two emulators given the same folder are two clusters backing up to the same storage account.
    /// </summary>
    public string? StorageDirectory { get; set; }

    /// <summary>
    /// The same applications and services as the topology, as a cluster rebuilt after a disaster has them: every
    /// partition id is new (derived from the topology's, so it is the same from run to run), and no partition has
    /// backups or a restore of its own yet.
    /// </summary>
    public bool NewCluster { get; set; }

    /// <summary>How many requests the journal keeps (newest last).</summary>
    public int JournalSize { get; set; } = 1000;
}

/// <summary>
/// Fractions of BRS requests (0..1, each drawn once per request, in this order) answered with a fault instead of
/// normally. Transient, Html502 and ResetBeforeApply leave the cluster unchanged; ResetAfterApply and Truncated
/// apply the request, then lose the answer.
/// </summary>
public sealed class EmulatorFaults
{
    /// <summary>503 FABRIC_E_NOT_READY, FABRIC_E_RECONFIGURATION_PENDING or FABRIC_E_NO_WRITE_QUORUM, or 504 FABRIC_E_TIMEOUT.</summary>
    public double Transient { get; set; }

    /// <summary>A proxy's HTML 502 page.</summary>
    public double Html502 { get; set; }

    /// <summary>The connection is reset after the request was read, before it is applied.</summary>
    public double ResetBeforeApply { get; set; }

    /// <summary>The request is applied, then the connection is reset without an answer.</summary>
    public double ResetAfterApply { get; set; }

    /// <summary>An answer with a body is cut off halfway (the request was applied).</summary>
    public double Truncated { get; set; }

    /// <summary>Set: the draws repeat from run to run.</summary>
    public int? Seed { get; set; }

    /// <summary>Through the control endpoint only: the faults the next requests get, in order ("None" for a normal answer).</summary>
    public List<string>? Next { get; set; }

    /// <summary>Through the control endpoint only: when given, replace --Emulator:LatencyMs and LatencyJitterMs.</summary>
    public int? LatencyMs { get; set; }
    public int? LatencyJitterMs { get; set; }

    public IEnumerable<(string Name, double Fraction)> Fractions =>
    [
        (nameof(Transient), Transient), (nameof(Html502), Html502), (nameof(ResetBeforeApply), ResetBeforeApply),
        (nameof(ResetAfterApply), ResetAfterApply), (nameof(Truncated), Truncated),
    ];
}
