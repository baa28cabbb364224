using System.ComponentModel.DataAnnotations;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Customers;

namespace CrmMarketing.Web.ViewModels.Customers;

public enum CustomerSort
{
    Name = 0,
    Created = 1,
    LastPurchase = 2,
    TotalSpent = 3,
    Orders = 4,
}

public enum ConsentFilter
{
    Any = 0,
    EmailOptedIn = 1,
    EmailNotOptedIn = 2,
    SmsOptedIn = 3,
    SmsNotOptedIn = 4,
}

/// <summary>Which recipients of a marketing activity the list shows: one per step of the activity's funnel, with the
/// definitions of its metrics (docs/campaigns-metrics.md).</summary>
public enum ActivityReach
{
    /// <summary>Every recipient in the launch snapshot: treatment and holdout.</summary>
    Audience = 0,

    /// <summary>Recipients kept out of the sending to measure uplift.</summary>
    Holdout = 1,

    /// <summary>Treatment recipients with a contact time: a call logged or their message sent.</summary>
    Contacted = 2,

    /// <summary>Recipients whose message the dispatcher finished with: accepted or permanently failed.</summary>
    Sent = 3,

    /// <summary>Recipients whose message was accepted by the mail server or SMS gateway.</summary>
    Delivered = 4,

    /// <summary>Recipients who opened or clicked their message (suspected bots left out).</summary>
    Opened = 5,

    /// <summary>Recipients who clicked a link in their message (suspected bots left out).</summary>
    Clicked = 6,

    /// <summary>Contacted treatment recipients with a goal purchase within the window after their contact.</summary>
    Converted = 7,
}

/// <summary>The customer list's query string. Paging is by keyset: <see cref="After"/>/<see cref="Before"/>
/// are opaque cursors; <see cref="Page"/> is the page number shown (and the offset when no cursor is given).</summary>
public sealed class CustomerListQuery : IValidatableObject
{
    public static readonly int[] PageSizes = [25, 50, 100];
    public const int SearchMaxLength = 100;
    public const int MaxPage = 100_000;

    [StringLength(SearchMaxLength)]
    public string? Q { get; set; }

    [StringLength(Customer.CityMaxLength)]
    public string? City { get; set; }

    [StringLength(Customer.RegionMaxLength)]
    public string? Region { get; set; }

    [StringLength(Customer.CountryMaxLength)]
    public string? Country { get; set; }

    [StringLength(Customer.SourceMaxLength)]
    public string? Source { get; set; }

    [StringLength(CustomerTag.TagMaxLength)]
    public string? Tag { get; set; }

    public ConsentFilter Consent { get; set; }

    /// <summary>Customers in this RFM segment as last computed.</summary>
    public RfmSegment? Rfm { get; set; }

    [Range(1, 3650)]
    public int? PurchasedWithinDays { get; set; }

    /// <summary>Customers with a purchase on or after this day (display zone); with <see cref="PurchasedTo"/> a range.</summary>
    public DateOnly? PurchasedFrom { get; set; }

    /// <summary>Customers with a purchase on or before this day (display zone).</summary>
    public DateOnly? PurchasedTo { get; set; }

    /// <summary>Customers whose first purchase was on or after this day (display zone): "new customers".</summary>
    public DateOnly? FirstPurchaseFrom { get; set; }

    public DateOnly? FirstPurchaseTo { get; set; }

    /// <summary>Customers who bought this product (within the purchase range when one is given).</summary>
    [Range(1, int.MaxValue)]
    public int? Product { get; set; }

    /// <summary>Members of this saved segment (a dynamic segment's as of its last build).</summary>
    [Range(1, int.MaxValue)]
    public int? Segment { get; set; }

    /// <summary>Recipients of this marketing activity; <see cref="Reached"/> narrows them to one funnel step.</summary>
    [Range(1, int.MaxValue)]
    public int? Activity { get; set; }

    /// <summary>The funnel step of <see cref="Activity"/>; ignored without an activity.</summary>
    public ActivityReach? Reached { get; set; }

    public bool Archived { get; set; }

    public CustomerSort Sort { get; set; }

    public bool Desc { get; set; }

    public int Size { get; set; } = 25;

    [Range(1, MaxPage)]
    public int Page { get; set; } = 1;

    [StringLength(200)]
    public string? After { get; set; }

    [StringLength(200)]
    public string? Before { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!PageSizes.Contains(Size))
        {
            yield return ValidationText.Error(validationContext, nameof(Size), "Page size must be 25, 50 or 100.");
        }

        if (!Enum.IsDefined(Sort))
        {
            yield return ValidationText.Error(validationContext, nameof(Sort), "Unknown sort key.");
        }

        if (!Enum.IsDefined(Consent))
        {
            yield return ValidationText.Error(validationContext, nameof(Consent), "Unknown consent filter.");
        }

        if (Rfm is { } rfm && !Enum.IsDefined(rfm))
        {
            yield return ValidationText.Error(validationContext, nameof(Rfm), "Unknown RFM segment.");
        }

        if (Reached is { } reached && !Enum.IsDefined(reached))
        {
            yield return ValidationText.Error(validationContext, nameof(Reached), "Unknown funnel step.");
        }

        if (new[] { PurchasedFrom, PurchasedTo, FirstPurchaseFrom, FirstPurchaseTo }.Any(d => d is { Year: < 1900 or > 2999 }))
        {
            yield return ValidationText.Error(validationContext, nameof(PurchasedFrom), "Dates must lie between the years 1900 and 2999.");
        }

        if (PurchasedFrom > PurchasedTo)
        {
            yield return ValidationText.Error(validationContext, nameof(PurchasedTo), "The end of the range must not be before its start.");
        }

        if (FirstPurchaseFrom > FirstPurchaseTo)
        {
            yield return ValidationText.Error(validationContext, nameof(FirstPurchaseTo), "The end of the range must not be before its start.");
        }

        if (After is not null && Before is not null)
        {
            yield return ValidationText.Error(validationContext, nameof(After), "Give either a next or a previous cursor, not both.");
        }

        if ((After is not null && CustomerCursor.TryDecode(After, Sort) is null)
            || (Before is not null && CustomerCursor.TryDecode(Before, Sort) is null))
        {
            yield return ValidationText.Error(validationContext, nameof(After), "The paging cursor is not valid for this list.");
        }
    }

    /// <summary>The route values of this query with paging replaced; used by links.</summary>
    public Dictionary<string, string?> ToRouteValues(int? page = null, string? after = null, string? before = null,
        CustomerSort? sort = null, bool? desc = null, int? size = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["q"] = Q,
            ["city"] = City,
            ["region"] = Region,
            ["country"] = Country,
            ["source"] = Source,
            ["tag"] = Tag,
            ["consent"] = Consent == ConsentFilter.Any ? null : Consent.ToString(),
            ["rfm"] = Rfm?.ToString(),
            ["purchasedWithinDays"] = PurchasedWithinDays?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["purchasedFrom"] = PurchasedFrom?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["purchasedTo"] = PurchasedTo?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["firstPurchaseFrom"] = FirstPurchaseFrom?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["firstPurchaseTo"] = FirstPurchaseTo?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["product"] = Product?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["segment"] = Segment?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["activity"] = Activity?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["reached"] = Activity is null ? null : Reached?.ToString().ToLowerInvariant(),
            ["archived"] = Archived ? "true" : null,
            ["sort"] = (sort ?? Sort) == CustomerSort.Name ? null : (sort ?? Sort).ToString(),
            ["desc"] = (desc ?? Desc) ? "true" : null,
            ["size"] = (size ?? Size) == 25 ? null : (size ?? Size).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["page"] = page is null or 1 ? null : page.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["after"] = after,
            ["before"] = before,
        };
        return values.Where(kv => !string.IsNullOrEmpty(kv.Value)).ToDictionary(kv => kv.Key, kv => kv.Value);
    }
}
