using System.Diagnostics;

namespace CrmMarketing.Web.Services.Import;

/// <summary>Where the time of one dry run or run went, section by section, so that a slow import can be explained
/// from its log line without a profiler. Sections do not overlap; their sum is close to the whole run.</summary>
public sealed class ImportTimings
{
    private readonly long[] _ticks = new long[Names.Count];

    /// <summary>Section names, in the order they happen to a row.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["parse", "validate", "match lookup", "duplicate checks", "inserts", "journal", "progress and commit", "audit"];

    public const int Parse = 0;
    public const int Validate = 1;
    public const int Lookup = 2;
    public const int Duplicates = 3;
    public const int Inserts = 4;
    public const int Journal = 5;
    public const int Progress = 6;
    public const int Audit = 7;

    /// <summary>Starts timing a section; add the result back with <see cref="Stop"/>.</summary>
    public static long Start() => Stopwatch.GetTimestamp();

    public void Stop(int section, long started) => _ticks[section] += Stopwatch.GetTimestamp() - started;

    public TimeSpan this[int section] => Stopwatch.GetElapsedTime(0, _ticks[section]);

    public long Milliseconds(int section) => (long)this[section].TotalMilliseconds;

    public override string ToString() =>
        string.Join(", ", Names.Select((name, i) => $"{name} {Milliseconds(i).ToString(System.Globalization.CultureInfo.InvariantCulture)} ms"));
}
