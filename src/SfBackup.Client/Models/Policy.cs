using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Serialization;

namespace SfBackup.Client.Models
{
    /// <summary>
    /// A backup policy (BackupPolicyDescription). Properties are declared in the reference's order, which is the
    /// order they are written in. Secrets in Storage come back masked when a policy is read from a cluster.
    /// </summary>
    public sealed class BackupPolicy
    {
        public string Name { get; set; } = "";
        public bool AutoRestoreOnDataLoss { get; set; }
        public int MaxIncrementalBackups { get; set; }
        public BackupSchedule? Schedule { get; set; }
        public BackupStorage? Storage { get; set; }
        public RetentionPolicy? RetentionPolicy { get; set; }

        public override string ToString() => $"{Name}: {Schedule}, to {Storage}{(RetentionPolicy is null ? "" : ", " + RetentionPolicy)}";
    }

    public enum BackupScheduleKind : long
    {
        FrequencyBased,
        TimeBased,
    }

    public enum BackupScheduleFrequency : long
    {
        Daily,
        Weekly,
    }

    /// <summary>
    /// A day a weekly schedule runs on: <see cref="DayOfWeek"/>'s names and numbers, based on long so that
    /// ConvertTo-Json writes names (see BackupState).
    /// </summary>
    public enum BackupRunDay : long
    {
        Sunday,
        Monday,
        Tuesday,
        Wednesday,
        Thursday,
        Friday,
        Saturday,
    }

    [JsonConverter(typeof(BackupScheduleConverter))]
    public abstract class BackupSchedule
    {
        public abstract BackupScheduleKind ScheduleKind { get; }
    }

    /// <summary>A backup every <see cref="Interval"/> (ISO 8601 duration on the wire, e.g. PT10M).</summary>
    public sealed class FrequencyBackupSchedule : BackupSchedule
    {
        public FrequencyBackupSchedule(TimeSpan interval)
        {
            if (interval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(interval), interval, "The interval must be positive.");
            Interval = interval;
        }

        public override BackupScheduleKind ScheduleKind => BackupScheduleKind.FrequencyBased;
        public TimeSpan Interval { get; }
        public override string ToString() => $"every {Interval}";
    }

    /// <summary>Backups at set times of day, every day or on set days of the week.</summary>
    public sealed class TimeBackupSchedule : BackupSchedule
    {
        public TimeBackupSchedule(BackupScheduleFrequency frequency, IEnumerable<TimeSpan> runTimes, IEnumerable<DayOfWeek>? runDays = null)
        {
            RunTimes = (runTimes ?? throw new ArgumentNullException(nameof(runTimes))).Distinct().OrderBy(t => t).ToArray();
            RunDays = (runDays ?? Enumerable.Empty<DayOfWeek>()).Select(d => (BackupRunDay)d).Distinct().OrderBy(d => d).ToArray();
            if (RunTimes.Count == 0) throw new ArgumentException("At least one run time is needed.", nameof(runTimes));
            if (RunTimes.Any(t => t < TimeSpan.Zero || t >= TimeSpan.FromDays(1)))
                throw new ArgumentOutOfRangeException(nameof(runTimes), "Run times are times of day: 00:00 up to 23:59:59.");
            if (frequency == BackupScheduleFrequency.Weekly && RunDays.Count == 0)
                throw new ArgumentException("A weekly schedule needs at least one run day.", nameof(runDays));
            if (frequency == BackupScheduleFrequency.Daily && RunDays.Count > 0)
                throw new ArgumentException("A daily schedule runs every day; run days are for weekly schedules.", nameof(runDays));
            Frequency = frequency;
        }

        public override BackupScheduleKind ScheduleKind => BackupScheduleKind.TimeBased;
        public BackupScheduleFrequency Frequency { get; }
        public IReadOnlyList<TimeSpan> RunTimes { get; }
        public IReadOnlyList<BackupRunDay> RunDays { get; }

        public override string ToString() =>
            $"{Frequency} at {string.Join(", ", RunTimes.Select(t => t.ToString(@"hh\:mm")))}{(RunDays.Count > 0 ? " on " + string.Join(", ", RunDays) : "")}";
    }

    [JsonConverter(typeof(RetentionPolicyConverter))]
    public abstract class RetentionPolicy
    {
        public abstract string RetentionPolicyType { get; }
    }

    /// <summary>Keep backups for <see cref="RetentionDuration"/>, but never fewer than <see cref="MinimumNumberOfBackups"/>.</summary>
    public sealed class BasicRetentionPolicy : RetentionPolicy
    {
        public BasicRetentionPolicy(TimeSpan retentionDuration, int minimumNumberOfBackups = 0)
        {
            if (retentionDuration <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(retentionDuration), retentionDuration, "The retention must be positive.");
            if (minimumNumberOfBackups < 0) throw new ArgumentOutOfRangeException(nameof(minimumNumberOfBackups), minimumNumberOfBackups, "Cannot be negative.");
            RetentionDuration = retentionDuration;
            MinimumNumberOfBackups = minimumNumberOfBackups;
        }

        public override string RetentionPolicyType => "Basic";
        public TimeSpan RetentionDuration { get; }
        public int MinimumNumberOfBackups { get; }
        public override string ToString() => $"keep {RetentionDuration}{(MinimumNumberOfBackups > 0 ? $" (at least {MinimumNumberOfBackups})" : "")}";
    }

    /// <summary>A retention type this version does not know: read so listing policies never fails.</summary>
    public sealed class UnknownRetentionPolicy : RetentionPolicy
    {
        public UnknownRetentionPolicy(string type) => RetentionPolicyType = type;
        public override string RetentionPolicyType { get; }
    }
}
