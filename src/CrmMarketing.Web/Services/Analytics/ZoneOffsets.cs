using System.Collections.Concurrent;

namespace CrmMarketing.Web.Services.Analytics;

/// <summary>A time zone as a short list of UTC ranges with a constant offset, so that SQL can shift each stored UTC
/// instant by the offset in force at that instant (daylight saving included). Transitions are located to the minute
/// from 1 January thirty years before the current year to 1 January two years after it; instants outside
/// that span use the offset at its edge.</summary>
public static class ZoneOffsets
{
    // The list only changes with the zone and the current year, so it is built once per pair.
    private static readonly ConcurrentDictionary<(string Zone, int Year), IReadOnlyList<Range>> Cache = new();

    public sealed record Range(DateTime FromUtc, DateTime ToUtc, int OffsetMinutes);

    public static IReadOnlyList<Range> Ranges(TimeZoneInfo zone, DateTime nowUtc) =>
        Cache.GetOrAdd((zone.Id, nowUtc.Year), key => Build(zone, key.Year));

    private static List<Range> Build(TimeZoneInfo zone, int year)
    {
        var start = new DateTime(year - 30, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var end = start.AddYears(32);
        var ranges = new List<Range>();
        var from = DateTime.MinValue;
        var current = Minutes(zone, start);
        for (var day = start; day < end; day = day.AddDays(1))
        {
            var next = Minutes(zone, day.AddDays(1));
            if (next == current)
            {
                continue;
            }

            // The offset is `current` at day + lo minutes and `next` at day + hi minutes.
            int lo = 0, hi = 24 * 60;
            while (hi - lo > 1)
            {
                var mid = (lo + hi) / 2;
                if (Minutes(zone, day.AddMinutes(mid)) == current)
                {
                    lo = mid;
                }
                else
                {
                    hi = mid;
                }
            }

            var change = day.AddMinutes(hi);
            ranges.Add(new Range(from, change, current));
            from = change;
            current = next;
        }

        ranges.Add(new Range(from, DateTime.MaxValue, current));
        return ranges;
    }

    private static int Minutes(TimeZoneInfo zone, DateTime utc) => (int)zone.GetUtcOffset(utc).TotalMinutes;
}
