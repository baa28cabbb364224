using CrmMarketing.Web.Data;
using CrmMarketing.Web.ViewModels.Dashboard;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.Web.Services.Analytics;

/// <summary>The home dashboard's headline figures; every number is aggregated in the database.</summary>
public sealed class DashboardService(CrmDbContext db, TimeProvider time)
{
    public async Task<DashboardViewModel> GetAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var last30 = now.AddDays(-30);
        var previous30 = now.AddDays(-60);
        var firstMonth = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(-11);

        var active = await db.Customers.CountAsync(c => !c.IsArchived, ct);
        var newCustomers = await db.Customers.CountAsync(c => !c.IsArchived && c.CreatedAt >= last30, ct);
        var recent = await db.Purchases.Where(p => p.PurchasedAt >= previous30 && p.PurchasedAt <= now)
            .GroupBy(p => p.PurchasedAt >= last30)
            .Select(g => new { Current = g.Key, Revenue = g.Sum(p => p.Total), Orders = g.Count(p => p.Total >= 0) })
            .ToListAsync(ct);

        var monthly = await db.Purchases.Where(p => p.PurchasedAt >= firstMonth)
            .GroupBy(p => new { p.PurchasedAt.Year, p.PurchasedAt.Month })
            .Select(g => new MonthlyRevenuePoint(g.Key.Year, g.Key.Month, g.Sum(p => p.Total), g.Count(p => p.Total >= 0)))
            .ToListAsync(ct);
        var months = Enumerable.Range(0, 12).Select(i => firstMonth.AddMonths(i))
            .Select(m => monthly.FirstOrDefault(x => x.Year == m.Year && x.Month == m.Month) ?? new MonthlyRevenuePoint(m.Year, m.Month, 0, 0))
            .ToList();

        var cities = await db.Customers.Where(c => !c.IsArchived && c.City != null)
            .GroupBy(c => c.City!)
            .Select(g => new { City = g.Key, Customers = g.Count(), Revenue = g.Sum(c => c.TotalSpent) })
            .OrderByDescending(c => c.Revenue).Take(8)
            .ToListAsync(ct);

        return new DashboardViewModel
        {
            ActiveCustomers = active,
            NewCustomersLast30Days = newCustomers,
            RevenueLast30Days = recent.Where(r => r.Current).Sum(r => r.Revenue),
            RevenuePrevious30Days = recent.Where(r => !r.Current).Sum(r => r.Revenue),
            OrdersLast30Days = recent.Where(r => r.Current).Sum(r => r.Orders),
            RevenueByMonth = months,
            TopCities = cities.Select(c => new CityShare(c.City, c.Customers, c.Revenue)).ToList(),
        };
    }
}
