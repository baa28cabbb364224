using System.Globalization;
using System.Security.Cryptography;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Audit;
using CrmMarketing.Web.Services.Formatting;
using CrmMarketing.Web.ViewModels.Customers;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.Web.Services.Customers;

public enum PurchaseOutcome
{
    Saved,
    CustomerNotFound,
    UnknownProduct,
    DuplicateOrderNumber,
}

public sealed record PurchaseResult(PurchaseOutcome Outcome, int PurchaseId = 0);

/// <summary>Records purchases and keeps the customer's cached aggregates exact.</summary>
public sealed class PurchaseService(CrmDbContext db, TimeProvider time, DisplayFormatter formatter, AuditService audit)
{
    public async Task<PurchaseCreateViewModel?> GetCreateAsync(int customerId, PurchaseFormModel? form, CancellationToken ct)
    {
        var name = await db.Customers.AsNoTracking().Where(c => c.Id == customerId).Select(c => c.Name).SingleOrDefaultAsync(ct);
        if (name is null)
        {
            return null;
        }

        if (form is null)
        {
            var local = formatter.ToLocal(time.GetUtcNow().UtcDateTime);
            form = new PurchaseFormModel
            {
                PurchasedAt = new DateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute, 0, DateTimeKind.Unspecified),
                Lines = [new(), new(), new()],
            };
        }

        return new PurchaseCreateViewModel
        {
            CustomerId = customerId,
            CustomerName = name,
            Form = form,
            Products = await db.Products.AsNoTracking().Where(p => p.IsActive).OrderBy(p => p.Name)
                .Select(p => new ProductOption(p.Id, p.Sku, p.Name, p.ListPrice)).ToListAsync(ct),
        };
    }

    /// <summary>Records a purchase; the form's time is wall-clock time in the display zone.</summary>
    public async Task<PurchaseResult> RecordAsync(int customerId, PurchaseFormModel form, Actor actor, CancellationToken ct)
    {
        var purchasedAtUtc = formatter.ToUtc(form.PurchasedAt!.Value);
        if (!await db.Customers.AnyAsync(c => c.Id == customerId, ct))
        {
            return new PurchaseResult(PurchaseOutcome.CustomerNotFound);
        }

        var lines = form.Lines.Where(l => !l.IsEmpty).ToList();
        var productIds = lines.Select(l => l.ProductId!.Value).Distinct().ToList();
        var prices = await db.Products.AsNoTracking().Where(p => productIds.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, p => p.ListPrice, ct);
        if (prices.Count != productIds.Count)
        {
            return new PurchaseResult(PurchaseOutcome.UnknownProduct);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var orderNumber = string.IsNullOrWhiteSpace(form.OrderNumber)
            // 40 random bits after the date: a clash needs about a million orders in one day.
            ? $"SO-{now:yyyyMMdd}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(5))}"
            : form.OrderNumber.Trim();
        if (await db.Purchases.AnyAsync(p => p.OrderNumber == orderNumber, ct))
        {
            return new PurchaseResult(PurchaseOutcome.DuplicateOrderNumber);
        }

        var purchase = new Purchase
        {
            OrderNumber = orderNumber,
            CustomerId = customerId,
            PurchasedAt = purchasedAtUtc,
            Channel = form.Channel,
            // Coupon codes are upper-case, as on activities, so that a purchase matches its activity's code exactly.
            CouponCode = string.IsNullOrWhiteSpace(form.CouponCode) ? null : form.CouponCode.Trim().ToUpperInvariant(),
            CreatedAt = now,
            CreatedBy = actor.Name,
        };
        foreach (var line in lines)
        {
            var unitPrice = line.UnitPrice ?? prices[line.ProductId!.Value];
            purchase.Lines.Add(new PurchaseLine
            {
                ProductId = line.ProductId!.Value,
                Quantity = line.Quantity!.Value,
                UnitPrice = unitPrice,
                Amount = decimal.Round(unitPrice * line.Quantity.Value, 4),
            });
        }

        purchase.Total = purchase.Lines.Sum(l => l.Amount);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Purchases.Add(purchase);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Only a concurrent insert of the same order number gets here after the check above.
            await tx.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            if (await db.Purchases.AnyAsync(p => p.OrderNumber == orderNumber, ct))
            {
                return new PurchaseResult(PurchaseOutcome.DuplicateOrderNumber);
            }

            throw;
        }

        await RecomputeAggregatesAsync(db, customerId, ct);
        await audit.RecordAsync(AuditActions.PurchaseRecorded, AuditEntityTypes.Purchase, purchase.Id.ToString(CultureInfo.InvariantCulture),
        [
            new("CustomerId", null, customerId.ToString(CultureInfo.InvariantCulture)),
            new(nameof(Purchase.OrderNumber), null, orderNumber),
            new(nameof(Purchase.Total), null, purchase.Total.ToString(CultureInfo.InvariantCulture)),
        ], ct, actor.ForAudit());
        await tx.CommitAsync(ct);
        return new PurchaseResult(PurchaseOutcome.Saved, purchase.Id);
    }

    /// <summary>Recomputes first/last purchase, order count and total spent from the purchases themselves,
    /// in one set-based statement, so the cache can never drift. Returns (negative totals) lower the total
    /// spent but are not orders.</summary>
    public static Task<int> RecomputeAggregatesAsync(CrmDbContext db, int customerId, CancellationToken ct) =>
        db.Customers.Where(c => c.Id == customerId).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.OrderCount, c => db.Purchases.Count(p => p.CustomerId == c.Id && p.Total >= 0))
            .SetProperty(c => c.TotalSpent, c => db.Purchases.Where(p => p.CustomerId == c.Id).Sum(p => p.Total))
            .SetProperty(c => c.FirstPurchaseAt, c => db.Purchases.Where(p => p.CustomerId == c.Id && p.Total >= 0).Min(p => (DateTime?)p.PurchasedAt))
            .SetProperty(c => c.LastPurchaseAt, c => db.Purchases.Where(p => p.CustomerId == c.Id && p.Total >= 0).Max(p => (DateTime?)p.PurchasedAt)),
            ct);

    /// <summary>The same rule for many customers in one statement (imports): one grouped pass over their purchases.</summary>
    public static Task<int> RecomputeAggregatesAsync(CrmDbContext db, IReadOnlyCollection<int> customerIds, CancellationToken ct)
    {
        var ids = customerIds as List<int> ?? customerIds.ToList();
        return db.Customers.Where(c => ids.Contains(c.Id)).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.OrderCount, c => db.Purchases.Count(p => p.CustomerId == c.Id && p.Total >= 0))
            .SetProperty(c => c.TotalSpent, c => db.Purchases.Where(p => p.CustomerId == c.Id).Sum(p => p.Total))
            .SetProperty(c => c.FirstPurchaseAt, c => db.Purchases.Where(p => p.CustomerId == c.Id && p.Total >= 0).Min(p => (DateTime?)p.PurchasedAt))
            .SetProperty(c => c.LastPurchaseAt, c => db.Purchases.Where(p => p.CustomerId == c.Id && p.Total >= 0).Max(p => (DateTime?)p.PurchasedAt)),
            ct);
    }
}
