using System;
using SfBackup.Client.Operations;
using SfBackup.Client.Transport;

namespace SfBackup.Client.Models
{
    /// <summary>
    /// What -PassThru emits after an accepted state change: the entity (so it pipes on by property name), the
    /// operation, and the request id the cluster logged it under.
    /// </summary>
    public sealed class SfActionResult
    {
        public SfActionResult(string operation, SfEntity entity, string requestId, DateTime acceptedAtUtc)
        {
            Operation = operation;
            EntityKind = entity.Kind;
            ApplicationName = entity.Kind == SfEntityKind.Application ? entity.Name : null;
            ServiceName = entity.Kind == SfEntityKind.Service ? entity.Name : null;
            PartitionId = entity.Kind == SfEntityKind.Partition ? entity.PartitionId : (Guid?)null;
            RequestId = requestId;
            AcceptedAtUtc = acceptedAtUtc;
        }

        public string Operation { get; }
        public SfEntityKind EntityKind { get; }
        public string? ApplicationName { get; }
        public string? ServiceName { get; }
        public Guid? PartitionId { get; }
        public string RequestId { get; }
        public DateTime AcceptedAtUtc { get; }

        public override string ToString() => $"{Operation} {(object?)PartitionId ?? ServiceName ?? ApplicationName}";
    }
}
