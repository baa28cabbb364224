namespace CrmMarketing.Web.ViewModels.Dashboard;

public sealed record MonthlyRevenuePoint(int Year, int Month, decimal Revenue, int Orders);

public sealed record CityShare(string City, int Customers, decimal Revenue);

public sealed class DashboardViewModel
{
    public required int ActiveCustomers { get; init; }
    public required int NewCustomersLast30Days { get; init; }
    public required decimal RevenueLast30Days { get; init; }
    public required decimal RevenuePrevious30Days { get; init; }
    public required int OrdersLast30Days { get; init; }
    public required IReadOnlyList<MonthlyRevenuePoint> RevenueByMonth { get; init; }
    public required IReadOnlyList<CityShare> TopCities { get; init; }

    /// <summary>Change against the previous 30 days, as a fraction; null when there is nothing to compare.</summary>
    public decimal? RevenueChange => RevenuePrevious30Days == 0 ? null : (RevenueLast30Days - RevenuePrevious30Days) / RevenuePrevious30Days;
}

/// <summary>The chart series the view embeds as a JSON data block for wwwroot/js/dashboard.js.</summary>
public sealed record RevenueChartData(IReadOnlyList<string> Labels, IReadOnlyList<decimal> Revenue, IReadOnlyList<int> Orders, string RevenueLabel, string OrdersLabel);
