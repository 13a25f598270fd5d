namespace SfBackup.Tests.Infrastructure;

/// <summary>Partitions of the emulator's default topology that tests name (see Topology.Default).</summary>
public static class KnownIds
{
    /// <summary>CalcService's first partition: backed up by DailyAzureBackupPolicy (from the application), suspended at partition level, three backups.</summary>
    public const string Seed = "1daae3f5-7fd6-42e9-b1ba-8c05f873994d";

    /// <summary>No such partition.</summary>
    public const string Unknown = "99999999-9999-4999-8999-999999999999";

    /// <summary>fabric:/Inventory/Stock's four partitions, no backup enabled.</summary>
    public static readonly string[] Stock = [.. Enumerable.Range(1, 4).Select(i => $"a1b2c3d4-000{i}-4000-8000-00000000000{i}")];
}
