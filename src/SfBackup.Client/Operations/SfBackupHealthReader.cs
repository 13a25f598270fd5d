using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SfBackup.Client.Models;
using SfBackup.Client.Transport;

namespace SfBackup.Client.Operations
{
    /// <summary>What reading one service's (or one partition's) backup health came to: its rows, or the failure.</summary>
    public sealed class SfBackupHealthRead
    {
        public SfBackupHealthRead(SfEntity entity) => Entity = entity;

        public SfEntity Entity { get; }
        public List<SfBackupHealth> Rows { get; } = new List<SfBackupHealth>();
        public SfClientException? Failure { get; set; }
    }

    /// <summary>
    /// Reads how the partitions' backups keep up with their policies. Per service it makes one paged call for its
    /// partitions, one for its backup configuration and one for the latest backup of every partition (the
    /// service-level Latest listing), plus one read of each policy per invocation; only partitions found late or
    /// never backed up get one more call, for their last backup attempt, to tell Failing from Late. Services are read
    /// at most <c>throttleLimit</c> at a time.
    /// </summary>
    /// <remarks>
    /// Ages are measured against the cluster's clock (the Date header of its answers), so a runbook host whose clock
    /// is off raises no false alarm; without that header, against this machine's clock.
    /// </remarks>
    public sealed class SfBackupHealthReader
    {
        /// <summary>The grace after the promised interval before a backup counts as late, unless -Grace says otherwise.</summary>
        public static readonly TimeSpan DefaultGrace = TimeSpan.FromMinutes(30);

        /// <summary>The source of SfBackup's health reports, and their properties: backups keeping up, and restore drills.</summary>
        public const string HealthSource = "SfBackup";
        public const string RpoProperty = "BackupRpo";
        public const string VerifiedProperty = "BackupVerified";

        private readonly SfBackupClient _client;
        private readonly TimeSpan _grace;
        private readonly bool _readVerification;
        private readonly Dictionary<string, Task<BackupPolicy>> _policies = new Dictionary<string, Task<BackupPolicy>>(StringComparer.Ordinal);

        /// <summary>A reader over <paramref name="client"/>: late after the promised interval plus <paramref name="grace"/> (default 30 minutes);
        /// with <paramref name="readVerification"/>, each partition's health is also read for the last restore drill's report (one more call per partition).</summary>
        public SfBackupHealthReader(SfBackupClient client, TimeSpan? grace = null, bool readVerification = false)
        {
            _client = client ?? throw new ArgumentNullException(nameof(client));
            _grace = grace ?? DefaultGrace;
            _readVerification = readVerification;
            if (_grace < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(grace), grace, "The grace cannot be negative.");
        }

        /// <summary>
        /// Every entity's rows: applications are expanded to their stateful services, and services are read at most
        /// <paramref name="throttleLimit"/> at a time. A failure is kept with its entity; the others go on.
        /// </summary>
        public async Task<IReadOnlyList<SfBackupHealthRead>> ReadAsync(IEnumerable<SfEntity> entities, int throttleLimit, CancellationToken cancellationToken)
        {
            var reads = new List<SfBackupHealthRead>();
            foreach (var entity in entities)
            {
                if (entity.Kind != SfEntityKind.Application)
                {
                    reads.Add(new SfBackupHealthRead(entity));
                    continue;
                }
                var application = new SfBackupHealthRead(entity);
                try
                {
                    var services = await _client.GetServices(entity.Name!).ReadAllAsync(cancellationToken).ConfigureAwait(false);
                    reads.AddRange(services.Where(s => !string.Equals(s.ServiceKind, "Stateless", StringComparison.OrdinalIgnoreCase) && s.Name != null)
                        .Select(s => new SfBackupHealthRead(SfEntity.Service(s.Name!))));
                }
                catch (SfClientException ex)
                {
                    application.Failure = ex;
                    reads.Add(application);
                }
            }

            await SfThrottle.ForEachAsync(reads.Where(r => r.Failure == null).ToList(), throttleLimit, async (read, token) =>
            {
                try
                {
                    if (read.Entity.Kind == SfEntityKind.Partition) await ReadPartitionAsync(read, token).ConfigureAwait(false);
                    else await ReadServiceAsync(read, token).ConfigureAwait(false);
                }
                catch (SfClientException ex)
                {
                    read.Failure = ex;
                }
            }, cancellationToken).ConfigureAwait(false);
            return reads;
        }

        /// <summary>The applications of the cluster, for a reading of the whole cluster.</summary>
        public async Task<IReadOnlyList<SfEntity>> ClusterAsync(CancellationToken cancellationToken)
        {
            var applications = await _client.GetApplications().ReadAllAsync(cancellationToken).ConfigureAwait(false);
            return applications.Where(a => a.Name != null).Select(a => SfEntity.Application(a.Name!)).ToList();
        }

        private async Task ReadServiceAsync(SfBackupHealthRead read, CancellationToken cancellationToken)
        {
            var service = read.Entity;
            var partitions = (await _client.GetPartitions(service.Name!).ReadAllAsync(cancellationToken).ConfigureAwait(false))
                .Where(p => p.IsStateful && p.PartitionId != Guid.Empty).ToList();
            if (partitions.Count == 0) return;

            var configurationPager = _client.GetBackupConfiguration(service);
            var configurations = await OrNothingWhenNotEnabled(configurationPager.ReadAllAsync(cancellationToken)).ConfigureAwait(false);
            var serviceLevel = configurations.FirstOrDefault(c => c.Kind == BackupEntityKind.Service);
            var ownSettings = configurations.Where(c => c.Kind == BackupEntityKind.Partition && c.PartitionId.HasValue)
                .GroupBy(c => c.PartitionId!.Value).ToDictionary(g => g.Key, g => g.First());
            var now = configurationPager.LastServerDate;

            var latest = new Dictionary<Guid, BackupInfo>();
            var anyPolicy = serviceLevel?.PolicyName != null || ownSettings.Values.Any(c => c.PolicyName != null);
            if (anyPolicy)
            {
                var backupsPager = _client.GetBackups(service, new BackupListFilter { Latest = true });
                foreach (var backup in await OrNothingWhenNotEnabled(backupsPager.ReadAllAsync(cancellationToken)).ConfigureAwait(false))
                {
                    if (!backup.CreationTimeUtc.HasValue || backup.FailureError != null) continue;
                    if (!latest.TryGetValue(backup.PartitionId, out var known) || known.CreationTimeUtc < backup.CreationTimeUtc) latest[backup.PartitionId] = backup;
                }
                now = backupsPager.LastServerDate ?? now;
            }
            var checkedAt = (now ?? DateTimeOffset.UtcNow).UtcDateTime;

            foreach (var partition in partitions)
            {
                var configuration = ownSettings.TryGetValue(partition.PartitionId, out var own) ? own : serviceLevel;
                latest.TryGetValue(partition.PartitionId, out var backup);
                read.Rows.Add(await RowAsync(service.Name!, partition.PartitionId, configuration, backup, checkedAt, cancellationToken).ConfigureAwait(false));
            }
        }

        private async Task ReadPartitionAsync(SfBackupHealthRead read, CancellationToken cancellationToken)
        {
            var partition = read.Entity;
            var configurationPager = _client.GetBackupConfiguration(partition);
            var configuration = (await OrNothingWhenNotEnabled(configurationPager.ReadAllAsync(cancellationToken)).ConfigureAwait(false)).FirstOrDefault();
            var now = configurationPager.LastServerDate;
            BackupInfo? backup = null;
            if (configuration?.PolicyName != null)
            {
                var backupsPager = _client.GetBackups(partition, new BackupListFilter { Latest = true });
                backup = (await OrNothingWhenNotEnabled(backupsPager.ReadAllAsync(cancellationToken)).ConfigureAwait(false))
                    .Where(b => b.CreationTimeUtc.HasValue && b.FailureError == null).OrderBy(b => b.CreationTimeUtc).LastOrDefault();
                now = backupsPager.LastServerDate ?? now;
            }
            read.Rows.Add(await RowAsync(configuration?.ServiceName ?? backup?.ServiceName, partition.PartitionId, configuration, backup,
                (now ?? DateTimeOffset.UtcNow).UtcDateTime, cancellationToken).ConfigureAwait(false));
        }

        private async Task<SfBackupHealth> RowAsync(string? serviceName, Guid partitionId, BackupConfigurationInfo? configuration, BackupInfo? backup,
            DateTime checkedAtUtc, CancellationToken cancellationToken)
        {
            var row = new SfBackupHealth
            {
                ServiceName = serviceName,
                ApplicationName = backup?.ApplicationName ?? configuration?.ApplicationName ?? ApplicationOf(serviceName),
                PartitionId = partitionId,
                PolicyName = configuration?.PolicyName,
                PolicyInheritedFrom = configuration?.PolicyName == null ? BackupEntityKind.Invalid : configuration.PolicyInheritedFrom,
                IsSuspended = configuration?.SuspensionInfo?.IsSuspended == true,
                SuspensionInheritedFrom = configuration?.SuspensionInfo?.IsSuspended == true ? configuration.SuspensionInfo.SuspensionInheritedFrom : BackupEntityKind.Invalid,
                LastBackupTimeUtc = backup?.CreationTimeUtc,
                Grace = _grace,
                CheckedAtUtc = checkedAtUtc,
            };
            if (row.LastBackupTimeUtc.HasValue) row.LastBackupAge = checkedAtUtc - row.LastBackupTimeUtc.Value;
            if (row.PolicyName != null)
            {
                try
                {
                    var policy = await PolicyAsync(row.PolicyName, cancellationToken).ConfigureAwait(false);
                    row.PromisedInterval = policy.Schedule == null ? (TimeSpan?)null : PromisedInterval(policy.Schedule);
                }
                catch (SfFabricException)
                {
                    // A policy that cannot be read (deleted meanwhile, say) promises no interval: the row cannot be Late.
                }
            }

            if (_readVerification) await ReadVerificationAsync(row, cancellationToken).ConfigureAwait(false);
            Evaluate(row);
            if (row.Status == SfBackupHealthStatus.Late || row.Status == SfBackupHealthStatus.NeverBackedUp)
            {
                // Only these can be Failing: read their last attempt. A cluster that cannot tell leaves the status as it is.
                BackupProgressInfo? progress = null;
                try
                {
                    progress = await _client.GetPartitionBackupProgressAsync(partitionId, cancellationToken).ConfigureAwait(false);
                }
                catch (SfFabricException)
                {
                }
                if (progress != null && (progress.BackupState == BackupState.Failure || progress.BackupState == BackupState.Timeout)
                    && (!row.LastBackupTimeUtc.HasValue || progress.TimeStampUtc > row.LastBackupTimeUtc))
                {
                    row.LastFailure = progress.FailureError ?? new FabricErrorInfo { Code = "Sf" + progress.BackupState };
                    row.LastFailureTimeUtc = progress.TimeStampUtc;
                    Evaluate(row);
                }
            }
            return row;
        }

        /// <summary>
        /// The last restore drill, from the BackupVerified report Test-SfLastBackup -ReportHealth leaves on the partition:
        /// Verified (Ok, within its time to live), Failed (Error), Expired (no drill reported within its time to live)
        /// or Never. A cluster that cannot answer leaves it unread (null).
        /// </summary>
        private async Task ReadVerificationAsync(SfBackupHealth row, CancellationToken cancellationToken)
        {
            SfPartitionHealth health;
            try
            {
                health = await _client.GetPartitionHealthAsync(row.PartitionId, cancellationToken).ConfigureAwait(false);
            }
            catch (SfFabricException)
            {
                return;
            }
            ApplyVerification(row, health);
        }

        public static void ApplyVerification(SfBackupHealth row, SfPartitionHealth health)
        {
            var report = (health.HealthEvents ?? new List<SfHealthEvent>()).Where(e =>
                    string.Equals(e.SourceId, HealthSource, StringComparison.Ordinal) && string.Equals(e.Property, VerifiedProperty, StringComparison.Ordinal))
                .OrderBy(e => e.SourceUtcTimestamp ?? DateTime.MinValue).LastOrDefault();
            row.LastDrillUtc = report?.SourceUtcTimestamp;
            row.LastDrillDetail = report?.Description;
            if (report == null) row.Verification = SfVerificationState.Never;
            else if (report.IsExpired) row.Verification = SfVerificationState.Expired;
            else if (string.Equals(report.HealthState, "Ok", StringComparison.OrdinalIgnoreCase)) row.Verification = SfVerificationState.Verified;
            else row.Verification = SfVerificationState.Failed;
            // An Ok report, expired or not, is the last time a drill proved the backups restore.
            row.LastVerifiedUtc = report != null && string.Equals(report.HealthState, "Ok", StringComparison.OrdinalIgnoreCase) ? report.SourceUtcTimestamp : null;
        }

        /// <summary>
        /// The status and its reason, from what the row holds: no policy is NotEnabled; suspended is Suspended; a
        /// failed last attempt with no success since is Failing; no backup is NeverBackedUp; an age beyond the promised
        /// interval plus the grace is Late; anything else is Healthy.
        /// </summary>
        public static void Evaluate(SfBackupHealth row)
        {
            string Age() => row.LastBackupAge.HasValue ? " (" + Span(row.LastBackupAge.Value) + " ago)" : "";
            if (row.PolicyName == null)
            {
                row.Status = SfBackupHealthStatus.NotEnabled;
                row.Reason = "No backup policy applies.";
            }
            else if (row.IsSuspended)
            {
                row.Status = SfBackupHealthStatus.Suspended;
                row.Reason = $"Backup is suspended at the {row.SuspensionInheritedFrom.ToString().ToLowerInvariant()} level; last backup {When(row.LastBackupTimeUtc)}{Age()}.";
            }
            else if (row.LastFailure != null)
            {
                row.Status = SfBackupHealthStatus.Failing;
                row.Reason = $"The last backup attempt ({When(row.LastFailureTimeUtc)}) failed: {row.LastFailure.Code}{(string.IsNullOrEmpty(row.LastFailure.Message) ? "" : " " + row.LastFailure.Message)}; last success {When(row.LastBackupTimeUtc)}.";
            }
            else if (!row.LastBackupTimeUtc.HasValue)
            {
                row.Status = SfBackupHealthStatus.NeverBackedUp;
                row.Reason = $"Policy {row.PolicyName} applies, and no backup is listed.";
            }
            else if (row.PromisedInterval.HasValue && row.LastBackupAge > row.PromisedInterval.Value + row.Grace)
            {
                row.Status = SfBackupHealthStatus.Late;
                row.Reason = $"Last backup {When(row.LastBackupTimeUtc)}{Age()}; policy {row.PolicyName} promises one every {Span(row.PromisedInterval.Value)} (grace {Span(row.Grace)}).";
            }
            else
            {
                row.Status = SfBackupHealthStatus.Healthy;
                row.Reason = $"Last backup {When(row.LastBackupTimeUtc)}{Age()}.";
            }
        }

        /// <summary>
        /// The longest a schedule lets pass between two backups. Frequency-based: its interval. Time-based daily: the
        /// longest gap between consecutive run times, across midnight too. Weekly: the same over every run time of
        /// every run day, across the week's end.
        /// </summary>
        public static TimeSpan PromisedInterval(BackupSchedule schedule)
        {
            if (schedule is FrequencyBackupSchedule frequency) return frequency.Interval;
            if (!(schedule is TimeBackupSchedule time)) throw new ArgumentException("Unknown schedule kind.", nameof(schedule));
            var period = time.Frequency == BackupScheduleFrequency.Weekly ? TimeSpan.FromDays(7) : TimeSpan.FromDays(1);
            var points = time.Frequency == BackupScheduleFrequency.Weekly
                ? time.RunDays.SelectMany(d => time.RunTimes.Select(t => TimeSpan.FromDays((int)d) + t)).OrderBy(t => t).ToList()
                : time.RunTimes.OrderBy(t => t).ToList();
            var longest = points[0] + period - points[points.Count - 1];
            for (var i = 1; i < points.Count; i++)
            {
                var gap = points[i] - points[i - 1];
                if (gap > longest) longest = gap;
            }
            return longest;
        }

        /// <summary>
        /// A list, or none when the cluster answers 404 FABRIC_E_BACKUP_NOT_ENABLED: some clusters answer so for an
        /// entity that no policy covers, which is NotEnabled here, not an error.
        /// </summary>
        private static async Task<List<T>> OrNothingWhenNotEnabled<T>(Task<List<T>> read)
        {
            try
            {
                return await read.ConfigureAwait(false);
            }
            catch (SfFabricException ex) when (ex.ErrorCode == "FABRIC_E_BACKUP_NOT_ENABLED")
            {
                return new List<T>();
            }
        }

        private Task<BackupPolicy> PolicyAsync(string name, CancellationToken cancellationToken)
        {
            lock (_policies)
            {
                if (!_policies.TryGetValue(name, out var policy) || policy.IsFaulted || policy.IsCanceled)
                {
                    policy = _client.GetBackupPolicyAsync(name, cancellationToken);
                    _policies[name] = policy;
                }
                return policy;
            }
        }

        private static string? ApplicationOf(string? serviceName)
        {
            if (serviceName == null || !serviceName.StartsWith("fabric:/", StringComparison.Ordinal)) return null;
            var slash = serviceName.IndexOf('/', "fabric:/".Length);
            return slash < 0 ? null : serviceName.Substring(0, slash);
        }

        private static string When(DateTime? utc) =>
            utc.HasValue ? utc.Value.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture) : "never";

        /// <summary>A span as an operator reads it: 1d 2h, 3h 5m, 12m.</summary>
        public static string Span(TimeSpan span)
        {
            if (span < TimeSpan.Zero) return "-" + Span(span.Negate());
            if (span.TotalDays >= 1) return span.Hours == 0 ? $"{(int)span.TotalDays}d" : $"{(int)span.TotalDays}d {span.Hours}h";
            if (span.TotalHours >= 1) return span.Minutes == 0 ? $"{span.Hours}h" : $"{span.Hours}h {span.Minutes}m";
            return $"{Math.Max(0, (int)span.TotalMinutes)}m";
        }
    }
}
