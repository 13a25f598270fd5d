using System;

namespace SfBackup.Client.Models
{
    /// <summary>
    /// What -PassThru emits after an accepted state change: the entity (so it pipes on by property name), the
    /// operation, and the request id the cluster logged it under.
    /// </summary>
    public sealed class SfActionResult
    {
        public SfActionResult(string operation, Guid? partitionId, string? serviceName, string requestId, DateTime acceptedAtUtc)
        {
            Operation = operation;
            PartitionId = partitionId;
            ServiceName = serviceName;
            RequestId = requestId;
            AcceptedAtUtc = acceptedAtUtc;
        }

        public string Operation { get; }
        public Guid? PartitionId { get; }
        public string? ServiceName { get; }
        public string RequestId { get; }
        public DateTime AcceptedAtUtc { get; }

        public override string ToString() => $"{Operation} {(PartitionId?.ToString() ?? ServiceName)}";
    }
}
