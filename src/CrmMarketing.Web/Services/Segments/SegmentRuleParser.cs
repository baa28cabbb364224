using System.Globalization;
using System.Text.Json;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Resources;
using Microsoft.Extensions.Localization;

namespace CrmMarketing.Web.Services.Segments;

/// <summary>The outcome of reading a rule: the rule, or the message naming what is wrong with it.</summary>
public sealed record SegmentRuleParseResult(SegmentRuleGroup? Rule, string? Error)
{
    public bool IsValid => Rule is not null;
}

/// <summary>Reads and validates the rule JSON of docs/segments.md. Every field name is looked up in
/// <see cref="SegmentFields"/>, every operator in the field's list, every value converted to its type.</summary>
public sealed class SegmentRuleParser(IStringLocalizer<SharedResource> l)
{
    public const int MaxDepth = 5;
    public const int MaxConditions = 100;
    public const int MaxValues = 500;
    public const int MaxTextLength = 200;
    public const int MaxDays = 36_500;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32, AllowTrailingCommas = false };

    public SegmentRuleParseResult Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return Fail(l["The rule is empty."]);
        }

        if (json.Length > Segment.RuleMaxLength)
        {
            return Fail(l["The rule is longer than {0} characters.", Segment.RuleMaxLength]);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException)
        {
            return Fail(l["The rule is not valid JSON."]);
        }

        using (document)
        {
            var state = new State();
            try
            {
                var root = ReadGroup(document.RootElement, string.Empty, depth: 1, state);
                if (state.Conditions == 0)
                {
                    return Fail(l["The rule has no conditions."]);
                }

                return new(root, null);
            }
            catch (RuleException e)
            {
                return Fail(e.Message);
            }
        }
    }

    private static SegmentRuleParseResult Fail(string message) => new(null, message);

    private SegmentRuleGroup ReadGroup(JsonElement element, string path, int depth, State state)
    {
        var where = path.Length == 0 ? l["The rule"].Value : l["Group {0}", path].Value;
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new RuleException(l["{0}: expected an object with \"match\" and \"conditions\".", where]);
        }

        if (depth > MaxDepth)
        {
            throw new RuleException(l["{0}: groups nest deeper than {1} levels.", where, MaxDepth]);
        }

        var match = element.TryGetProperty("match", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        if (match is not ("all" or "any"))
        {
            throw new RuleException(l["{0}: \"match\" must be \"all\" or \"any\".", where]);
        }

        if (!element.TryGetProperty("conditions", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            throw new RuleException(l["{0}: \"conditions\" must be a non-empty list.", where]);
        }

        var children = new List<SegmentRuleNode>();
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            index++;
            var childPath = path.Length == 0
                ? index.ToString(CultureInfo.InvariantCulture)
                : path + "." + index.ToString(CultureInfo.InvariantCulture);
            children.Add(item.ValueKind == JsonValueKind.Object && item.TryGetProperty("match", out _)
                ? ReadGroup(item, childPath, depth + 1, state)
                : ReadCondition(item, childPath, state));
        }

        return new SegmentRuleGroup(path, match == "all", children);
    }

    private SegmentRuleCondition ReadCondition(JsonElement element, string path, State state)
    {
        if (++state.Conditions > MaxConditions)
        {
            throw new RuleException(l["The rule has more than {0} conditions.", MaxConditions]);
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new RuleException(l["Condition {0}: expected an object with \"field\" and \"operator\".", path]);
        }

        var fieldName = String(element, "field");
        if (string.IsNullOrEmpty(fieldName))
        {
            throw new RuleException(l["Condition {0}: \"field\" is missing.", path]);
        }

        var field = SegmentFields.Find(fieldName)
            ?? throw new RuleException(l["Condition {0}: unknown field \"{1}\".", path, Shorten(fieldName)]);
        var where = l["Condition {0} ({1})", path, field.Name].Value;

        var op = String(element, "operator");
        if (string.IsNullOrEmpty(op) || !field.Operators.Contains(op, StringComparer.Ordinal))
        {
            throw new RuleException(l["{0}: the operator \"{1}\" is not allowed; use one of {2}.", where, Shorten(op ?? string.Empty), string.Join(", ", field.Operators)]);
        }

        IReadOnlyList<string> texts = [];
        decimal? number = null;
        int? days = null;
        string? eventType = null;
        var noValue = op is SegmentOperators.Empty or SegmentOperators.NotEmpty;

        switch (field.Kind)
        {
            case SegmentFieldKind.Text:
            case SegmentFieldKind.Choice:
                if (!noValue)
                {
                    texts = op is SegmentOperators.In or SegmentOperators.NotIn
                        ? Texts(element, where)
                        : [Text(element, where)];
                    if (field.Choices is { } choices && texts.FirstOrDefault(t => !choices.Contains(t, StringComparer.Ordinal)) is { } bad)
                    {
                        throw new RuleException(l["{0}: \"{1}\" is not one of {2}.", where, Shorten(bad), string.Join(", ", choices)]);
                    }
                }

                break;
            case SegmentFieldKind.Date:
                if (!noValue)
                {
                    days = Days(element, where, required: true);
                }

                break;
            case SegmentFieldKind.Money:
            case SegmentFieldKind.Count:
                number = Number(element, where, whole: field.Kind == SegmentFieldKind.Count);
                break;
            case SegmentFieldKind.Bought:
                texts = [Text(element, where)];
                days = Days(element, where, required: false);
                break;
            case SegmentFieldKind.Events:
                eventType = String(element, "eventType")?.Trim();
                if (string.IsNullOrEmpty(eventType) || eventType.Length > CustomerEvent.TypeMaxLength)
                {
                    throw new RuleException(l["{0}: \"eventType\" must be an event type of at most {1} characters.", where, CustomerEvent.TypeMaxLength]);
                }

                number = Number(element, where, whole: true);
                days = Days(element, where, required: true);
                break;
        }

        return new SegmentRuleCondition(path, field, op, texts, number, days, eventType);
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private string Text(JsonElement element, string where)
    {
        var text = element.TryGetProperty("value", out var v) ? Scalar(v) : null;
        return CheckText(text, where);
    }

    private string CheckText(string? text, string where)
    {
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            throw new RuleException(l["{0}: a value is required.", where]);
        }

        if (text.Length > MaxTextLength)
        {
            throw new RuleException(l["{0}: a value is longer than {1} characters.", where, MaxTextLength]);
        }

        return text;
    }

    private List<string> Texts(JsonElement element, string where)
    {
        if (!element.TryGetProperty("values", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            throw new RuleException(l["{0}: \"values\" must be a non-empty list.", where]);
        }

        if (list.GetArrayLength() > MaxValues)
        {
            throw new RuleException(l["{0}: at most {1} values.", where, MaxValues]);
        }

        return list.EnumerateArray().Select(v => CheckText(Scalar(v), where)).Distinct(StringComparer.Ordinal).ToList();
    }

    private decimal Number(JsonElement element, string where, bool whole)
    {
        decimal? value = null;
        if (element.TryGetProperty("value", out var v))
        {
            if (v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out var d))
            {
                value = d;
            }
            else if (v.ValueKind == JsonValueKind.String
                && decimal.TryParse(v.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed))
            {
                value = parsed;
            }
        }

        if (value is not { } number || Math.Abs(number) > 1_000_000_000_000m || (whole && number != decimal.Truncate(number)))
        {
            throw new RuleException(whole
                ? l["{0}: the value must be a whole number.", where]
                : l["{0}: the value must be a number.", where]);
        }

        return number;
    }

    private int? Days(JsonElement element, string where, bool required)
    {
        if (!element.TryGetProperty("days", out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return required ? throw new RuleException(l["{0}: \"days\" must be a whole number from 1 to {1}.", where, MaxDays]) : null;
        }

        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var days) && days is >= 1 and <= MaxDays)
        {
            return days;
        }

        if (v.ValueKind == JsonValueKind.String && int.TryParse(v.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out days)
            && days is >= 1 and <= MaxDays)
        {
            return days;
        }

        throw new RuleException(l["{0}: \"days\" must be a whole number from 1 to {1}.", where, MaxDays]);
    }

    private static string? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        _ => null,
    };

    /// <summary>Echoes at most 40 characters of what the user sent.</summary>
    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";

    private sealed class State
    {
        public int Conditions { get; set; }
    }

    private sealed class RuleException(string message) : Exception(message);
}
