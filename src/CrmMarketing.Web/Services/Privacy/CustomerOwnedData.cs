using System.Linq.Expressions;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using Microsoft.EntityFrameworkCore;
using FeedbackEntity = CrmMarketing.Web.Domain.Feedback;

namespace CrmMarketing.Web.Services.Privacy;

/// <summary>The tables that hold rows belonging to one customer, one list per operation. A new table with a
/// customer id joins the lists here, and merge, undo, erase and the subject-access export pick it up.</summary>
/// <remarks>A unit test checks every entry against the EF model, so a misspelt property fails the build's tests.</remarks>
public static class CustomerOwnedData
{
    /// <summary>Rows that a merge moves from the loser to the survivor (and an undo moves back). Purchase lines
    /// follow their purchase; tags are merged as a set; RFM scores are derived and recomputed by the next refresh.</summary>
    public static IReadOnlyList<CustomerTable> Moved { get; } =
    [
        CustomerTable.For<Purchase, int>("purchases"),
        CustomerTable.For<CustomerEvent, long>("events"),
        CustomerTable.For<CustomerNote, int>("notes"),
        CustomerTable.For<CustomerCall, int>("calls"),
        CustomerTable.For<FeedbackEntity, int>("feedback"),
        CustomerTable.For<ConsentChange, long>("consent-history"),
        CustomerTable.For<OutboxMessage, long>("messages"),
        CustomerTable.For<SurveyInvitation, int>("survey-invitations"),
        CustomerTable.For<FollowUpTask, int>("follow-ups"),
        // When both customers were in the same activity's audience the survivor's row stands for both: the loser's
        // row stays behind (the unique activity/customer index allows one) and goes with the loser's record.
        CustomerTable.For<CampaignRecipient, long>("campaign-recipients",
            movable: (db, to) => r => !db.CampaignRecipients.Any(o => o.ActivityId == r.ActivityId && o.CustomerId == to)),
    ];

    /// <summary>Free text that may name or describe the person; an erasure overwrites it. Amounts, dates, scores
    /// and classifications stay.</summary>
    public static IReadOnlyList<CustomerTextColumns> ErasedText { get; } =
    [
        CustomerTextColumns.For<CustomerNote>(nameof(CustomerNote.Body)),
        CustomerTextColumns.For<CustomerCall>(nameof(CustomerCall.Notes)),
        CustomerTextColumns.For<FeedbackEntity>(nameof(FeedbackEntity.Content), nameof(FeedbackEntity.Tags), nameof(FeedbackEntity.ExtraAnswer)),
        CustomerTextColumns.For<CustomerEvent>(nameof(CustomerEvent.PropertiesJson)),
        CustomerTextColumns.For<ConsentChange>(nameof(ConsentChange.Evidence)),
        CustomerTextColumns.For<OutboxMessage>(nameof(OutboxMessage.ToAddress), nameof(OutboxMessage.ToName), nameof(OutboxMessage.Subject),
            nameof(OutboxMessage.HtmlBody), nameof(OutboxMessage.TextBody), nameof(OutboxMessage.UnsubscribeUrl), nameof(OutboxMessage.LastError)),
        CustomerTextColumns.For<FollowUpTask>(nameof(FollowUpTask.Reason), nameof(FollowUpTask.Resolution)),
    ];

    /// <summary>The files of the subject-access export besides the profile, in order.</summary>
    public static IReadOnlyList<CustomerExportTable> Exported { get; } =
    [
        CustomerExportTable.For("purchases", (db, id) => db.Purchases.Where(p => p.CustomerId == id).OrderBy(p => p.PurchasedAt).ThenBy(p => p.Id)),
        CustomerExportTable.For("purchase-lines", (db, id) => db.PurchaseLines
            .Where(l => db.Purchases.Any(p => p.Id == l.PurchaseId && p.CustomerId == id)).OrderBy(l => l.PurchaseId).ThenBy(l => l.Id)),
        CustomerExportTable.For("events", (db, id) => db.CustomerEvents.Where(e => e.CustomerId == id).OrderBy(e => e.OccurredAt).ThenBy(e => e.Id)),
        CustomerExportTable.For("calls", (db, id) => db.CustomerCalls.Where(c => c.CustomerId == id).OrderBy(c => c.CalledAt).ThenBy(c => c.Id)),
        CustomerExportTable.For("feedback", (db, id) => db.Feedback.Where(f => f.CustomerId == id).OrderBy(f => f.CreatedAt).ThenBy(f => f.Id)),
        CustomerExportTable.For("notes", (db, id) => db.CustomerNotes.Where(n => n.CustomerId == id).OrderBy(n => n.CreatedAt).ThenBy(n => n.Id)),
        CustomerExportTable.For("messages", (db, id) => db.OutboxMessages.Where(m => m.CustomerId == id).OrderBy(m => m.CreatedAt).ThenBy(m => m.Id)),
        CustomerExportTable.For("consent-history", (db, id) => db.ConsentChanges.Where(c => c.CustomerId == id).OrderBy(c => c.ChangedAt).ThenBy(c => c.Id)),
        CustomerExportTable.For("tags", (db, id) => db.CustomerTags.Where(t => t.CustomerId == id).OrderBy(t => t.Tag)),
        CustomerExportTable.For("scores", (db, id) => db.CustomerRfm.Where(r => r.CustomerId == id)),
        CustomerExportTable.For("survey-invitations", (db, id) => db.SurveyInvitations.Where(i => i.CustomerId == id).OrderBy(i => i.CreatedAt).ThenBy(i => i.Id)),
        CustomerExportTable.For("follow-ups", (db, id) => db.FollowUpTasks.Where(t => t.CustomerId == id).OrderBy(t => t.CreatedAt).ThenBy(t => t.Id)),
        CustomerExportTable.For("campaigns", (db, id) => db.CampaignRecipients.Where(r => r.CustomerId == id).OrderBy(r => r.CreatedAt).ThenBy(r => r.Id)),
    ];
}

/// <summary>A table with an id and a customer id column whose rows move between customers.</summary>
public abstract class CustomerTable(string name, Type entityType, string idProperty, string customerProperty)
{
    public string Name { get; } = name;
    public Type EntityType { get; } = entityType;
    public string IdProperty { get; } = idProperty;
    public string CustomerProperty { get; } = customerProperty;

    /// <param name="movable">Optional: which rows may move to the target customer (rows failing it stay behind).</param>
    public static CustomerTable For<TEntity, TKey>(string name, string idProperty = "Id", string customerProperty = "CustomerId",
        Func<CrmDbContext, int, Expression<Func<TEntity, bool>>>? movable = null)
        where TEntity : class where TKey : struct =>
        new CustomerTable<TEntity, TKey>(name, idProperty, customerProperty, movable);

    /// <summary>Moves every row of <paramref name="from"/> to <paramref name="to"/>; returns the moved ids.</summary>
    public abstract Task<List<long>> MoveAllAsync(CrmDbContext db, int from, int to, CancellationToken ct);

    /// <summary>Moves the given rows back from <paramref name="from"/> to <paramref name="to"/> (rows that are gone
    /// or no longer belong to <paramref name="from"/> are left alone); returns how many moved.</summary>
    public abstract Task<int> MoveBackAsync(CrmDbContext db, IReadOnlyList<long> ids, int from, int to, CancellationToken ct);

    public abstract Task<int> CountAsync(CrmDbContext db, int customerId, CancellationToken ct);
}

internal sealed class CustomerTable<TEntity, TKey>(string name, string idProperty, string customerProperty,
    Func<CrmDbContext, int, Expression<Func<TEntity, bool>>>? movable)
    : CustomerTable(name, typeof(TEntity), idProperty, customerProperty)
    where TEntity : class where TKey : struct
{
    private const int IdsPerStatement = 500;

    private IQueryable<TEntity> Movable(CrmDbContext db, int from, int to)
    {
        var rows = CustomerOwned.Of<TEntity>(db, CustomerProperty, from);
        return movable is null ? rows : rows.Where(movable(db, to));
    }

    public override async Task<List<long>> MoveAllAsync(CrmDbContext db, int from, int to, CancellationToken ct)
    {
        var ids = await Movable(db, from, to).Select(e => EF.Property<TKey>(e, IdProperty)).ToListAsync(ct);
        if (ids.Count > 0)
        {
            await CustomerOwned.Reassign(db, Movable(db, from, to), CustomerProperty, to, ct);
        }

        return ids.Select(id => Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
    }

    public override async Task<int> MoveBackAsync(CrmDbContext db, IReadOnlyList<long> ids, int from, int to, CancellationToken ct)
    {
        var moved = 0;
        foreach (var chunk in ids.Chunk(IdsPerStatement))
        {
            var keys = chunk.Select(id => (TKey)Convert.ChangeType(id, typeof(TKey), System.Globalization.CultureInfo.InvariantCulture)).ToList();
            var rows = Movable(db, from, to).Where(e => keys.Contains(EF.Property<TKey>(e, IdProperty)));
            moved += await CustomerOwned.Reassign(db, rows, CustomerProperty, to, ct);
        }

        return moved;
    }

    public override Task<int> CountAsync(CrmDbContext db, int customerId, CancellationToken ct) =>
        CustomerOwned.Of<TEntity>(db, CustomerProperty, customerId).CountAsync(ct);
}

/// <summary>Queries over a customer id column that may be required (int) or optional (int?).</summary>
internal static class CustomerOwned
{
    public static bool IsOptional<TEntity>(CrmDbContext db, string customerProperty) =>
        (db.Model.FindEntityType(typeof(TEntity))?.FindProperty(customerProperty)
            ?? throw new InvalidOperationException($"{typeof(TEntity).Name}.{customerProperty} is not mapped.")).ClrType == typeof(int?);

    public static IQueryable<TEntity> Of<TEntity>(CrmDbContext db, string customerProperty, int customerId) where TEntity : class =>
        IsOptional<TEntity>(db, customerProperty)
            ? db.Set<TEntity>().Where(e => EF.Property<int?>(e, customerProperty) == customerId)
            : db.Set<TEntity>().Where(e => EF.Property<int>(e, customerProperty) == customerId);

    public static Task<int> Reassign<TEntity>(CrmDbContext db, IQueryable<TEntity> rows, string customerProperty, int to, CancellationToken ct) where TEntity : class =>
        IsOptional<TEntity>(db, customerProperty)
            ? rows.ExecuteUpdateAsync(s => s.SetProperty(e => EF.Property<int?>(e, customerProperty), to), ct)
            : rows.ExecuteUpdateAsync(s => s.SetProperty(e => EF.Property<int>(e, customerProperty), to), ct);
}

/// <summary>Text columns of a customer-owned table that an erasure overwrites.</summary>
public abstract class CustomerTextColumns(Type entityType, string customerProperty, IReadOnlyList<string> columns)
{
    /// <summary>What a required text column holds after an erasure (nullable ones become null).</summary>
    public const string ErasedText = "[erased]";

    public Type EntityType { get; } = entityType;
    public string CustomerProperty { get; } = customerProperty;
    public IReadOnlyList<string> Columns { get; } = columns;

    public static CustomerTextColumns For<TEntity>(params string[] columns) where TEntity : class =>
        new CustomerTextColumns<TEntity>("CustomerId", columns);

    /// <summary>Overwrites the columns on every row of the customer; returns the number of rows touched.</summary>
    public abstract Task<int> EraseAsync(CrmDbContext db, int customerId, CancellationToken ct);
}

internal sealed class CustomerTextColumns<TEntity>(string customerProperty, IReadOnlyList<string> columns)
    : CustomerTextColumns(typeof(TEntity), customerProperty, columns)
    where TEntity : class
{
    public override Task<int> EraseAsync(CrmDbContext db, int customerId, CancellationToken ct)
    {
        var entity = db.Model.FindEntityType(typeof(TEntity)) ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not mapped.");
        var parameter = Expression.Parameter(typeof(TEntity), "e");
        return CustomerOwned.Of<TEntity>(db, CustomerProperty, customerId)
            .ExecuteUpdateAsync(s =>
            {
                foreach (var column in Columns)
                {
                    var property = entity.FindProperty(column) ?? throw new InvalidOperationException($"{typeof(TEntity).Name}.{column} is not mapped.");
                    var access = Expression.Lambda<Func<TEntity, string?>>(
                        Expression.Call(typeof(EF), nameof(EF.Property), [typeof(string)], parameter, Expression.Constant(column)), parameter);
                    s.SetProperty(access, property.IsNullable ? null : ErasedText);
                }
            }, ct);
    }
}

/// <summary>One file of the subject-access export: the rows of one table that belong to the customer.</summary>
public abstract class CustomerExportTable(string name, Type entityType)
{
    public string Name { get; } = name;
    public Type EntityType { get; } = entityType;

    public static CustomerExportTable For<TEntity>(string name, Func<CrmDbContext, int, IQueryable<TEntity>> rows) where TEntity : class =>
        new CustomerExportTable<TEntity>(name, rows);

    public abstract IAsyncEnumerable<object> RowsAsync(CrmDbContext db, int customerId);
}

internal sealed class CustomerExportTable<TEntity>(string name, Func<CrmDbContext, int, IQueryable<TEntity>> rows)
    : CustomerExportTable(name, typeof(TEntity))
    where TEntity : class
{
    public override async IAsyncEnumerable<object> RowsAsync(CrmDbContext db, int customerId)
    {
        await foreach (var row in rows(db, customerId).AsNoTracking().AsAsyncEnumerable())
        {
            yield return row;
        }
    }
}
