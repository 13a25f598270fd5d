namespace SfBackup.Emulator;

/// <summary>Settings from the "Emulator" configuration section (e.g. --Emulator:BackupSeconds=5).</summary>
public sealed class EmulatorOptions
{
    /// <summary>The runtime version: the highest api-version accepted.</summary>
    public string RuntimeVersion { get; set; } = "10.1";

    /// <summary>How long a backup stays Accepted, then how long it runs, before it succeeds.</summary>
    public double AcceptedSeconds { get; set; } = 0.5;
    public double BackupSeconds { get; set; } = 2;

    /// <summary>A JSON topology file; empty means the default demo topology.</summary>
    public string? TopologyFile { get; set; }

    /// <summary>Items per page when a paged call gives no MaxResults: small, so clients page for real.</summary>
    public int PageSize { get; set; } = 2;

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

    /// <summary>How many requests the journal keeps (newest last).</summary>
    public int JournalSize { get; set; } = 1000;
}
