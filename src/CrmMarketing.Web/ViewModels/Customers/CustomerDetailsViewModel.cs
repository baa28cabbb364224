using CrmMarketing.Web.Domain;

namespace CrmMarketing.Web.ViewModels.Customers;

public sealed record CustomerProfileViewModel(
    int Id,
    string Name,
    string? Email,
    string? Phone,
    Gender Gender,
    DateOnly? BirthDate,
    string? Address,
    string? City,
    string? Region,
    string? Country,
    string? PostalCode,
    string? Source,
    string? ExternalId,
    IReadOnlyList<string> Tags,
    ConsentState EmailConsent,
    DateTime? EmailConsentAt,
    string? EmailConsentSource,
    ConsentState SmsConsent,
    DateTime? SmsConsentAt,
    string? SmsConsentSource,
    DateTime CreatedAt,
    string? CreatedBy,
    DateTime UpdatedAt,
    string? UpdatedBy,
    bool IsArchived,
    DateTime? ArchivedAt,
    DateTime? ErasedAt = null);

public sealed record CustomerKpisViewModel(int Orders, decimal TotalSpent, DateTime? FirstPurchaseAt, DateTime? LastPurchaseAt)
{
    public decimal? AverageOrderValue => Orders == 0 ? null : decimal.Round(TotalSpent / Orders, 2);
}

public sealed record PurchaseLineViewModel(string Sku, string ProductName, string? Category, int Quantity, decimal UnitPrice, decimal Amount);

public sealed record PurchaseViewModel(
    int Id,
    string OrderNumber,
    DateTime PurchasedAt,
    PurchaseChannel Channel,
    string? CouponCode,
    decimal Total,
    IReadOnlyList<PurchaseLineViewModel> Lines);

public sealed record PagedList<T>(IReadOnlyList<T> Items, int Page, int PageSize, int TotalCount)
{
    public int PageCount => Math.Max(1, (TotalCount + PageSize - 1) / PageSize);
    public bool HasPrevious => Page > 1;
    public bool HasNext => Page < PageCount;
}

public sealed record ConsentChangeViewModel(
    ConsentChannel Channel,
    ConsentState State,
    DateTime ChangedAt,
    string Source,
    string? ChangedBy,
    string? Evidence);

public sealed class CustomerDetailsViewModel
{
    public required CustomerProfileViewModel Profile { get; init; }
    public required CustomerKpisViewModel Kpis { get; init; }
    public required PagedList<PurchaseViewModel> Purchases { get; init; }
    public required TimelineViewModel Timeline { get; init; }

    /// <summary>The newest consent ledger rows first (at most <see cref="Services.Customers.CustomerService.ConsentHistoryLimit"/>).</summary>
    public IReadOnlyList<ConsentChangeViewModel> ConsentHistory { get; init; } = [];
    public NoteFormModel NewNote { get; init; } = new();
    public CallFormModel NewCall { get; set; } = new();

    /// <summary>Favourite categories, usual day and time, predicted next purchase; filled in by the controller.</summary>
    public CustomerHabitsViewModel? Habits { get; set; }

    /// <summary>Products the customer has not bought yet, best first, with their reasons; filled in by the controller.</summary>
    public IReadOnlyList<CrmMarketing.Web.Services.Analytics.ProductRecommendation> Recommendations { get; set; } = [];
}
