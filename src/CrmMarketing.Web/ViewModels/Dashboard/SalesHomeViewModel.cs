using CrmMarketing.Web.Domain;

namespace CrmMarketing.Web.ViewModels.Dashboard;

public sealed record SalesCustomerRow(int CustomerId, string Name, string? City, DateTime LastContact, int Contacts, DateTime? LastPurchaseAt, decimal TotalSpent);

public sealed record SalesCallRow(int Id, int CustomerId, string CustomerName, DateTime CalledAt, CallDirection Direction, CallOutcome Outcome, DateOnly? FollowUpOn);

public sealed record SalesFeedbackRow(int Id, int CustomerId, string CustomerName, DateTime CreatedAt, int Score, FeedbackStatus Status);

/// <summary>The home page of a Sales user: their own customers, calls, follow-ups and feedback.</summary>
public sealed class SalesHomeViewModel
{
    public required DateOnly Today { get; init; }
    public required IReadOnlyList<SalesCustomerRow> Customers { get; init; }
    public required IReadOnlyList<SalesCallRow> Calls { get; init; }
    public required IReadOnlyList<SalesCallRow> FollowUps { get; init; }
    public required IReadOnlyList<SalesFeedbackRow> Feedback { get; init; }
}
