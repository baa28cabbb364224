using System.Collections.Concurrent;
using System.Linq.Expressions;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.ViewModels.Customers;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.Web.Services.Customers;

/// <summary>Which index range a search term scans.</summary>
public enum CustomerSearchKind
{
    None,
    Email,
    Phone,
    Name,
    NameOrEmail,
}

/// <summary>A search term read the way the list searches: an index range [From, To) on one or two keys.</summary>
public readonly record struct CustomerSearch(CustomerSearchKind Kind, string From, string To)
{
    /// <summary>Email when the term has an @, phone when it is made of digits, otherwise name or email
    /// (name only when the term cannot begin an email, so SQLite can walk the name index in order).</summary>
    public static CustomerSearch Parse(string? term)
    {
        term = term?.Trim();
        if (string.IsNullOrEmpty(term))
        {
            return new(CustomerSearchKind.None, "", "");
        }

        var key = Customer.KeyOf(term);
        if (term.Contains('@'))
        {
            return new(CustomerSearchKind.Email, key, CustomerKeyset.PrefixUpperBound(key));
        }

        if (ContactNormalizer.LooksLikePhone(term))
        {
            var prefix = ContactNormalizer.PhoneSearchPrefix(term)!;
            return new(CustomerSearchKind.Phone, prefix, CustomerKeyset.PrefixUpperBound(prefix));
        }

        return new(key.All(char.IsAscii) ? CustomerSearchKind.NameOrEmail : CustomerSearchKind.Name, key, CustomerKeyset.PrefixUpperBound(key));
    }
}

/// <summary>Whether and how a page starts after a cursor.</summary>
public enum CustomerSeek
{
    None,
    AfterValue,
    AfterNull,
}

/// <summary>The values one customer-list query binds. The list's predicates are written once against this class;
/// <see cref="CustomerListQueries"/> either binds them to an instance (composable LINQ, any filters) or turns
/// each property into a parameter of an EF compiled query (the common shapes).</summary>
public sealed class CustomerListArgs
{
    public bool Archived { get; init; }
    public string SearchFrom { get; init; } = "";
    public string SearchTo { get; init; } = "";
    public string SeekText { get; init; } = "";
    public DateTime SeekDate { get; init; }
    public decimal SeekMoney { get; init; }
    public int SeekNumber { get; init; }
    public int SeekId { get; init; }
    public int Skip { get; init; }
    public int Take { get; init; }

    /// <summary>The cursor's sort key in the typed property its predicate reads.</summary>
    public static CustomerListArgs ForCursor(CustomerCursor? cursor, bool archived, CustomerSearch search, int skip, int take)
    {
        var (text, date, money, number) = cursor is null || cursor.Key is null
            ? ("", default(DateTime), 0m, 0)
            : cursor.Sort switch
            {
                CustomerSort.Name => (cursor.Key, default(DateTime), 0m, 0),
                CustomerSort.Created or CustomerSort.LastPurchase => ("", cursor.KeyAsDate(), 0m, 0),
                CustomerSort.TotalSpent => ("", default(DateTime), decimal.Parse(cursor.Key, System.Globalization.CultureInfo.InvariantCulture), 0),
                CustomerSort.Orders => ("", default(DateTime), 0m, int.Parse(cursor.Key, System.Globalization.CultureInfo.InvariantCulture)),
                _ => throw new ArgumentOutOfRangeException(nameof(cursor)),
            };
        return new()
        {
            Archived = archived,
            SearchFrom = search.From,
            SearchTo = search.To,
            SeekText = text,
            SeekDate = date,
            SeekMoney = money,
            SeekNumber = number,
            SeekId = cursor?.Id ?? 0,
            Skip = skip,
            Take = take,
        };
    }
}

/// <summary>The customer list's page and count queries. Search and keyset predicates are written once; a page
/// with no filter beyond search (browsing, paging, looking a caller up by phone) runs as an EF compiled query,
/// which skips translating the expression tree on every request — at a million customers that was more than
/// half of the service's time for a phone search. Any other filter composes dynamically around the same predicates.</summary>
public static class CustomerListQueries
{
    private static readonly ConcurrentDictionary<PageShape, PageQuery> Pages = new();
    private static readonly ConcurrentDictionary<CustomerSearchKind, CountQuery> Counts = new();

    private delegate IAsyncEnumerable<CustomerRowViewModel> PageQuery(
        CrmDbContext db, bool archived, string searchFrom, string searchTo, string seekText, DateTime seekDate,
        decimal seekMoney, int seekNumber, int seekId, int skip, int take);

    private delegate Task<int> CountQuery(CrmDbContext db, bool archived, string searchFrom, string searchTo, int take);

    private readonly record struct PageShape(CustomerSearchKind Search, CustomerSort Sort, bool Desc, CustomerSeek Seek, bool Skip);

    public static readonly Expression<Func<Customer, CustomerListArgs, bool>> ArchivedIs = (c, a) => c.IsArchived == a.Archived;

    /// <summary>Prefix matches as index range scans (binary ordering of the lower-cased keys and E.164 phones).</summary>
    public static Expression<Func<Customer, CustomerListArgs, bool>>? Search(CustomerSearchKind kind) => kind switch
    {
        CustomerSearchKind.None => null,
        CustomerSearchKind.Email => (c, a) => string.Compare(c.EmailKey, a.SearchFrom) >= 0 && string.Compare(c.EmailKey, a.SearchTo) < 0,
        CustomerSearchKind.Phone => (c, a) => string.Compare(c.Phone, a.SearchFrom) >= 0 && string.Compare(c.Phone, a.SearchTo) < 0,
        CustomerSearchKind.Name => (c, a) => string.Compare(c.NameKey, a.SearchFrom) >= 0 && string.Compare(c.NameKey, a.SearchTo) < 0,
        CustomerSearchKind.NameOrEmail => (c, a) =>
            (string.Compare(c.NameKey, a.SearchFrom) >= 0 && string.Compare(c.NameKey, a.SearchTo) < 0) ||
            (string.Compare(c.EmailKey, a.SearchFrom) >= 0 && string.Compare(c.EmailKey, a.SearchTo) < 0),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Rows strictly after the cursor in the given order (SQLite orders NULL first ascending and last descending).</summary>
    public static Expression<Func<Customer, CustomerListArgs, bool>>? Seek(CustomerSort sort, bool desc, CustomerSeek seek) => (seek, sort, desc) switch
    {
        (CustomerSeek.None, _, _) => null,
        (_, CustomerSort.Name, true) => (c, a) => string.Compare(c.NameKey, a.SeekText) < 0 || (c.NameKey == a.SeekText && c.Id < a.SeekId),
        (_, CustomerSort.Name, false) => (c, a) => string.Compare(c.NameKey, a.SeekText) > 0 || (c.NameKey == a.SeekText && c.Id > a.SeekId),
        (_, CustomerSort.Created, true) => (c, a) => c.CreatedAt < a.SeekDate || (c.CreatedAt == a.SeekDate && c.Id < a.SeekId),
        (_, CustomerSort.Created, false) => (c, a) => c.CreatedAt > a.SeekDate || (c.CreatedAt == a.SeekDate && c.Id > a.SeekId),
        (CustomerSeek.AfterNull, CustomerSort.LastPurchase, true) => (c, a) => c.LastPurchaseAt == null && c.Id < a.SeekId,
        (CustomerSeek.AfterNull, CustomerSort.LastPurchase, false) => (c, a) => c.LastPurchaseAt != null || c.Id > a.SeekId,
        (_, CustomerSort.LastPurchase, true) => (c, a) =>
            c.LastPurchaseAt < a.SeekDate || (c.LastPurchaseAt == a.SeekDate && c.Id < a.SeekId) || c.LastPurchaseAt == null,
        (_, CustomerSort.LastPurchase, false) => (c, a) => c.LastPurchaseAt > a.SeekDate || (c.LastPurchaseAt == a.SeekDate && c.Id > a.SeekId),
        (_, CustomerSort.TotalSpent, true) => (c, a) => c.TotalSpent < a.SeekMoney || (c.TotalSpent == a.SeekMoney && c.Id < a.SeekId),
        (_, CustomerSort.TotalSpent, false) => (c, a) => c.TotalSpent > a.SeekMoney || (c.TotalSpent == a.SeekMoney && c.Id > a.SeekId),
        (_, CustomerSort.Orders, true) => (c, a) => c.OrderCount < a.SeekNumber || (c.OrderCount == a.SeekNumber && c.Id < a.SeekId),
        (_, CustomerSort.Orders, false) => (c, a) => c.OrderCount > a.SeekNumber || (c.OrderCount == a.SeekNumber && c.Id > a.SeekId),
        _ => throw new ArgumentOutOfRangeException(nameof(sort)),
    };

    public static CustomerSeek SeekOf(CustomerCursor? cursor) =>
        cursor is null ? CustomerSeek.None : cursor.Key is null ? CustomerSeek.AfterNull : CustomerSeek.AfterValue;

    public static IQueryable<CustomerRowViewModel> Project(IQueryable<Customer> customers) =>
        customers.Select(c => new CustomerRowViewModel(
            c.Id, c.Name, c.Email, c.Phone, c.City, c.Region, c.Source,
            c.OrderCount, c.TotalSpent, c.LastPurchaseAt, c.CreatedAt, c.IsArchived));

    /// <summary>The predicate with its values read from <paramref name="args"/>, which EF turns into SQL parameters
    /// as it does for captured variables (a literal would give every search term its own plan).</summary>
    public static Expression<Func<Customer, bool>> Bind(Expression<Func<Customer, CustomerListArgs, bool>> predicate, CustomerListArgs args)
    {
        var body = new ReplaceParameter(predicate.Parameters[1], Expression.Constant(args)).Visit(predicate.Body);
        return Expression.Lambda<Func<Customer, bool>>(body, predicate.Parameters[0]);
    }

    /// <summary>One page (with a look-ahead row in <see cref="CustomerListArgs.Take"/>) of an unfiltered or
    /// search-only list, through a compiled query built once per shape.</summary>
    public static async Task<List<CustomerRowViewModel>> PageAsync(
        CrmDbContext db, CustomerSearchKind search, CustomerSort sort, bool desc, CustomerSeek seek, CustomerListArgs a, CancellationToken ct)
    {
        var query = Pages.GetOrAdd(new PageShape(search, sort, desc, seek, a.Skip > 0), CompilePage);
        var rows = new List<CustomerRowViewModel>(a.Take);
        await foreach (var row in query(db, a.Archived, a.SearchFrom, a.SearchTo, a.SeekText, a.SeekDate, a.SeekMoney, a.SeekNumber, a.SeekId, a.Skip, a.Take)
            .WithCancellation(ct))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The number of matching customers, counting no further than <see cref="CustomerListArgs.Take"/>.</summary>
    public static Task<int> CountAsync(CrmDbContext db, CustomerSearchKind search, CustomerListArgs a) =>
        Counts.GetOrAdd(search, CompileCount)(db, a.Archived, a.SearchFrom, a.SearchTo, a.Take);

    private static PageQuery CompilePage(PageShape shape)
    {
        var parameters = new QueryParameters();
        var customers = parameters.Filtered(shape.Search);
        var seek = Seek(shape.Sort, shape.Desc, shape.Seek);
        if (seek is not null)
        {
            customers = customers.Where(parameters.Inline(seek));
        }

        customers = CustomerKeyset.Order(customers, shape.Sort, shape.Desc);
        if (shape.Skip)
        {
            customers = Skip(customers, parameters.Of(nameof(CustomerListArgs.Skip)));
        }

        var page = Project(Take(customers, parameters.Of(nameof(CustomerListArgs.Take))));
        var lambda = Expression.Lambda<Func<CrmDbContext, bool, string, string, string, DateTime, decimal, int, int, int, int, IQueryable<CustomerRowViewModel>>>(
            page.Expression, parameters.All);
        var compiled = EF.CompileAsyncQuery(lambda);
        return (db, archived, searchFrom, searchTo, seekText, seekDate, seekMoney, seekNumber, seekId, skip, take) =>
            compiled(db, archived, searchFrom, searchTo, seekText, seekDate, seekMoney, seekNumber, seekId, skip, take);
    }

    private static CountQuery CompileCount(CustomerSearchKind search)
    {
        var parameters = new QueryParameters();
        var limited = Take(parameters.Filtered(search), parameters.Of(nameof(CustomerListArgs.Take)));
        var count = Expression.Call(typeof(Queryable), nameof(Queryable.Count), [typeof(Customer)], limited.Expression);
        var lambda = Expression.Lambda<Func<CrmDbContext, bool, string, string, int, int>>(
            count, parameters.Db, parameters.Of(nameof(CustomerListArgs.Archived)), parameters.Of(nameof(CustomerListArgs.SearchFrom)),
            parameters.Of(nameof(CustomerListArgs.SearchTo)), parameters.Of(nameof(CustomerListArgs.Take)));
        var compiled = EF.CompileAsyncQuery(lambda);
        return (db, archived, searchFrom, searchTo, take) => compiled(db, archived, searchFrom, searchTo, take);
    }

    // Queryable.Skip/Take with a parameter expression as the count (LINQ's own overloads take an int value).
    private static IQueryable<Customer> Skip(IQueryable<Customer> source, Expression count) =>
        source.Provider.CreateQuery<Customer>(Expression.Call(typeof(Queryable), nameof(Queryable.Skip), [typeof(Customer)], source.Expression, count));

    private static IQueryable<Customer> Take(IQueryable<Customer> source, Expression count) =>
        source.Provider.CreateQuery<Customer>(Expression.Call(typeof(Queryable), nameof(Queryable.Take), [typeof(Customer)], source.Expression, count));

    /// <summary>The compiled query's lambda parameters: the context, then one per <see cref="CustomerListArgs"/> property.
    /// Queries are composed with ordinary LINQ over an expression-only source rooted at <c>db.Customers</c>.</summary>
    private sealed class QueryParameters
    {
        private readonly Dictionary<string, ParameterExpression> _byName;

        public QueryParameters()
        {
            Db = Expression.Parameter(typeof(CrmDbContext), "db");
            _byName = typeof(CustomerListArgs).GetProperties()
                .ToDictionary(p => p.Name, p => Expression.Parameter(p.PropertyType, char.ToLowerInvariant(p.Name[0]) + p.Name[1..]));
        }

        public ParameterExpression Db { get; }

        /// <summary>In the order of the page delegate's parameters.</summary>
        public ParameterExpression[] All =>
        [
            Db, Of(nameof(CustomerListArgs.Archived)), Of(nameof(CustomerListArgs.SearchFrom)), Of(nameof(CustomerListArgs.SearchTo)),
            Of(nameof(CustomerListArgs.SeekText)), Of(nameof(CustomerListArgs.SeekDate)), Of(nameof(CustomerListArgs.SeekMoney)),
            Of(nameof(CustomerListArgs.SeekNumber)), Of(nameof(CustomerListArgs.SeekId)), Of(nameof(CustomerListArgs.Skip)),
            Of(nameof(CustomerListArgs.Take)),
        ];

        public ParameterExpression Of(string name) => _byName[name];

        public IQueryable<Customer> Filtered(CustomerSearchKind search)
        {
            IQueryable<Customer> customers = new EnumerableQuery<Customer>(Expression.Property(Db, nameof(CrmDbContext.Customers)));
            customers = customers.Where(Inline(ArchivedIs));
            var predicate = Search(search);
            return predicate is null ? customers : customers.Where(Inline(predicate));
        }

        public Expression<Func<Customer, bool>> Inline(Expression<Func<Customer, CustomerListArgs, bool>> predicate)
        {
            var body = new InlineArgs(predicate.Parameters[1], _byName).Visit(predicate.Body);
            return Expression.Lambda<Func<Customer, bool>>(body, predicate.Parameters[0]);
        }
    }

    private sealed class ReplaceParameter(ParameterExpression parameter, Expression replacement) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == parameter ? replacement : node;
    }

    /// <summary>Turns <c>a.Property</c> into the lambda parameter of the same name.</summary>
    private sealed class InlineArgs(ParameterExpression args, IReadOnlyDictionary<string, ParameterExpression> parameters) : ExpressionVisitor
    {
        protected override Expression VisitMember(MemberExpression node) =>
            node.Expression == args ? parameters[node.Member.Name] : base.VisitMember(node);

        protected override Expression VisitParameter(ParameterExpression node) =>
            node == args ? throw new InvalidOperationException("List predicates may only read properties of their arguments.") : node;
    }
}
