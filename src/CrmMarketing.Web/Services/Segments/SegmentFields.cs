using CrmMarketing.Web.Domain;

namespace CrmMarketing.Web.Services.Segments;

/// <summary>How a field is compared; decides which operators and values it takes.</summary>
public enum SegmentFieldKind
{
    Text,
    Choice,
    Date,
    Money,
    Count,
    Bought,
    Events,
}

/// <summary>One allow-listed field of a segment rule. The name is the only thing of a rule that selects a
/// column, and it is only ever looked up here; it never reaches SQL text.</summary>
public sealed record SegmentField(string Name, SegmentFieldKind Kind, string Label, IReadOnlyList<string> Operators, IReadOnlyList<string>? Choices = null);

public static class SegmentOperators
{
    public const string EqualsTo = "equals";
    public const string NotEquals = "notEquals";
    public const string In = "in";
    public const string NotIn = "notIn";
    public const string Contains = "contains";
    public const string Empty = "empty";
    public const string NotEmpty = "notEmpty";
    public const string WithinDays = "withinDays";
    public const string NotWithinDays = "notWithinDays";
    public const string GreaterThan = "gt";
    public const string GreaterOrEqual = "gte";
    public const string LessThan = "lt";
    public const string LessOrEqual = "lte";
    public const string Bought = "bought";
    public const string NotBought = "notBought";
}

/// <summary>The allow-list of rule fields (docs/segments.md).</summary>
public static class SegmentFields
{
    private static readonly string[] TextOperators =
    [
        SegmentOperators.EqualsTo, SegmentOperators.NotEquals, SegmentOperators.In, SegmentOperators.NotIn,
        SegmentOperators.Contains, SegmentOperators.Empty, SegmentOperators.NotEmpty,
    ];

    private static readonly string[] ChoiceOperators = [SegmentOperators.EqualsTo, SegmentOperators.NotEquals, SegmentOperators.In, SegmentOperators.NotIn];

    private static readonly string[] DateOperators =
        [SegmentOperators.WithinDays, SegmentOperators.NotWithinDays, SegmentOperators.Empty, SegmentOperators.NotEmpty];

    private static readonly string[] NumberOperators =
    [
        SegmentOperators.EqualsTo, SegmentOperators.NotEquals, SegmentOperators.GreaterThan, SegmentOperators.GreaterOrEqual,
        SegmentOperators.LessThan, SegmentOperators.LessOrEqual,
    ];

    private static readonly string[] BoughtOperators = [SegmentOperators.Bought, SegmentOperators.NotBought];

    public const string Name = "name";
    public const string Email = "email";
    public const string Phone = "phone";
    public const string City = "city";
    public const string Region = "region";
    public const string Country = "country";
    public const string PostalCode = "postalCode";
    public const string Source = "source";
    public const string Tag = "tag";
    public const string Gender = "gender";
    public const string EmailConsent = "emailConsent";
    public const string SmsConsent = "smsConsent";
    public const string RfmSegment = "rfmSegment";
    public const string CreatedAt = "createdAt";
    public const string FirstPurchaseAt = "firstPurchaseAt";
    public const string LastPurchaseAt = "lastPurchaseAt";
    public const string TotalSpent = "totalSpent";
    public const string OrderCount = "orderCount";
    public const string BoughtProduct = "boughtProduct";
    public const string BoughtCategory = "boughtCategory";
    public const string EventCount = "eventCount";

    public static IReadOnlyList<SegmentField> All { get; } =
    [
        new(Name, SegmentFieldKind.Text, "Name", TextOperators),
        new(Email, SegmentFieldKind.Text, "Email", TextOperators),
        new(Phone, SegmentFieldKind.Text, "Phone", TextOperators),
        new(City, SegmentFieldKind.Text, "City", TextOperators),
        new(Region, SegmentFieldKind.Text, "Region", TextOperators),
        new(Country, SegmentFieldKind.Text, "Country", TextOperators),
        new(PostalCode, SegmentFieldKind.Text, "Postal code", TextOperators),
        new(Source, SegmentFieldKind.Text, "Source", TextOperators),
        new(Tag, SegmentFieldKind.Text, "Tag", [SegmentOperators.EqualsTo, SegmentOperators.In, SegmentOperators.NotIn, SegmentOperators.Empty, SegmentOperators.NotEmpty]),
        new(Gender, SegmentFieldKind.Choice, "Gender", ChoiceOperators, Enum.GetNames<Gender>()),
        new(EmailConsent, SegmentFieldKind.Choice, "Email consent", ChoiceOperators, Enum.GetNames<ConsentState>()),
        new(SmsConsent, SegmentFieldKind.Choice, "SMS consent", ChoiceOperators, Enum.GetNames<ConsentState>()),
        new(RfmSegment, SegmentFieldKind.Choice, "RFM segment",
            [SegmentOperators.EqualsTo, SegmentOperators.In, SegmentOperators.NotIn, SegmentOperators.Empty, SegmentOperators.NotEmpty],
            Enum.GetNames<RfmSegment>()),
        new(CreatedAt, SegmentFieldKind.Date, "Created", DateOperators),
        new(FirstPurchaseAt, SegmentFieldKind.Date, "First purchase", DateOperators),
        new(LastPurchaseAt, SegmentFieldKind.Date, "Last purchase", DateOperators),
        new(TotalSpent, SegmentFieldKind.Money, "Total spent", NumberOperators),
        new(OrderCount, SegmentFieldKind.Count, "Orders", NumberOperators),
        new(BoughtProduct, SegmentFieldKind.Bought, "Bought product (SKU)", BoughtOperators),
        new(BoughtCategory, SegmentFieldKind.Bought, "Bought category", BoughtOperators),
        new(EventCount, SegmentFieldKind.Events, "Event count", NumberOperators),
    ];

    private static readonly Dictionary<string, SegmentField> ByName = All.ToDictionary(f => f.Name, StringComparer.Ordinal);

    public static SegmentField? Find(string name) => ByName.GetValueOrDefault(name);
}
