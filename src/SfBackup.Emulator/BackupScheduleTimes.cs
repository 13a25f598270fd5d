using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml;

namespace SfBackup.Emulator;

/// <summary>The times a policy's schedule falls on: every Interval from the start (FrequencyBased), or the RunTimes of
/// each day, or of each RunDay (TimeBased, Daily or Weekly).</summary>
public static class BackupScheduleTimes
{
    /// <summary>Scheduled times in (after, upTo], the last <paramref name="most"/> of them at most, oldest first.</summary>
    public static IEnumerable<DateTimeOffset> Between(JsonObject? schedule, DateTimeOffset start, DateTimeOffset after, DateTimeOffset upTo, int most)
    {
        if (schedule is null || upTo <= after) return [];
        var kind = schedule["ScheduleKind"]?.ToString();
        if (kind == "FrequencyBased" && schedule["Interval"]?.ToString() is { } text)
        {
            var interval = XmlConvert.ToTimeSpan(text);
            if (interval <= TimeSpan.Zero) return [];
            var first = (long)Math.Floor((after - start) / interval) + 1;
            var last = (long)Math.Floor((upTo - start) / interval);
            first = Math.Max(first, last - most + 1);
            return LongRange(first, last).Select(k => start + interval * k);
        }
        if (kind == "TimeBased")
        {
            var times = (schedule["RunTimes"] as JsonArray ?? []).Select(t => DateTimeOffset.Parse(t!.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).UtcDateTime.TimeOfDay).Order().ToList();
            var weekly = string.Equals(schedule["ScheduleFrequencyType"]?.ToString(), "Weekly", StringComparison.OrdinalIgnoreCase);
            var days = (schedule["RunDays"] as JsonArray ?? []).Select(d => Enum.Parse<DayOfWeek>(d!.ToString(), ignoreCase: true)).ToHashSet();
            var found = new List<DateTimeOffset>();
            for (var day = after.UtcDateTime.Date; day <= upTo.UtcDateTime.Date; day = day.AddDays(1))
            {
                if (weekly && !days.Contains(day.DayOfWeek)) continue;
                foreach (var time in times)
                {
                    var at = new DateTimeOffset(day + time, TimeSpan.Zero);
                    if (at > after && at <= upTo) found.Add(at);
                }
            }
            return found.TakeLast(most);
        }
        return [];
    }

    private static IEnumerable<long> LongRange(long from, long to)
    {
        for (var k = from; k <= to; k++) yield return k;
    }
}
