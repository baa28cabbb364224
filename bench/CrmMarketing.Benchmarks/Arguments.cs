using System.Globalization;

namespace CrmMarketing.Benchmarks;

internal sealed class UsageException(string message) : Exception(message);

/// <summary>"--name value" pairs and bare "--flag"s, checked against the names a command accepts.</summary>
internal sealed class Arguments
{
    private readonly Dictionary<string, string> _values = [];
    private readonly HashSet<string> _flags = [];

    public static Arguments Parse(string[] args, string[] valueNames, string[] flagNames)
    {
        var result = new Arguments();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (flagNames.Contains(name))
            {
                result._flags.Add(name);
            }
            else if (valueNames.Contains(name))
            {
                if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new UsageException($"{name} needs a value.");
                }

                if (!result._values.TryAdd(name, args[++i]))
                {
                    throw new UsageException($"{name} is given twice.");
                }
            }
            else
            {
                throw new UsageException($"Unknown argument '{name}'.");
            }
        }

        return result;
    }

    public bool Flag(string name) => _flags.Contains(name);

    public string Required(string name) =>
        _values.TryGetValue(name, out var value) ? value : throw new UsageException($"{name} is required.");

    public string? OptionalString(string name) => _values.GetValueOrDefault(name);
    public string? Optional(string name) => _values.GetValueOrDefault(name);

    public int RequiredInt(string name, int min) => ToInt(name, Required(name), min);

    public int? OptionalInt(string name, int min) =>
        _values.TryGetValue(name, out var value) ? ToInt(name, value, min) : null;

    private static int ToInt(string name, string value, int min) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min
            ? n
            : throw new UsageException($"{name} must be a whole number ≥ {min}, not '{value}'.");
}
