using System.Data.Common;
using System.Globalization;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Analytics;
using CrmMarketing.Web.Services.Audit;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.Services.Export;
using CrmMarketing.Web.Services.Formatting;
using CrmMarketing.Web.ViewModels.Analytics;
using CrmMarketing.Web.ViewModels.Customers;
using CrmMarketing.Web.ViewModels.Segments;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Localization;

namespace CrmMarketing.Web.Services.Segments;

public enum SegmentSaveOutcome
{
    Saved,
    NotFound,
    InvalidRule,
    DuplicateName,
}

public sealed record SegmentSaveResult(SegmentSaveOutcome Outcome, int Id = 0, string? Error = null);

/// <summary>The outcome of a preview: the count and sample, or the reason the rule was refused.</summary>
public sealed record SegmentPreviewOutcome(SegmentPreviewResult? Preview, string? Error);

public enum SegmentMembersOutcome
{
    Changed,
    NotFound,
    NotStatic,
}

public sealed record SegmentMembersResult(SegmentMembersOutcome Outcome, int Changed = 0);

/// <summary>Segments: saved rules and hand-picked groups, their materialised members, preview, statistics and overlap.
/// Other areas (campaigns) take a segment's members with <see cref="MemberIds"/>, a query they can compose or turn
/// into an INSERT … SELECT.</summary>
public sealed partial class SegmentService(
    CrmDbContext db,
    SegmentRuleParser parser,
    SegmentRuleCompiler compiler,
    CustomerService customers,
    GroupStatsService groups,
    CustomerExportService export,
    AuditService audit,
    DisplayFormatter formatter,
    TimeProvider time,
    IStringLocalizer<SharedResource> l,
    ILogger<SegmentService> logger)
{
    public const int PreviewSampleSize = 10;

    /// <summary>The ids of the customers in a segment as stored (a dynamic segment's as of its last build).</summary>
    public IQueryable<int> MemberIds(int segmentId) =>
        db.SegmentMembers.AsNoTracking().Where(m => m.SegmentId == segmentId).Select(m => m.CustomerId);

    /// <summary>The ids of the active customers a rule selects right now, as one query.</summary>
    public IQueryable<int> MatchingIds(SegmentRuleGroup rule) => compiler.Matching(rule).Select(c => c.Id);

    public SegmentRuleParseResult ParseRule(string? json) => parser.Parse(json);

    public async Task<SegmentListViewModel> ListAsync(CancellationToken ct) => new()
    {
        Rows = await Rows(db.Segments.AsNoTracking().OrderBy(s => s.Name)).ToListAsync(ct),
    };

    /// <summary>The count and a sample of the active customers a rule selects; both queries are the compiled rule.</summary>
    public async Task<SegmentPreviewOutcome> PreviewAsync(string? ruleJson, CancellationToken ct)
    {
        var parsed = parser.Parse(ruleJson);
        if (parsed.Rule is null)
        {
            return new(null, parsed.Error);
        }

        var started = time.GetTimestamp();
        var matching = compiler.Matching(parsed.Rule);
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var count = await matching.CountAsync(ct);
            var sample = await matching.OrderBy(c => c.Id).Take(PreviewSampleSize)
                .Select(c => new { c.Id, c.Name, c.City, c.TotalSpent, c.LastPurchaseAt })
                .ToListAsync(ct);
            var elapsed = (long)time.GetElapsedTime(started).TotalMilliseconds;
            return new(new SegmentPreviewResult(count,
                sample.Select(s => new SegmentPreviewMember(s.Id, s.Name, s.City, formatter.Money(s.TotalSpent), s.LastPurchaseAt is null ? null : formatter.Date(s.LastPurchaseAt))).ToList(),
                elapsed), null);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    public async Task<SegmentEditViewModel?> GetEditAsync(int? id, SegmentFormModel? form, CancellationToken ct)
    {
        if (form is null && id is { } existing)
        {
            form = await db.Segments.AsNoTracking().Where(s => s.Id == existing)
                .Select(s => new SegmentFormModel { Name = s.Name, Description = s.Description, Kind = s.Kind, Rule = s.RuleJson })
                .SingleOrDefaultAsync(ct);
            if (form is null)
            {
                return null;
            }
        }

        return new SegmentEditViewModel { Id = id, Form = form ?? new SegmentFormModel(), Builder = await BuilderDataAsync(ct) };
    }

    public async Task<SegmentSaveResult> CreateAsync(SegmentFormModel form, Actor actor, CancellationToken ct)
    {
        var parsed = form.Kind == SegmentKind.Dynamic ? parser.Parse(form.Rule) : null;
        if (parsed is { Rule: null })
        {
            return new(SegmentSaveOutcome.InvalidRule, Error: parsed.Error);
        }

        var name = form.Name.Trim();
        if (await db.Segments.AnyAsync(s => s.Name == name, ct))
        {
            return new(SegmentSaveOutcome.DuplicateName);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var segment = new Segment
        {
            Name = name,
            Description = Normalize(form.Description),
            Kind = form.Kind,
            RuleJson = form.Kind == SegmentKind.Dynamic ? form.Rule!.Trim() : null,
            CreatedAt = now,
            CreatedBy = actor.Name,
            UpdatedAt = now,
            UpdatedBy = actor.Name,
            LastBuiltAt = form.Kind == SegmentKind.Static ? now : null,
        };
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            db.Segments.Add(segment);
            await db.SaveChangesAsync(ct);
            await audit.RecordAsync(AuditActions.Create, AuditEntityTypes.Segment, Id(segment.Id),
                [new("Name", null, segment.Name), new("Kind", null, segment.Kind.ToString()), new("Rule", null, segment.RuleJson)], ct, actor.ForAudit());
            await tx.CommitAsync(ct);
        }

        if (parsed?.Rule is { } rule)
        {
            await BuildAsync(segment.Id, rule, ct);
        }

        return new(SegmentSaveOutcome.Saved, segment.Id);
    }

    /// <summary>Saves the form; a dynamic segment is rebuilt from its (new) rule. The kind of a segment stays as created.</summary>
    public async Task<SegmentSaveResult> UpdateAsync(int id, SegmentFormModel form, Actor actor, CancellationToken ct)
    {
        var segment = await db.Segments.SingleOrDefaultAsync(s => s.Id == id, ct);
        if (segment is null)
        {
            return new(SegmentSaveOutcome.NotFound);
        }

        var parsed = segment.Kind == SegmentKind.Dynamic ? parser.Parse(form.Rule) : null;
        if (parsed is { Rule: null })
        {
            return new(SegmentSaveOutcome.InvalidRule, Error: parsed.Error);
        }

        var name = form.Name.Trim();
        if (await db.Segments.AnyAsync(s => s.Name == name && s.Id != id, ct))
        {
            return new(SegmentSaveOutcome.DuplicateName);
        }

        var before = Snapshot(segment);
        segment.Name = name;
        segment.Description = Normalize(form.Description);
        segment.RuleJson = segment.Kind == SegmentKind.Dynamic ? form.Rule!.Trim() : null;
        segment.UpdatedAt = time.GetUtcNow().UtcDateTime;
        segment.UpdatedBy = actor.Name;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await db.SaveChangesAsync(ct);
            await audit.RecordAsync(AuditActions.Update, AuditEntityTypes.Segment, Id(id), AuditService.Diff(before, Snapshot(segment)), ct, actor.ForAudit());
            await tx.CommitAsync(ct);
        }

        if (parsed?.Rule is { } rule)
        {
            await BuildAsync(id, rule, ct);
        }

        return new(SegmentSaveOutcome.Saved, id);
    }

    public async Task<bool> DeleteAsync(int id, Actor actor, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var name = await db.Segments.Where(s => s.Id == id).Select(s => s.Name).SingleOrDefaultAsync(ct);
        if (name is null)
        {
            return false;
        }

        await db.SegmentMembers.Where(m => m.SegmentId == id).ExecuteDeleteAsync(ct);
        await db.Segments.Where(s => s.Id == id).ExecuteDeleteAsync(ct);
        await audit.RecordAsync(AuditActions.Delete, AuditEntityTypes.Segment, Id(id), [new("Name", name, null)], ct, actor.ForAudit());
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>Rebuilds a dynamic segment from its stored rule. Returns null when there is no such dynamic segment.</summary>
    public async Task<SegmentBuildResult?> RebuildAsync(int id, CancellationToken ct)
    {
        var ruleJson = await db.Segments.AsNoTracking().Where(s => s.Id == id && s.Kind == SegmentKind.Dynamic)
            .Select(s => s.RuleJson).SingleOrDefaultAsync(ct);
        if (ruleJson is null)
        {
            return null;
        }

        var parsed = parser.Parse(ruleJson);
        if (parsed.Rule is null)
        {
            // Stored rules were validated on save; a rule made invalid by a later change of the allow-list keeps its last members.
            LogStoredRuleInvalid(logger, id);
            return null;
        }

        return await BuildAsync(id, parsed.Rule, ct);
    }

    /// <summary>Rebuilds every dynamic segment built before <paramref name="builtBefore"/>, oldest first.</summary>
    public async Task<int> RebuildStaleAsync(DateTime builtBefore, CancellationToken ct)
    {
        var ids = await db.Segments.AsNoTracking()
            .Where(s => s.Kind == SegmentKind.Dynamic && (s.LastBuiltAt == null || s.LastBuiltAt < builtBefore))
            .OrderBy(s => s.LastBuiltAt).Select(s => s.Id).ToListAsync(ct);
        var rebuilt = 0;
        foreach (var id in ids)
        {
            if (await RebuildAsync(id, ct) is not null)
            {
                rebuilt++;
            }
        }

        return rebuilt;
    }

    /// <summary>Replaces the members with the rule's result in one transaction: a DELETE and one INSERT … SELECT whose
    /// SELECT is the compiled rule.</summary>
    private async Task<SegmentBuildResult> BuildAsync(int id, SegmentRuleGroup rule, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var now = time.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SegmentMembers.Where(m => m.SegmentId == id).ExecuteDeleteAsync(ct);
        var inserted = await InsertSelectAsync(MatchingIds(rule), id, now, ct);
        var duration = (long)time.GetElapsedTime(started).TotalMilliseconds;
        await db.Segments.Where(s => s.Id == id).ExecuteUpdateAsync(u => u
            .SetProperty(s => s.LastBuiltAt, now)
            .SetProperty(s => s.LastBuildDurationMs, duration)
            .SetProperty(s => s.MemberCount, inserted), ct);
        await tx.CommitAsync(ct);
        LogBuilt(logger, id, inserted, duration);
        return new SegmentBuildResult(inserted, duration);
    }

    /// <summary>INSERT INTO SegmentMembers … SELECT over the translated query, keeping its parameters.</summary>
    private async Task<int> InsertSelectAsync(IQueryable<int> customerIds, int segmentId, DateTime addedAt, CancellationToken ct)
    {
        await using var command = customerIds.CreateDbCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = "INSERT OR IGNORE INTO SegmentMembers (SegmentId, CustomerId, AddedAt) SELECT @segment__id, q.Id, @segment__added FROM ("
            + command.CommandText + ") AS q";
        command.Parameters.Add(new SqliteParameter("@segment__id", segmentId));
        command.Parameters.Add(new SqliteParameter("@segment__added", addedAt));
        return await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Adds customers to a static segment; ids of unknown or archived customers and existing members are skipped.</summary>
    public async Task<SegmentMembersResult> AddMembersAsync(int segmentId, IReadOnlyCollection<int> customerIds, Actor actor, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var check = await CheckStaticAsync(segmentId, ct);
        if (check is not null)
        {
            return check;
        }

        var ids = customerIds.Distinct().ToList();
        var wanted = db.Customers.AsNoTracking().Where(c => ids.Contains(c.Id) && !c.IsArchived).Select(c => c.Id);
        var added = await InsertSelectAsync(wanted, segmentId, time.GetUtcNow().UtcDateTime, ct);
        await TouchStaticAsync(segmentId, ct);
        await audit.RecordAsync(AuditActions.MembersAdded, AuditEntityTypes.Segment, Id(segmentId),
            [new("Members", null, added.ToString(CultureInfo.InvariantCulture))], ct, actor.ForAudit());
        await tx.CommitAsync(ct);
        return new(SegmentMembersOutcome.Changed, added);
    }

    public async Task<SegmentMembersResult> RemoveMembersAsync(int segmentId, IReadOnlyCollection<int> customerIds, Actor actor, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var check = await CheckStaticAsync(segmentId, ct);
        if (check is not null)
        {
            return check;
        }

        var ids = customerIds.Distinct().ToList();
        var removed = await db.SegmentMembers.Where(m => m.SegmentId == segmentId && ids.Contains(m.CustomerId)).ExecuteDeleteAsync(ct);
        await TouchStaticAsync(segmentId, ct);
        await audit.RecordAsync(AuditActions.MembersRemoved, AuditEntityTypes.Segment, Id(segmentId),
            [new("Members", null, removed.ToString(CultureInfo.InvariantCulture))], ct, actor.ForAudit());
        await tx.CommitAsync(ct);
        return new(SegmentMembersOutcome.Changed, removed);
    }

    private async Task<SegmentMembersResult?> CheckStaticAsync(int segmentId, CancellationToken ct)
    {
        var kind = await db.Segments.Where(s => s.Id == segmentId).Select(s => (SegmentKind?)s.Kind).SingleOrDefaultAsync(ct);
        return kind switch
        {
            null => new(SegmentMembersOutcome.NotFound),
            SegmentKind.Static => null,
            _ => new(SegmentMembersOutcome.NotStatic),
        };
    }

    private async Task TouchStaticAsync(int segmentId, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var count = await db.SegmentMembers.CountAsync(m => m.SegmentId == segmentId, ct);
        await db.Segments.Where(s => s.Id == segmentId).ExecuteUpdateAsync(u => u
            .SetProperty(s => s.LastBuiltAt, now)
            .SetProperty(s => s.LastBuildDurationMs, (long?)null)
            .SetProperty(s => s.MemberCount, count), ct);
    }

    /// <summary>The static segments members can be added to from the customer list.</summary>
    public async Task<IReadOnlyList<SegmentRowViewModel>> StaticSegmentsAsync(CancellationToken ct) =>
        await Rows(db.Segments.AsNoTracking().Where(s => s.Kind == SegmentKind.Static).OrderBy(s => s.Name)).ToListAsync(ct);

    public async Task<SegmentDetailsViewModel?> GetDetailsAsync(int id, SegmentDetailsQuery query, CancellationToken ct)
    {
        var segment = await Rows(db.Segments.AsNoTracking().Where(s => s.Id == id)).SingleOrDefaultAsync(ct);
        if (segment is null)
        {
            return null;
        }

        var ruleJson = await db.Segments.AsNoTracking().Where(s => s.Id == id).Select(s => s.RuleJson).SingleAsync(ct);
        var others = await Rows(db.Segments.AsNoTracking().Where(s => s.Id != id).OrderBy(s => s.Name)).ToListAsync(ct);
        SegmentOverlapViewModel? overlap = null;
        if (query.Compare is { } otherId && others.FirstOrDefault(o => o.Id == otherId) is { } other)
        {
            var (onlyThis, both, onlyOther) = await OverlapAsync(id, otherId, ct);
            overlap = new SegmentOverlapViewModel(otherId, other.Name, onlyThis, both, onlyOther);
        }

        return new SegmentDetailsViewModel
        {
            Segment = segment,
            RuleLines = Describe(parser.Parse(ruleJson).Rule),
            Members = await customers.ListAsync(new CustomerListQuery { Segment = id }, ct),
            Stats = await groups.GetAsync(new GroupsQuery { Dimension = query.Dimension, Segment = id }, ct),
            OtherSegments = others,
            Overlap = overlap,
        };
    }

    /// <summary>Members only in <paramref name="a"/>, in both, and only in <paramref name="b"/>; three index-only counts.</summary>
    public async Task<(int OnlyA, int Both, int OnlyB)> OverlapAsync(int a, int b, CancellationToken ct)
    {
        var members = db.SegmentMembers.AsNoTracking();
        var inA = members.Where(m => m.SegmentId == a);
        var inB = members.Where(m => m.SegmentId == b);
        var both = await inA.CountAsync(m => inB.Any(o => o.CustomerId == m.CustomerId), ct);
        var countA = await inA.CountAsync(ct);
        var countB = await inB.CountAsync(ct);
        return (countA - both, both, countB - both);
    }

    /// <summary>The name of a segment whose members may be exported, or null when there is no such segment.</summary>
    public Task<string?> GetNameAsync(int id, CancellationToken ct) =>
        db.Segments.AsNoTracking().Where(s => s.Id == id).Select(s => s.Name).SingleOrDefaultAsync(ct);

    /// <summary>The members as CSV through the customer export (same columns, formula neutralisation and audit entry).</summary>
    public Task<int> WriteMembersCsvAsync(int id, Stream body, CancellationToken ct) =>
        export.WriteCsvAsync(new CustomerListQuery { Segment = id }, body, ct);

    public string MembersFileName(int id) => export.FileName().Replace("customers-", "segment-" + Id(id) + "-", StringComparison.Ordinal);

    /// <summary>One readable line per condition, indented by group.</summary>
    public IReadOnlyList<string> Describe(SegmentRuleGroup? rule)
    {
        var lines = new List<string>();
        if (rule is not null)
        {
            Walk(rule, 0);
        }

        return lines;

        void Walk(SegmentRuleGroup group, int depth)
        {
            lines.Add(new string(' ', depth * 2) + (group.MatchAll ? l["All of:"] : l["Any of:"]));
            foreach (var child in group.Children)
            {
                if (child is SegmentRuleGroup g)
                {
                    Walk(g, depth + 1);
                }
                else if (child is SegmentRuleCondition c)
                {
                    var parts = new List<string> { l[c.Field.Label], l["segment-op:" + c.Operator] };
                    if (c.EventType is not null)
                    {
                        parts.Insert(1, "\"" + c.EventType + "\"");
                    }

                    if (c.Texts.Count > 0)
                    {
                        parts.Add(string.Join(", ", c.Texts));
                    }

                    if (c.Number is { } n)
                    {
                        parts.Add(n.ToString(CultureInfo.CurrentCulture));
                    }

                    if (c.Days is { } d)
                    {
                        parts.Add(l["within the last {0} days", d]);
                    }

                    lines.Add(new string(' ', (depth + 1) * 2) + "• " + string.Join(" ", parts));
                }
            }
        }
    }

    private async Task<SegmentBuilderData> BuilderDataAsync(CancellationToken ct)
    {
        var filters = await customers.GetFilterOptionsAsync(ct);
        var categories = await db.Products.AsNoTracking().Where(p => p.Category != null).Select(p => p.Category!)
            .Distinct().OrderBy(c => c).Take(500).ToListAsync(ct);
        var products = await db.Products.AsNoTracking().Where(p => p.IsActive).OrderBy(p => p.Sku).Take(500)
            .Select(p => new SegmentBuilderChoice(p.Sku, p.Sku + " — " + p.Name)).ToListAsync(ct);
        var eventTypes = await db.CustomerEvents.AsNoTracking().Select(e => e.Type).Distinct().OrderBy(t => t).Take(100).ToListAsync(ct);
        foreach (var known in CustomerEventTypes.Known.Where(k => !eventTypes.Contains(k)))
        {
            eventTypes.Add(known);
        }

        static List<SegmentBuilderChoice> Plain(IEnumerable<string> values) => values.Select(v => new SegmentBuilderChoice(v, v)).ToList();

        var fields = SegmentFields.All.Select(f => new SegmentBuilderField(f.Name, f.Kind.ToString(), l[f.Label], f.Operators,
            f.Choices?.Select(c => new SegmentBuilderChoice(c, ChoiceLabel(f.Name, c))).ToList())).ToList();
        var operators = SegmentFields.All.SelectMany(f => f.Operators).Distinct(StringComparer.Ordinal)
            .ToDictionary(o => o, o => l["segment-op:" + o].Value, StringComparer.Ordinal);
        return new SegmentBuilderData(fields, operators, new Dictionary<string, IReadOnlyList<SegmentBuilderChoice>>
        {
            [SegmentFields.City] = Plain(filters.Cities),
            [SegmentFields.Region] = Plain(filters.Regions),
            [SegmentFields.Country] = Plain(filters.Countries),
            [SegmentFields.Source] = Plain(filters.Sources),
            [SegmentFields.Tag] = Plain(filters.Tags),
            [SegmentFields.BoughtCategory] = Plain(categories),
            [SegmentFields.BoughtProduct] = products,
            [SegmentFields.EventCount] = Plain(eventTypes),
        }, new Dictionary<string, string>
        {
            ["all"] = l["All of these"],
            ["any"] = l["Any of these"],
            ["addCondition"] = l["Add condition"],
            ["addGroup"] = l["Add group"],
            ["remove"] = l["Remove"],
            ["days"] = l["days"],
            ["anyTime"] = l["at any time"],
            ["withinLast"] = l["within the last"],
            ["eventType"] = l["Event type"],
            ["value"] = l["Value"],
            ["values"] = l["Values (one per line)"],
            ["matching"] = l["Matching customers: {0}"],
            ["invalid"] = l["The rule is not valid:"],
            ["failed"] = l["The preview failed."],
            ["incomplete"] = l["Fill in every condition to see how many customers match."],
        });
    }

    private string ChoiceLabel(string field, string value) => field switch
    {
        SegmentFields.Gender => l["gender:" + value],
        SegmentFields.EmailConsent or SegmentFields.SmsConsent => l["consent:" + value],
        SegmentFields.RfmSegment => RfmSegmentNames.Name(l, Enum.Parse<RfmSegment>(value)),
        _ => value,
    };

    private static IQueryable<SegmentRowViewModel> Rows(IQueryable<Segment> segments) =>
        segments.Select(s => new SegmentRowViewModel(s.Id, s.Name, s.Description, s.Kind, s.MemberCount, s.LastBuiltAt, s.LastBuildDurationMs, s.UpdatedAt));

    private static List<KeyValuePair<string, string?>> Snapshot(Segment s) =>
    [
        new("Name", s.Name),
        new("Description", s.Description),
        new("Rule", s.RuleJson),
    ];

    private static string? Normalize(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Segment {SegmentId} built: {Members} members in {DurationMs} ms.")]
    private static partial void LogBuilt(ILogger logger, int segmentId, int members, long durationMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The stored rule of segment {SegmentId} is no longer valid; its members were kept.")]
    private static partial void LogStoredRuleInvalid(ILogger logger, int segmentId);
}

public sealed record SegmentBuildResult(int Members, long DurationMs);
