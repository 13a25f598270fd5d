using System;
using SfBackup.Client.Input;
using SfBackup.Client.Transport;

namespace SfBackup.Client.Operations
{
    /// <summary>An application, service or partition that backup applies to, with its REST path.</summary>
    public sealed class SfEntity
    {
        private SfEntity(SfEntityKind kind, string? name, Guid partitionId)
        {
            Kind = kind;
            Name = name;
            PartitionId = partitionId;
        }

        public SfEntityKind Kind { get; }

        /// <summary>fabric:/… name of an application or service; null for a partition.</summary>
        public string? Name { get; }

        public Guid PartitionId { get; }

        public static SfEntity Application(string name) => new SfEntity(SfEntityKind.Application, EntityIds.ToFabricName(name), Guid.Empty);
        public static SfEntity Service(string name) => new SfEntity(SfEntityKind.Service, EntityIds.ToFabricName(name), Guid.Empty);

        public static SfEntity Partition(Guid partitionId) =>
            partitionId == Guid.Empty
                ? throw new ArgumentException("The partition id must not be empty.", nameof(partitionId))
                : new SfEntity(SfEntityKind.Partition, null, partitionId);

        /// <summary>What an ErrorRecord names as its target: the partition Guid or the fabric:/ name.</summary>
        public object Target => Kind == SfEntityKind.Partition ? PartitionId : (object)Name!;

        /// <summary>/Applications/app~x, /Services/app~svc or /Partitions/{guid}.</summary>
        public string Path =>
            Kind == SfEntityKind.Partition
                ? "/Partitions/" + PartitionId.ToString("D")
                : (Kind == SfEntityKind.Application ? "/Applications/" : "/Services/") + Uri.EscapeDataString(EntityIds.ToEntityId(Name!));

        /// <summary>The BackupEntity form (the filter of Get Backups From Backup Location).</summary>
        public Models.BackupEntity ToBackupEntity() => new Models.BackupEntity
        {
            EntityKind = Kind == SfEntityKind.Application ? Models.BackupEntityKind.Application
                : Kind == SfEntityKind.Service ? Models.BackupEntityKind.Service
                : Models.BackupEntityKind.Partition,
            ApplicationName = Kind == SfEntityKind.Application ? Name : null,
            ServiceName = Kind == SfEntityKind.Service ? Name : null,
            PartitionId = Kind == SfEntityKind.Partition ? PartitionId : (Guid?)null,
        };

        public override string ToString() => Kind == SfEntityKind.Partition ? $"Partition {PartitionId:D}" : $"{Kind} {Name}";
    }
}
