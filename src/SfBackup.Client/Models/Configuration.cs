using System;

namespace SfBackup.Client.Models
{
    /// <summary>
    /// An entity of a backup configuration file: an application or a service by name, a partition by its service's
    /// name and its key (Singleton, an Int64 range or a name), so that the same file fits any cluster with that
    /// topology, whatever its partition ids.
    /// </summary>
    public sealed class SfConfigEntity : IEquatable<SfConfigEntity>, IComparable<SfConfigEntity>
    {
        public SfConfigEntity(BackupEntityKind kind, string name, string? partitionKey = null)
        {
            if (kind != BackupEntityKind.Application && kind != BackupEntityKind.Service && kind != BackupEntityKind.Partition)
                throw new ArgumentException($"A configuration entity is an Application, a Service or a Partition, not {kind}.", nameof(kind));
            if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A configuration entity needs a name.", nameof(name));
            if (kind == BackupEntityKind.Partition && string.IsNullOrWhiteSpace(partitionKey))
                throw new ArgumentException($"Partition of {name}: a partition needs its key (Singleton, Int64Range|low|high or Named|name).", nameof(partitionKey));
            Kind = kind;
            Name = name;
            PartitionKey = kind == BackupEntityKind.Partition ? partitionKey : null;
        }

        public BackupEntityKind Kind { get; }

        /// <summary>The application's name, or the service's (also for a partition).</summary>
        public string Name { get; }

        /// <summary>For a partition: Singleton, Int64Range|low|high or Named|name.</summary>
        public string? PartitionKey { get; }

        /// <summary>For a partition read from a cluster: its id there (not written to a file, not compared).</summary>
        public Guid? PartitionId { get; set; }

        public bool Equals(SfConfigEntity? other) =>
            other != null && Kind == other.Kind && string.Equals(Name, other.Name, StringComparison.Ordinal) && string.Equals(PartitionKey, other.PartitionKey, StringComparison.Ordinal);

        public override bool Equals(object? obj) => Equals(obj as SfConfigEntity);

        public override int GetHashCode() => (Kind, Name, PartitionKey ?? "").GetHashCode();

        /// <summary>Applications, then services, then partitions; by name within each.</summary>
        public int CompareTo(SfConfigEntity? other)
        {
            if (other == null) return 1;
            var byKind = Rank(Kind).CompareTo(Rank(other.Kind));
            if (byKind != 0) return byKind;
            var byName = string.CompareOrdinal(Name, other.Name);
            return byName != 0 ? byName : string.CompareOrdinal(PartitionKey, other.PartitionKey);
        }

        private static int Rank(BackupEntityKind kind) => kind == BackupEntityKind.Application ? 0 : kind == BackupEntityKind.Service ? 1 : 2;

        public override string ToString() => Kind == BackupEntityKind.Partition ? $"Partition {PartitionKey} of {Name}" : $"{Kind} {Name}";
    }

    /// <summary>Which part of a backup configuration a difference is in.</summary>
    public enum SfConfigSection : long
    {
        Policy,
        Mapping,
        Suspension,
    }

    /// <summary>How the cluster differs from the file.</summary>
    public enum SfConfigChange : long
    {
        /// <summary>In the file, not in the cluster.</summary>
        Missing,

        /// <summary>In the cluster, not in the file.</summary>
        Extra,

        /// <summary>In both, with another value in the cluster.</summary>
        Changed,
    }

    /// <summary>One difference between a configuration file and a cluster (Compare-SfBackupConfiguration).</summary>
    public sealed class SfConfigDifference
    {
        public SfConfigDifference(SfConfigSection section, SfConfigChange change, string target, string? property = null, string? clusterValue = null, string? fileValue = null)
        {
            Section = section;
            Change = change;
            Target = target;
            Property = property;
            ClusterValue = clusterValue;
            FileValue = fileValue;
        }

        public SfConfigSection Section { get; }
        public SfConfigChange Change { get; }

        /// <summary>The policy's name, or the entity (Application fabric:/App, Partition Int64Range|0|99 of fabric:/App/Svc).</summary>
        public string Target { get; }

        /// <summary>For a changed policy: the field, as a path (Schedule.Interval); for a changed mapping: Policy.</summary>
        public string? Property { get; }

        /// <summary>What the cluster has (null when Missing) and what the file says (null when Extra). Secrets are never shown.</summary>
        public string? ClusterValue { get; }
        public string? FileValue { get; }

        /// <summary>For mappings and suspensions: the entity itself.</summary>
        public SfConfigEntity? Entity { get; set; }

        public override string ToString() =>
            $"{Section} {Target}: {Change}" + (Property == null ? "" : $" {Property}") + (Change == SfConfigChange.Changed ? $" ({ClusterValue} -> {FileValue})" : "");
    }

    /// <summary>What Sync-SfBackupConfiguration does to make the cluster match, in order.</summary>
    public enum SfConfigAction : long
    {
        CreatePolicy,
        UpdatePolicy,
        EnableBackup,
        SuspendBackup,
        ResumeBackup,
        DisableBackup,
        DeletePolicy,
    }

    /// <summary>One step of a sync: its action, its target, why, and (after it ran) whether it was applied.</summary>
    public sealed class SfConfigStep
    {
        public SfConfigStep(SfConfigAction action, string target, string reason)
        {
            Action = action;
            Target = target;
            Reason = reason;
        }

        public SfConfigAction Action { get; }

        /// <summary>The policy's name, or the entity's description.</summary>
        public string Target { get; }

        /// <summary>For EnableBackup: the policy.</summary>
        public string? PolicyName { get; set; }

        public SfConfigEntity? Entity { get; set; }

        public string Reason { get; }

        /// <summary>-Prune steps (removing what the file does not have) are High impact.</summary>
        public bool IsRemoval => Action == SfConfigAction.ResumeBackup || Action == SfConfigAction.DisableBackup || Action == SfConfigAction.DeletePolicy;

        /// <summary>Planned, Applied, Failed or Skipped.</summary>
        public string Result { get; set; } = "Planned";

        public string? Error { get; set; }

        public override string ToString() => $"{Action} {Target}" + (PolicyName == null ? "" : $" ({PolicyName})") + $": {Result}";
    }
}
