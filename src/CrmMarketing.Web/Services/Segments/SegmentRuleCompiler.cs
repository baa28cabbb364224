using System.Linq.Expressions;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.Web.Services.Segments;

/// <summary>Turns a validated rule into one predicate over <see cref="Customer"/> that EF Core translates into
/// the WHERE clause of a single SQL statement. Columns come only from the fixed selectors below, chosen by the
/// allow-listed field; every value the user typed is captured in a closure, which EF Core sends as a parameter.</summary>
public sealed class SegmentRuleCompiler(CrmDbContext db, TimeProvider time)
{
    private const char LikeEscape = '\\';

    private static readonly Dictionary<string, Expression<Func<Customer, string?>>> TextColumns = new(StringComparer.Ordinal)
    {
        [SegmentFields.Name] = c => c.Name,
        [SegmentFields.Email] = c => c.Email,
        [SegmentFields.Phone] = c => c.Phone,
        [SegmentFields.City] = c => c.City,
        [SegmentFields.Region] = c => c.Region,
        [SegmentFields.Country] = c => c.Country,
        [SegmentFields.PostalCode] = c => c.PostalCode,
        [SegmentFields.Source] = c => c.Source,
    };

    private static readonly Dictionary<string, Expression<Func<Customer, DateTime?>>> DateColumns = new(StringComparer.Ordinal)
    {
        [SegmentFields.CreatedAt] = c => c.CreatedAt,
        [SegmentFields.FirstPurchaseAt] = c => c.FirstPurchaseAt,
        [SegmentFields.LastPurchaseAt] = c => c.LastPurchaseAt,
    };

    /// <summary>Active (not archived) customers matching the rule.</summary>
    public IQueryable<Customer> Matching(SegmentRuleGroup rule) =>
        db.Customers.AsNoTracking().Where(c => !c.IsArchived).Where(Compile(rule));

    public Expression<Func<Customer, bool>> Compile(SegmentRuleGroup rule)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return Group(rule, now);
    }

    private Expression<Func<Customer, bool>> Group(SegmentRuleGroup group, DateTime now)
    {
        Expression<Func<Customer, bool>>? result = null;
        foreach (var child in group.Children)
        {
            var next = child switch
            {
                SegmentRuleGroup g => Group(g, now),
                SegmentRuleCondition c => Condition(c, now),
                _ => throw new ArgumentOutOfRangeException(nameof(group), child.GetType().Name, null),
            };
            result = result is null ? next : Combine(result, next, group.MatchAll);
        }

        return result ?? (c => true);
    }

    private Expression<Func<Customer, bool>> Condition(SegmentRuleCondition condition, DateTime now)
    {
        var field = condition.Field;
        var op = condition.Operator;
        switch (field.Name)
        {
            case var name when TextColumns.TryGetValue(name, out var column):
                return Apply(column, TextPredicate(op, condition.Texts));
            case SegmentFields.Tag:
                return Tag(op, condition.Texts);
            case SegmentFields.Gender:
                return Apply(c => (int)c.Gender, ChoicePredicate(op, Codes<Gender>(condition.Texts)));
            case SegmentFields.EmailConsent:
                return Apply(c => (int)c.EmailConsent, ChoicePredicate(op, Codes<ConsentState>(condition.Texts)));
            case SegmentFields.SmsConsent:
                return Apply(c => (int)c.SmsConsent, ChoicePredicate(op, Codes<ConsentState>(condition.Texts)));
            case SegmentFields.RfmSegment:
                return Rfm(op, Enums<RfmSegment>(condition.Texts));
            case var name when DateColumns.TryGetValue(name, out var column):
                return Apply(column, DatePredicate(op, now.AddDays(-condition.Days.GetValueOrDefault())));
            case SegmentFields.TotalSpent:
                return Apply(c => c.TotalSpent, NumberPredicate(op, condition.Number!.Value));
            case SegmentFields.OrderCount:
                return Apply(c => c.OrderCount, NumberPredicate(op, (int)condition.Number!.Value));
            case SegmentFields.BoughtProduct:
            case SegmentFields.BoughtCategory:
                return Bought(field.Name == SegmentFields.BoughtCategory, condition.Texts[0],
                    condition.Days is { } days ? now.AddDays(-days) : null, op == SegmentOperators.NotBought);
            case SegmentFields.EventCount:
                return Events(condition.EventType!, now.AddDays(-condition.Days!.Value), op, (int)condition.Number!.Value);
            default:
                throw new ArgumentOutOfRangeException(nameof(condition), field.Name, "A field of the allow-list has no column.");
        }
    }

    private static Expression<Func<string?, bool>> TextPredicate(string op, IReadOnlyList<string> texts)
    {
        var value = texts.Count > 0 ? texts[0] : string.Empty;
        var list = texts.ToList();
        switch (op)
        {
            case SegmentOperators.EqualsTo:
                return x => x == value;
            case SegmentOperators.NotEquals:
                return x => x != value;
            case SegmentOperators.In:
                return x => list.Contains(x!);
            case SegmentOperators.NotIn:
                return x => x == null || !list.Contains(x);
            case SegmentOperators.Contains:
                // LIKE is case-insensitive for ASCII in SQLite; the typed text is escaped so % and _ match themselves.
                var pattern = "%" + EscapeLike(value) + "%";
                return x => EF.Functions.Like(x, pattern, LikeEscape.ToString());
            case SegmentOperators.Empty:
                return x => x == null || x == "";
            case SegmentOperators.NotEmpty:
                return x => x != null && x != "";
            default:
                throw new ArgumentOutOfRangeException(nameof(op), op, null);
        }
    }

    /// <summary>Enums are stored as their numbers, so they are compared as numbers.</summary>
    private static Expression<Func<int, bool>> ChoicePredicate(string op, List<int> values)
    {
        var value = values[0];
        return op switch
        {
            SegmentOperators.EqualsTo => x => x == value,
            SegmentOperators.NotEquals => x => x != value,
            SegmentOperators.In => x => values.Contains(x),
            SegmentOperators.NotIn => x => !values.Contains(x),
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
        };
    }

    private static Expression<Func<DateTime?, bool>> DatePredicate(string op, DateTime since) => op switch
    {
        SegmentOperators.WithinDays => x => x >= since,
        // More than N days ago; a missing date is neither within nor before.
        SegmentOperators.NotWithinDays => x => x < since,
        SegmentOperators.Empty => x => x == null,
        SegmentOperators.NotEmpty => x => x != null,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    private static Expression<Func<decimal, bool>> NumberPredicate(string op, decimal value) => op switch
    {
        SegmentOperators.EqualsTo => x => x == value,
        SegmentOperators.NotEquals => x => x != value,
        SegmentOperators.GreaterThan => x => x > value,
        SegmentOperators.GreaterOrEqual => x => x >= value,
        SegmentOperators.LessThan => x => x < value,
        SegmentOperators.LessOrEqual => x => x <= value,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    private static Expression<Func<int, bool>> NumberPredicate(string op, int value) => op switch
    {
        SegmentOperators.EqualsTo => x => x == value,
        SegmentOperators.NotEquals => x => x != value,
        SegmentOperators.GreaterThan => x => x > value,
        SegmentOperators.GreaterOrEqual => x => x >= value,
        SegmentOperators.LessThan => x => x < value,
        SegmentOperators.LessOrEqual => x => x <= value,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    private static Expression<Func<Customer, bool>> Tag(string op, IReadOnlyList<string> texts)
    {
        // Tags are stored lower-cased (CustomerService normalises them).
        var tags = texts.Select(t => t.ToLowerInvariant()).ToList();
        return op switch
        {
            SegmentOperators.EqualsTo or SegmentOperators.In => c => c.Tags.Any(t => tags.Contains(t.Tag)),
            SegmentOperators.NotIn => c => !c.Tags.Any(t => tags.Contains(t.Tag)),
            SegmentOperators.Empty => c => !c.Tags.Any(),
            SegmentOperators.NotEmpty => c => c.Tags.Any(),
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
        };
    }

    private Expression<Func<Customer, bool>> Rfm(string op, List<RfmSegment> segments)
    {
        var scores = db.CustomerRfm;
        return op switch
        {
            SegmentOperators.EqualsTo or SegmentOperators.In => c => scores.Any(r => r.CustomerId == c.Id && segments.Contains(r.Segment)),
            SegmentOperators.NotIn => c => !scores.Any(r => r.CustomerId == c.Id && segments.Contains(r.Segment)),
            SegmentOperators.Empty => c => !scores.Any(r => r.CustomerId == c.Id),
            SegmentOperators.NotEmpty => c => scores.Any(r => r.CustomerId == c.Id),
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
        };
    }

    /// <summary>Bought (a line with a positive quantity) a product by SKU or anything in a category, ever or since a time.
    /// A SKU is one product, so its id is sought within each purchase's lines (PurchaseId, ProductId). A category has
    /// many products: an IN list of their ids would make SQLite seek every one of them in every purchase's lines, so
    /// the purchase's few lines are read instead and each line's product is looked up by its key.</summary>
    private Expression<Func<Customer, bool>> Bought(bool byCategory, string value, DateTime? since, bool negate)
    {
        var lines = byCategory
            ? db.PurchaseLines.Where(l => l.Quantity > 0 && l.Product!.Category == value)
            : db.PurchaseLines.Where(l => l.Quantity > 0 && db.Products.Where(p => p.Sku == value).Select(p => p.Id).Contains(l.ProductId));
        Expression<Func<Customer, bool>> bought = since is { } from
            ? c => c.Purchases.Any(p => p.PurchasedAt >= from && lines.Any(l => l.PurchaseId == p.Id))
            : c => c.Purchases.Any(p => lines.Any(l => l.PurchaseId == p.Id));
        return negate ? Not(bought) : bought;
    }

    private static Expression<Func<Customer, bool>> Events(string type, DateTime since, string op, int count) =>
        Apply(c => c.Events.Count(e => e.Type == type && e.OccurredAt >= since), NumberPredicate(op, count));

    private static List<int> Codes<T>(IReadOnlyList<string> names)
        where T : struct, Enum => names.Select(n => Convert.ToInt32(Enum.Parse<T>(n, ignoreCase: false), System.Globalization.CultureInfo.InvariantCulture)).ToList();

    private static List<T> Enums<T>(IReadOnlyList<string> names)
        where T : struct, Enum => names.Select(n => Enum.Parse<T>(n, ignoreCase: false)).ToList();

    internal static string EscapeLike(string value) => value
        .Replace(LikeEscape.ToString(), new string(LikeEscape, 2), StringComparison.Ordinal)
        .Replace("%", LikeEscape + "%", StringComparison.Ordinal)
        .Replace("_", LikeEscape + "_", StringComparison.Ordinal);

    /// <summary>predicate(selector(c)) as one lambda over the customer.</summary>
    private static Expression<Func<Customer, bool>> Apply<T>(Expression<Func<Customer, T>> selector, Expression<Func<T, bool>> predicate)
    {
        var body = new Replace(predicate.Parameters[0], selector.Body).Visit(predicate.Body)!;
        return Expression.Lambda<Func<Customer, bool>>(body, selector.Parameters);
    }

    private static Expression<Func<Customer, bool>> Combine(Expression<Func<Customer, bool>> left, Expression<Func<Customer, bool>> right, bool and)
    {
        var rightBody = new Replace(right.Parameters[0], left.Parameters[0]).Visit(right.Body)!;
        var body = and ? Expression.AndAlso(left.Body, rightBody) : Expression.OrElse(left.Body, rightBody);
        return Expression.Lambda<Func<Customer, bool>>(body, left.Parameters);
    }

    private static Expression<Func<Customer, bool>> Not(Expression<Func<Customer, bool>> predicate) =>
        Expression.Lambda<Func<Customer, bool>>(Expression.Not(predicate.Body), predicate.Parameters);

    private sealed class Replace(Expression from, Expression to) : ExpressionVisitor
    {
        public override Expression? Visit(Expression? node) => node == from ? to : base.Visit(node);
    }
}
