using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SfBackup.Client.Models;

namespace SfBackup.Client.Operations
{
    /// <summary>
    /// Plans a point-in-time restore of one service: each stateful target partition is matched with the source
    /// partition of the same kind and key range (Int64Range: the same LowKey and HighKey; Named: the same name;
    /// Singleton: Singleton), and given the latest backup of that key range taken at or before the point in time
    /// whose chain back to its full backup is complete. Pure: it reads nothing, so every rule is testable alone.
    /// </summary>
    /// <remarks>
    /// A chain counts as complete when the listing holds the chain's full backup (same BackupChainId, BackupType
    /// Full, not later than the chosen backup) and no backup of the chain up to the chosen one reports a
    /// FailureError. When several source partitions share a key range (a service that was deleted and created
    /// again, or two clusters writing to one storage), the latest usable backup among them is taken.
    /// </remarks>
    public static class SfRestorePlanner
    {
        /// <summary>
        /// The plan: one step per target partition, then one step (without a target) per source key range that no
        /// target partition has. <paramref name="sourceScheme"/> is the source service's partitions when it is in
        /// the cluster; null when the source is a storage, whose scheme is then what its backups show.
        /// </summary>
        public static IReadOnlyList<SfRestoreStep> Plan(string targetServiceName, IEnumerable<SfPartition> targetPartitions, string sourceServiceName,
            IEnumerable<PartitionInformation>? sourceScheme, IEnumerable<BackupInfo> sourceBackups, DateTime pointInTimeUtc)
        {
            var backups = sourceBackups.Where(b => b.PartitionInformation != null && b.CreationTimeUtc.HasValue).ToList();
            var sourceKeys = new HashSet<string>((sourceScheme ?? backups.Select(b => b.PartitionInformation!)).Select(KeyOf), StringComparer.Ordinal);
            var byKey = backups.GroupBy(b => KeyOf(b.PartitionInformation!), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
            var steps = new List<SfRestoreStep>();
            var targetKeys = new HashSet<string>(StringComparer.Ordinal);

            foreach (var partition in targetPartitions.Where(p => p.IsStateful && p.PartitionInformation != null))
            {
                var info = partition.PartitionInformation!;
                var key = KeyOf(info);
                targetKeys.Add(key);
                var step = NewStep(targetServiceName, sourceServiceName, info, pointInTimeUtc);
                step.TargetPartitionId = info.Id;
                if (sourceScheme == null && backups.Count == 0)
                {
                    step.Problem = $"the storage holds no backup of {sourceServiceName} at or before {Format(pointInTimeUtc)}";
                    step.Result = SfRestoreStepResult.Skipped;
                }
                else if (!sourceKeys.Contains(key))
                {
                    step.Problem = $"{sourceServiceName} has no partition with this key range";
                    step.Result = SfRestoreStepResult.Skipped;
                }
                else
                {
                    Choose(step, byKey.TryGetValue(key, out var candidates) ? candidates : new List<BackupInfo>(), backups, pointInTimeUtc);
                }
                steps.Add(step);
            }

            // Source ranges with no target partition: the schemes differ, even when every target partition matched.
            foreach (var info in (sourceScheme ?? backups.Select(b => b.PartitionInformation!)).GroupBy(KeyOf).Select(g => g.First()))
            {
                if (targetKeys.Contains(KeyOf(info))) continue;
                var step = NewStep(targetServiceName, sourceServiceName, info, pointInTimeUtc);
                step.SourcePartitionId = info.Id;
                step.Problem = $"{targetServiceName} has no partition with this key range";
                step.Result = SfRestoreStepResult.Skipped;
                steps.Add(step);
            }
            return steps;
        }

        /// <summary>Partition kind and keys as one comparable text.</summary>
        public static string KeyOf(PartitionInformation info)
        {
            var kind = KindOf(info);
            switch (kind)
            {
                case "Int64Range":
                    return FormattableString.Invariant($"Int64Range|{info.LowKey}|{info.HighKey}");
                case "Named":
                    return "Named|" + info.Name;
                default:
                    return kind;
            }
        }

        private static string KindOf(PartitionInformation info)
        {
            var kind = info.ServicePartitionKind ?? "";
            if (kind.Equals("Int64Range", StringComparison.OrdinalIgnoreCase) || (kind.Length == 0 && (info.LowKey.HasValue || info.HighKey.HasValue))) return "Int64Range";
            if (kind.Equals("Named", StringComparison.OrdinalIgnoreCase) || (kind.Length == 0 && info.Name != null)) return "Named";
            if (kind.Equals("Singleton", StringComparison.OrdinalIgnoreCase) || kind.Length == 0) return "Singleton";
            return kind;
        }

        private static SfRestoreStep NewStep(string target, string source, PartitionInformation info, DateTime pointInTimeUtc) => new SfRestoreStep
        {
            TargetServiceName = target,
            SourceServiceName = source,
            PartitionKind = KindOf(info),
            KeyRange = info.KeyRange,
            PointInTimeUtc = pointInTimeUtc,
        };

        /// <summary>The latest backup at or before the point in time whose chain is complete, newest first.</summary>
        private static void Choose(SfRestoreStep step, List<BackupInfo> candidates, List<BackupInfo> all, DateTime pointInTimeUtc)
        {
            var eligible = candidates.Where(b => b.CreationTimeUtc!.Value <= pointInTimeUtc && b.FailureError == null)
                .OrderByDescending(b => b.CreationTimeUtc!.Value).ToList();
            foreach (var backup in eligible)
            {
                if (!ChainComplete(backup, all)) continue;
                step.SourcePartitionId = backup.PartitionId;
                step.BackupId = backup.BackupId;
                step.BackupLocation = backup.BackupLocation;
                step.BackupTimeUtc = backup.CreationTimeUtc;
                step.BackupType = backup.BackupType;
                return;
            }
            step.Result = SfRestoreStepResult.Skipped;
            var first = candidates.Where(b => b.CreationTimeUtc.HasValue).OrderBy(b => b.CreationTimeUtc!.Value).FirstOrDefault();
            step.Problem = eligible.Count > 0
                ? $"no backup at or before {Format(pointInTimeUtc)} has a complete chain back to its full backup"
                : $"no backup at or before {Format(pointInTimeUtc)}" + (first != null ? $" (the first is of {Format(first.CreationTimeUtc!.Value)})" : "");
        }

        private static bool ChainComplete(BackupInfo backup, List<BackupInfo> all)
        {
            if (string.Equals(backup.BackupType, "Full", StringComparison.OrdinalIgnoreCase)) return true;
            var chain = all.Where(b => b.BackupChainId == backup.BackupChainId && b.CreationTimeUtc!.Value <= backup.CreationTimeUtc!.Value).ToList();
            var full = chain.Where(b => string.Equals(b.BackupType, "Full", StringComparison.OrdinalIgnoreCase)).OrderByDescending(b => b.CreationTimeUtc!.Value).FirstOrDefault();
            return full != null && chain.All(b => b.CreationTimeUtc!.Value < full.CreationTimeUtc!.Value || b.FailureError == null);
        }

        private static string Format(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        /// <summary>The refusal's text: every step that cannot be restored, one per line.</summary>
        public static string DescribeProblems(IEnumerable<SfRestoreStep> steps) =>
            string.Join(Environment.NewLine, steps.Where(s => s.Problem != null).Select(s => "  " + s.TargetText + ": " + s.Problem));
    }
}
