namespace CrmMarketing.Web.ViewModels.Customers;

public enum HourBand
{
    Night = 0,
    Morning = 1,
    Afternoon = 2,
    Evening = 3,
}

public sealed record FavouriteCategory(string Category, decimal Spent);

/// <summary>One customer's habits for the details page. Dates are UTC; the window is null under three orders.</summary>
public sealed class CustomerHabitsViewModel
{
    public const int MinimumOrdersForPrediction = 3;

    public required IReadOnlyList<FavouriteCategory> FavouriteCategories { get; init; }

    public DayOfWeek? UsualDay { get; init; }

    public HourBand? UsualHourBand { get; init; }

    public required int Orders { get; init; }

    /// <summary>Last order plus the median gap between the customer's orders.</summary>
    public DateTime? ExpectedNextPurchase { get; init; }

    /// <summary>Last order plus the lower and upper quartile of the gaps.</summary>
    public DateTime? WindowFrom { get; init; }

    public DateTime? WindowTo { get; init; }

    public decimal? MedianGapDays { get; init; }
}
