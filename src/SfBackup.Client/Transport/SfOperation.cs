using System.Collections.Generic;
using System.Linq;
using System.Net.Http;

namespace SfBackup.Client.Transport
{
    /// <summary>The three levels backup applies at.</summary>
    public enum SfEntityKind : long
    {
        Application,
        Service,
        Partition,
    }

    /// <summary>
    /// One REST operation of the Backup Restore Service: its name, method, path template and the api-version its
    /// reference document gives. This catalog is the one place api-versions live; a connection may raise them.
    /// </summary>
    public sealed class SfOperation
    {
        private SfOperation(string name, HttpMethod method, string pathTemplate, string apiVersion, bool paged = false)
        {
            Name = name;
            Method = method;
            PathTemplate = pathTemplate;
            DocumentedApiVersion = apiVersion;
            IsPaged = paged;
        }

        public string Name { get; }
        public HttpMethod Method { get; }
        public string PathTemplate { get; }
        public string DocumentedApiVersion { get; }

        /// <summary>Takes ContinuationToken and MaxResults and answers {ContinuationToken, Items}.</summary>
        public bool IsPaged { get; }

        public override string ToString() => $"{Name} ({Method} {PathTemplate}, api-version {DocumentedApiVersion})";

        private static readonly HttpMethod Post = HttpMethod.Post;
        private static readonly HttpMethod Get = HttpMethod.Get;
        private const string Policies = "/BackupRestore/BackupPolicies";

        // ---- the seed documents: 6.2-preview for the first four, 6.4 for Backup Partition ----
        public static readonly SfOperation ResumePartitionBackup = new SfOperation(nameof(ResumePartitionBackup), Post, "/Partitions/{partitionId}/$/ResumeBackup", "6.2-preview");
        public static readonly SfOperation ResumeServiceBackup = new SfOperation(nameof(ResumeServiceBackup), Post, "/Services/{serviceId}/$/ResumeBackup", "6.2-preview");
        public static readonly SfOperation EnablePartitionBackup = new SfOperation(nameof(EnablePartitionBackup), Post, "/Partitions/{partitionId}/$/EnableBackup", "6.2-preview");
        public static readonly SfOperation BackupPartition = new SfOperation(nameof(BackupPartition), Post, "/Partitions/{partitionId}/$/Backup", "6.4");
        public static readonly SfOperation GetPartitionRestoreProgress = new SfOperation(nameof(GetPartitionRestoreProgress), Get, "/Partitions/{partitionId}/$/GetRestoreProgress", "6.2-preview");

        // ---- policies ----
        public static readonly SfOperation CreateBackupPolicy = new SfOperation(nameof(CreateBackupPolicy), Post, Policies + "/$/Create", "6.4");
        public static readonly SfOperation DeleteBackupPolicy = new SfOperation(nameof(DeleteBackupPolicy), Post, Policies + "/{policyName}/$/Delete", "6.4");
        public static readonly SfOperation GetBackupPolicyList = new SfOperation(nameof(GetBackupPolicyList), Get, Policies, "6.4", paged: true);
        public static readonly SfOperation GetBackupPolicyByName = new SfOperation(nameof(GetBackupPolicyByName), Get, Policies + "/{policyName}", "6.4");
        public static readonly SfOperation UpdateBackupPolicy = new SfOperation(nameof(UpdateBackupPolicy), Post, Policies + "/{policyName}/$/Update", "6.4");
        public static readonly SfOperation GetAllEntitiesBackedUpByPolicy = new SfOperation(nameof(GetAllEntitiesBackedUpByPolicy), Get, Policies + "/{policyName}/$/GetBackupEnabledEntities", "6.4", paged: true);

        // ---- application, service and partition: the same six (partition configuration is a single object) ----
        public static readonly SfOperation EnableApplicationBackup = Entity("Enable", SfEntityKind.Application, Post, "EnableBackup");
        public static readonly SfOperation DisableApplicationBackup = Entity("Disable", SfEntityKind.Application, Post, "DisableBackup");
        public static readonly SfOperation SuspendApplicationBackup = Entity("Suspend", SfEntityKind.Application, Post, "SuspendBackup");
        public static readonly SfOperation ResumeApplicationBackup = Entity("Resume", SfEntityKind.Application, Post, "ResumeBackup");
        public static readonly SfOperation GetApplicationBackupConfigurationInfo = new SfOperation(nameof(GetApplicationBackupConfigurationInfo), Get, "/Applications/{applicationId}/$/GetBackupConfigurationInfo", "6.4", paged: true);
        public static readonly SfOperation GetApplicationBackupList = new SfOperation(nameof(GetApplicationBackupList), Get, "/Applications/{applicationId}/$/GetBackups", "6.4", paged: true);

        public static readonly SfOperation EnableServiceBackup = Entity("Enable", SfEntityKind.Service, Post, "EnableBackup");
        public static readonly SfOperation DisableServiceBackup = Entity("Disable", SfEntityKind.Service, Post, "DisableBackup");
        public static readonly SfOperation SuspendServiceBackup = Entity("Suspend", SfEntityKind.Service, Post, "SuspendBackup");
        public static readonly SfOperation GetServiceBackupConfigurationInfo = new SfOperation(nameof(GetServiceBackupConfigurationInfo), Get, "/Services/{serviceId}/$/GetBackupConfigurationInfo", "6.4", paged: true);
        public static readonly SfOperation GetServiceBackupList = new SfOperation(nameof(GetServiceBackupList), Get, "/Services/{serviceId}/$/GetBackups", "6.4", paged: true);

        public static readonly SfOperation DisablePartitionBackup = Entity("Disable", SfEntityKind.Partition, Post, "DisableBackup");
        public static readonly SfOperation SuspendPartitionBackup = Entity("Suspend", SfEntityKind.Partition, Post, "SuspendBackup");
        public static readonly SfOperation GetPartitionBackupConfigurationInfo = new SfOperation(nameof(GetPartitionBackupConfigurationInfo), Get, "/Partitions/{partitionId}/$/GetBackupConfigurationInfo", "6.4");
        public static readonly SfOperation GetPartitionBackupList = new SfOperation(nameof(GetPartitionBackupList), Get, "/Partitions/{partitionId}/$/GetBackups", "6.4", paged: true);
        public static readonly SfOperation GetPartitionBackupProgress = new SfOperation(nameof(GetPartitionBackupProgress), Get, "/Partitions/{partitionId}/$/GetBackupProgress", "6.4");
        public static readonly SfOperation RestorePartition = new SfOperation(nameof(RestorePartition), Post, "/Partitions/{partitionId}/$/Restore", "6.4");
        public static readonly SfOperation SkipAutoRestore = new SfOperation(nameof(SkipAutoRestore), Post, "/Partitions/{partitionId}/$/SkipAutoRestore", "9.1");

        // ---- storage ----
        public static readonly SfOperation GetBackupsFromBackupLocation = new SfOperation(nameof(GetBackupsFromBackupLocation), Post, "/BackupRestore/$/GetBackups", "6.4", paged: true);

        // ---- discovery (cluster queries, not BRS; they feed the pipeline) ----
        public static readonly SfOperation GetApplicationInfoList = new SfOperation(nameof(GetApplicationInfoList), Get, "/Applications", "6.1", paged: true);
        public static readonly SfOperation GetServiceInfoList = new SfOperation(nameof(GetServiceInfoList), Get, "/Applications/{applicationId}/$/GetServices", "6.0", paged: true);
        public static readonly SfOperation GetPartitionInfoList = new SfOperation(nameof(GetPartitionInfoList), Get, "/Services/{serviceId}/$/GetPartitions", "6.0", paged: true);
        public static readonly SfOperation GetServiceNameInfo = new SfOperation(nameof(GetServiceNameInfo), Get, "/Partitions/{partitionId}/$/GetServiceName", "6.0");

        // ---- health (a cluster query, not BRS: Get-SfBackupHealth -ReportHealth) ----
        /// <summary>Connect-SfCluster -Verify: the one read that every Service Fabric gateway answers the same way.</summary>
        public static readonly SfOperation GetClusterVersion = new SfOperation(nameof(GetClusterVersion), Get, "/$/GetClusterVersion", "6.4");

        public static readonly SfOperation ReportPartitionHealth = new SfOperation(nameof(ReportPartitionHealth), Post, "/Partitions/{partitionId}/$/ReportHealth", "6.0");
        public static readonly SfOperation GetPartitionHealth = new SfOperation(nameof(GetPartitionHealth), Get, "/Partitions/{partitionId}/$/GetHealth", "6.0");

        private static SfOperation Entity(string verb, SfEntityKind kind, HttpMethod method, string action)
        {
            var collection = kind == SfEntityKind.Application ? "/Applications/{applicationId}"
                : kind == SfEntityKind.Service ? "/Services/{serviceId}"
                : "/Partitions/{partitionId}";
            return new SfOperation(verb + kind + "Backup", method, collection + "/$/" + action, "6.4");
        }

        public static IReadOnlyList<SfOperation> All { get; } = typeof(SfOperation)
            .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(f => f.FieldType == typeof(SfOperation))
            .Select(f => (SfOperation)f.GetValue(null)!)
            .ToArray();

        private static readonly Dictionary<(string, SfEntityKind), SfOperation> ByVerb = new Dictionary<(string, SfEntityKind), SfOperation>
        {
            [("Enable", SfEntityKind.Application)] = EnableApplicationBackup,
            [("Enable", SfEntityKind.Service)] = EnableServiceBackup,
            [("Enable", SfEntityKind.Partition)] = EnablePartitionBackup,
            [("Disable", SfEntityKind.Application)] = DisableApplicationBackup,
            [("Disable", SfEntityKind.Service)] = DisableServiceBackup,
            [("Disable", SfEntityKind.Partition)] = DisablePartitionBackup,
            [("Suspend", SfEntityKind.Application)] = SuspendApplicationBackup,
            [("Suspend", SfEntityKind.Service)] = SuspendServiceBackup,
            [("Suspend", SfEntityKind.Partition)] = SuspendPartitionBackup,
            [("Resume", SfEntityKind.Application)] = ResumeApplicationBackup,
            [("Resume", SfEntityKind.Service)] = ResumeServiceBackup,
            [("Resume", SfEntityKind.Partition)] = ResumePartitionBackup,
            [("GetBackupConfigurationInfo", SfEntityKind.Application)] = GetApplicationBackupConfigurationInfo,
            [("GetBackupConfigurationInfo", SfEntityKind.Service)] = GetServiceBackupConfigurationInfo,
            [("GetBackupConfigurationInfo", SfEntityKind.Partition)] = GetPartitionBackupConfigurationInfo,
            [("GetBackups", SfEntityKind.Application)] = GetApplicationBackupList,
            [("GetBackups", SfEntityKind.Service)] = GetServiceBackupList,
            [("GetBackups", SfEntityKind.Partition)] = GetPartitionBackupList,
        };

        /// <summary>The operation for an action (Enable, Disable, Suspend, Resume, GetBackupConfigurationInfo, GetBackups) at one level.</summary>
        public static SfOperation For(string action, SfEntityKind kind) => ByVerb[(action, kind)];
    }
}
