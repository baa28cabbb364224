using System.Text.RegularExpressions;

namespace CrmMarketing.Web.Services.Templates;

/// <summary>Where a merge field's value comes from.</summary>
public enum MergeFieldSource
{
    /// <summary>Read from the customer record.</summary>
    Customer,

    /// <summary>Filled by the sending code for every message (unsubscribe link, date, sender).</summary>
    System,

    /// <summary>Only present when the caller passes it in <see cref="MergeValues.Extra"/> (survey links, later
    /// recommendations); empty otherwise, so such fields should carry a default.</summary>
    Caller,
}

public sealed record MergeField(string Name, MergeFieldSource Source, string Description, string Example);

/// <summary>The one allow-list of merge fields a template may use (docs/messaging-templates.md lists them too).
/// A field not in this list is rejected when a template is saved. A new caller-supplied value (say
/// <c>recommendations</c>) is added here as a <see cref="MergeFieldSource.Caller"/> field and passed through
/// <see cref="MergeValues.Extra"/>.</summary>
public static partial class MergeFields
{
    public const string Name = "name";
    public const string Email = "email";
    public const string Phone = "phone";
    public const string City = "city";
    public const string Region = "region";
    public const string Country = "country";
    public const string FirstPurchaseDate = "first_purchase_date";
    public const string LastPurchaseDate = "last_purchase_date";
    public const string OrderCount = "order_count";
    public const string TotalSpent = "total_spent";
    public const string Today = "today";
    public const string SenderName = "sender_name";
    public const string UnsubscribeUrl = "unsubscribe_url";
    public const string SurveyUrl = "survey_url";

    public static readonly IReadOnlyList<MergeField> All =
    [
        new(Name, MergeFieldSource.Customer, "The customer's name", "王芳"),
        new(Email, MergeFieldSource.Customer, "The customer's email address", "wang.fang@example.com"),
        new(Phone, MergeFieldSource.Customer, "The customer's phone number (E.164)", "+8613812345678"),
        new(City, MergeFieldSource.Customer, "The customer's city", "上海"),
        new(Region, MergeFieldSource.Customer, "The customer's region or province", "上海市"),
        new(Country, MergeFieldSource.Customer, "The customer's country", "中国"),
        new(FirstPurchaseDate, MergeFieldSource.Customer, "Date of the first purchase", "2025-03-14"),
        new(LastPurchaseDate, MergeFieldSource.Customer, "Date of the latest purchase", "2026-10-02"),
        new(OrderCount, MergeFieldSource.Customer, "Number of orders", "7"),
        new(TotalSpent, MergeFieldSource.Customer, "Total spent, formatted as money", "¥1,234.00"),
        new(Today, MergeFieldSource.System, "Today's date", "2026-11-25"),
        new(SenderName, MergeFieldSource.System, "The staff member sending the message", "Li Lei"),
        new(UnsubscribeUrl, MergeFieldSource.System, "Personal unsubscribe link (marketing messages)", "https://crm.example.com/unsubscribe/…"),
        new(SurveyUrl, MergeFieldSource.Caller, "Survey link, when the sender supplies one", "https://crm.example.com/survey/…"),
    ];

    private static readonly Dictionary<string, MergeField> ByName = All.ToDictionary(f => f.Name, StringComparer.Ordinal);

    public static bool IsKnown(string name) => ByName.ContainsKey(name);

    public static MergeField? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>Every <c>{{field}}</c> or <c>{{field|default}}</c> in <paramref name="template"/>, in order.</summary>
    public static IEnumerable<MergePlaceholder> Parse(string? template)
    {
        if (string.IsNullOrEmpty(template))
        {
            yield break;
        }

        foreach (Match m in PlaceholderPattern().Matches(template))
        {
            var inner = m.Groups[1].Value;
            var bar = inner.IndexOf('|', StringComparison.Ordinal);
            var name = (bar < 0 ? inner : inner[..bar]).Trim();
            var fallback = bar < 0 ? null : inner[(bar + 1)..].Trim();
            yield return new MergePlaceholder(m.Index, m.Length, name, fallback);
        }
    }

    /// <summary>Names used in the texts that are not in the allow-list, distinct, in order of appearance.</summary>
    public static IReadOnlyList<string> UnknownIn(params string?[] texts) =>
        texts.SelectMany(Parse).Select(p => p.Name).Where(n => !IsKnown(n)).Distinct(StringComparer.Ordinal).ToList();

    // {{ and }} with anything but braces between them; a name that is not a known field is reported as unknown.
    [GeneratedRegex(@"\{\{([^{}]*)\}\}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex PlaceholderPattern();
}

public readonly record struct MergePlaceholder(int Index, int Length, string Name, string? Default);
