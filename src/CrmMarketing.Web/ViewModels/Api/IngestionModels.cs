using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;

namespace CrmMarketing.Web.ViewModels.Api;

/// <summary>Limits of one API request.</summary>
public static class IngestionLimits
{
    public const int MaxBatchSize = 1000;
    public const int MaxLinesPerPurchase = 200;
    public const int MaxEventPropertiesLength = Domain.CustomerEvent.PropertiesMaxLength;

    /// <summary>How far in the future a purchase or event time may lie (clock skew between systems).</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromDays(1);
}

/// <summary>A batch of items. Every property of an item is optional in the schema (strings stay strings) so that
/// one bad item is reported on its own instead of failing the whole request.</summary>
public class BatchRequest<TItem>
{
    [Required]
    [MinLength(1)]
    [MaxLength(IngestionLimits.MaxBatchSize)]
    public List<TItem>? Items { get; set; }
}

public sealed class CustomerBatchRequest : BatchRequest<CustomerItem>
{
    /// <summary>Which field finds an existing customer: "email" (default), "phone" or "externalId".</summary>
    public string? MatchBy { get; set; }
}

/// <summary>A customer to create or update. Absent (or null) fields keep their stored value.</summary>
public sealed class CustomerItem
{
    public string? ExternalId { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public string? Name { get; set; }

    /// <summary>"female", "male", "other" or "unknown".</summary>
    public string? Gender { get; set; }

    public DateOnly? BirthDate { get; set; }
    public string? Address { get; set; }
    public string? City { get; set; }
    public string? Region { get; set; }
    public string? Country { get; set; }
    public string? PostalCode { get; set; }
    public string? Source { get; set; }

    /// <summary>When present, replaces the customer's tags.</summary>
    public List<string>? Tags { get; set; }

    /// <summary>"optedIn", "optedOut" or "unknown"; a change is written to the consent history.</summary>
    public string? EmailConsent { get; set; }

    public string? SmsConsent { get; set; }
}

/// <summary>Who a purchase or event belongs to: the first of these that is present is used.</summary>
public abstract class CustomerReference
{
    public int? CustomerId { get; set; }
    public string? CustomerExternalId { get; set; }
    public string? CustomerEmail { get; set; }
    public string? CustomerPhone { get; set; }
}

public sealed class PurchaseItem : CustomerReference
{
    /// <summary>Unique per purchase; sending the same order number again is a no-op (idempotency).</summary>
    public string? OrderNumber { get; set; }

    /// <summary>ISO 8601; without an offset the time is UTC.</summary>
    [JsonConverter(typeof(UtcDefaultDateTimeOffsetConverter))]
    public DateTimeOffset? PurchasedAt { get; set; }

    /// <summary>"online" (default), "store", "phone", "marketplace" or "other".</summary>
    public string? Channel { get; set; }

    public string? CouponCode { get; set; }
    public List<PurchaseLineItem>? Lines { get; set; }
}

public sealed class PurchaseLineItem
{
    public string? Sku { get; set; }

    /// <summary>Negative for a returned item.</summary>
    public int? Quantity { get; set; }

    /// <summary>Defaults to the product's list price.</summary>
    public decimal? UnitPrice { get; set; }
}

public sealed class EventItem : CustomerReference
{
    /// <summary>snake_case, e.g. page_view, product_view, cart_add, search, store_visit, email_open.</summary>
    public string? Type { get; set; }

    /// <summary>ISO 8601; without an offset the time is UTC.</summary>
    [JsonConverter(typeof(UtcDefaultDateTimeOffsetConverter))]
    public DateTimeOffset? OccurredAt { get; set; }
    public string? Source { get; set; }

    /// <summary>A small JSON object (at most 4,000 characters).</summary>
    public JsonElement? Properties { get; set; }
}

/// <summary>What happened to one accepted item: "created", "updated" or (purchases) "exists".</summary>
public sealed record ItemResult(int Index, string Status, long Id)
{
    /// <summary>Other customers with the same email or phone, for review in the duplicate finder.</summary>
    public IReadOnlyList<int>? PossibleDuplicates { get; init; }
}

/// <summary>Why one item was rejected. <see cref="Field"/> is the JSON path inside the item, e.g. "lines[1].sku".</summary>
public sealed record ItemError(int Index, string Field, string Message);

public static class ItemStatus
{
    public const string Created = "created";
    public const string Updated = "updated";
    public const string Exists = "exists";
}

/// <summary>The answer when every item was accepted.</summary>
public sealed class BatchResponse
{
    public int Received { get; init; }
    public int Accepted { get; init; }
    public int Rejected { get; init; }
    public IReadOnlyList<ItemResult> Results { get; init; } = [];
}

/// <summary>The answer (422) when some or all items were rejected: the accepted ones are stored and listed
/// in <see cref="Results"/>, the rejected ones in <see cref="Errors"/>.</summary>
public sealed class BatchProblemDetails : ProblemDetails
{
    public int Received { get; init; }
    public int Accepted { get; init; }
    public int Rejected { get; init; }
    public IReadOnlyList<ItemResult> Results { get; init; } = [];
    public IReadOnlyList<ItemError> Errors { get; init; } = [];
}
