using System.Collections.Generic;
using System.Net.Http;

namespace SfBackup.Client.Transport
{
    /// <summary>
    /// One REST operation of the Backup Restore Service: its name, method, path template and the api-version its
    /// reference document gives. This catalog is the one place api-versions live; a connection may override them.
    /// </summary>
    public sealed class SfOperation
    {
        private SfOperation(string name, HttpMethod method, string pathTemplate, string apiVersion)
        {
            Name = name;
            Method = method;
            PathTemplate = pathTemplate;
            DocumentedApiVersion = apiVersion;
        }

        public string Name { get; }
        public HttpMethod Method { get; }
        public string PathTemplate { get; }
        public string DocumentedApiVersion { get; }

        public override string ToString() => $"{Name} ({Method} {PathTemplate}, api-version {DocumentedApiVersion})";

        // Seed documents: 6.2-preview for the first four, 6.4 for Backup Partition (v82 document).
        public static readonly SfOperation ResumePartitionBackup =
            new SfOperation(nameof(ResumePartitionBackup), HttpMethod.Post, "/Partitions/{partitionId}/$/ResumeBackup", "6.2-preview");
        public static readonly SfOperation ResumeServiceBackup =
            new SfOperation(nameof(ResumeServiceBackup), HttpMethod.Post, "/Services/{serviceId}/$/ResumeBackup", "6.2-preview");
        public static readonly SfOperation EnablePartitionBackup =
            new SfOperation(nameof(EnablePartitionBackup), HttpMethod.Post, "/Partitions/{partitionId}/$/EnableBackup", "6.2-preview");
        public static readonly SfOperation BackupPartition =
            new SfOperation(nameof(BackupPartition), HttpMethod.Post, "/Partitions/{partitionId}/$/Backup", "6.4");
        public static readonly SfOperation GetPartitionRestoreProgress =
            new SfOperation(nameof(GetPartitionRestoreProgress), HttpMethod.Get, "/Partitions/{partitionId}/$/GetRestoreProgress", "6.2-preview");

        public static IReadOnlyList<SfOperation> All { get; } = new[]
        {
            ResumePartitionBackup, ResumeServiceBackup, EnablePartitionBackup, BackupPartition, GetPartitionRestoreProgress,
        };
    }
}
