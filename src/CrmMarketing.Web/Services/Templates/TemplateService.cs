using System.Globalization;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Audit;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.ViewModels.Templates;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.Web.Services.Templates;

public enum TemplateSaveOutcome
{
    Saved,
    NotFound,
    DuplicateName,
    UnknownFields,
}

public sealed record TemplateSaveResult(TemplateSaveOutcome Outcome, int Id = 0, IReadOnlyList<string>? UnknownFields = null);

/// <summary>Email and SMS templates: list, edit (sanitising HTML and checking merge fields), delete and preview.</summary>
public sealed partial class TemplateService(
    CrmDbContext db, HtmlBodySanitizer sanitizer, MergeValueBuilder merge, TimeProvider time, AuditService audit, ILogger<TemplateService> logger)
{
    /// <summary>Shown for <c>{{unsubscribe_url}}</c> in previews: a link that works only in a sent message.</summary>
    public const string PreviewUnsubscribeUrl = "#unsubscribe";

    public async Task<TemplateListViewModel> ListAsync(CancellationToken ct) =>
        new(await db.MessageTemplates.AsNoTracking()
            .OrderBy(t => t.Channel).ThenBy(t => t.Name)
            .Select(t => new TemplateRowViewModel(t.Id, t.Name, t.Channel, t.IsMarketing, t.TrackingEnabled, t.Subject, t.UpdatedAt, t.UpdatedBy))
            .ToListAsync(ct));

    /// <summary>Templates a sender may pick for a channel, by name.</summary>
    public async Task<IReadOnlyList<TemplateRowViewModel>> ListForChannelAsync(MessageChannel channel, CancellationToken ct) =>
        await db.MessageTemplates.AsNoTracking().Where(t => t.Channel == channel).OrderBy(t => t.Name)
            .Select(t => new TemplateRowViewModel(t.Id, t.Name, t.Channel, t.IsMarketing, t.TrackingEnabled, t.Subject, t.UpdatedAt, t.UpdatedBy))
            .ToListAsync(ct);

    public async Task<TemplateEditViewModel?> GetForEditAsync(int id, CancellationToken ct)
    {
        var form = await db.MessageTemplates.AsNoTracking().Where(t => t.Id == id)
            .Select(t => new TemplateFormModel
            {
                Name = t.Name,
                Channel = t.Channel,
                IsMarketing = t.IsMarketing,
                TrackingEnabled = t.TrackingEnabled,
                Subject = t.Subject,
                HtmlBody = t.HtmlBody,
                TextBody = t.TextBody,
            })
            .FirstOrDefaultAsync(ct);
        return form is null ? null : new TemplateEditViewModel { Id = id, Form = form };
    }

    /// <summary>The stored template, for composing a message from it.</summary>
    public Task<MessageTemplate?> FindAsync(int id, CancellationToken ct) =>
        db.MessageTemplates.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct);

    public async Task<TemplateSaveResult> CreateAsync(TemplateFormModel form, Actor actor, CancellationToken ct)
    {
        var template = new MessageTemplate { Channel = form.Channel, CreatedAt = time.GetUtcNow().UtcDateTime, CreatedBy = actor.Name };
        var problem = Apply(template, form, actor);
        if (problem is not null)
        {
            return problem;
        }

        if (await NameTakenAsync(template.Channel, template.Name, exceptId: null, ct))
        {
            return new TemplateSaveResult(TemplateSaveOutcome.DuplicateName);
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.MessageTemplates.Add(template);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(AuditActions.Create, AuditEntityTypes.MessageTemplate, Key(template.Id),
            [new AuditChange(nameof(MessageTemplate.Name), null, template.Name)], ct, actor.ForAudit());
        await tx.CommitAsync(ct);
        LogSaved(logger, template.Id);
        return new TemplateSaveResult(TemplateSaveOutcome.Saved, template.Id);
    }

    public async Task<TemplateSaveResult> UpdateAsync(int id, TemplateFormModel form, Actor actor, CancellationToken ct)
    {
        var template = await db.MessageTemplates.FirstOrDefaultAsync(t => t.Id == id, ct);
        if (template is null)
        {
            return new TemplateSaveResult(TemplateSaveOutcome.NotFound);
        }

        var before = new { template.Name, template.Subject, template.HtmlBody, template.TextBody, template.IsMarketing, template.TrackingEnabled };
        // The channel of an existing template is fixed: messages already sent from it keep their meaning.
        form.Channel = template.Channel;
        var problem = Apply(template, form, actor);
        if (problem is not null)
        {
            return problem;
        }

        if (await NameTakenAsync(template.Channel, template.Name, id, ct))
        {
            return new TemplateSaveResult(TemplateSaveOutcome.DuplicateName);
        }

        var changes = new List<AuditChange>();
        Compare(changes, nameof(MessageTemplate.Name), before.Name, template.Name);
        Compare(changes, nameof(MessageTemplate.Subject), before.Subject, template.Subject);
        Compare(changes, nameof(MessageTemplate.HtmlBody), before.HtmlBody, template.HtmlBody);
        Compare(changes, nameof(MessageTemplate.TextBody), before.TextBody, template.TextBody);
        Compare(changes, nameof(MessageTemplate.IsMarketing), before.IsMarketing.ToString(), template.IsMarketing.ToString());
        Compare(changes, nameof(MessageTemplate.TrackingEnabled), before.TrackingEnabled.ToString(), template.TrackingEnabled.ToString());

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        if (changes.Count > 0)
        {
            await audit.RecordAsync(AuditActions.Update, AuditEntityTypes.MessageTemplate, Key(id), changes, ct, actor.ForAudit());
        }

        await tx.CommitAsync(ct);
        LogSaved(logger, id);
        return new TemplateSaveResult(TemplateSaveOutcome.Saved, id);
    }

    public async Task<bool> DeleteAsync(int id, Actor actor, CancellationToken ct)
    {
        var template = await db.MessageTemplates.FirstOrDefaultAsync(t => t.Id == id, ct);
        if (template is null)
        {
            return false;
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.MessageTemplates.Remove(template);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(AuditActions.Delete, AuditEntityTypes.MessageTemplate, Key(id),
            [new AuditChange(nameof(MessageTemplate.Name), template.Name, null)], ct, actor.ForAudit());
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>The template rendered for the customer found by <paramref name="customerQuery"/> (id, email or
    /// name); null when the template does not exist.</summary>
    public async Task<TemplatePreviewViewModel?> PreviewAsync(int id, string? customerQuery, Actor actor, CancellationToken ct)
    {
        var template = await FindAsync(id, ct);
        if (template is null)
        {
            return null;
        }

        var recipient = string.IsNullOrWhiteSpace(customerQuery) ? null : await merge.SearchRecipientAsync(customerQuery, ct);
        if (recipient is null)
        {
            return new TemplatePreviewViewModel
            {
                TemplateId = id,
                TemplateName = template.Name,
                Channel = template.Channel,
                CustomerQuery = customerQuery,
                CustomerNotFound = !string.IsNullOrWhiteSpace(customerQuery),
            };
        }

        var values = merge.For(recipient, actor.Name, template.IsMarketing ? PreviewUnsubscribeUrl : null);
        var rendered = MessageComposer.Render(template, values);
        return new TemplatePreviewViewModel
        {
            TemplateId = id,
            TemplateName = template.Name,
            Channel = template.Channel,
            CustomerQuery = customerQuery,
            CustomerId = recipient.Id,
            CustomerName = recipient.Name,
            Subject = rendered.Subject,
            Html = rendered.HtmlBody,
            Text = rendered.TextBody,
            SmsLength = template.Channel == MessageChannel.Sms ? SmsSegments.Measure(rendered.TextBody) : null,
        };
    }

    /// <summary>Copies the form onto the template: HTML sanitised, texts trimmed. The merge fields are checked
    /// again after sanitising, in case the sanitiser rewrote a placeholder inside an attribute.</summary>
    private TemplateSaveResult? Apply(MessageTemplate template, TemplateFormModel form, Actor actor)
    {
        template.Name = form.Name.Trim();
        template.IsMarketing = form.IsMarketing;
        template.UpdatedAt = time.GetUtcNow().UtcDateTime;
        template.UpdatedBy = actor.Name;
        if (template.Channel == MessageChannel.Email)
        {
            template.Subject = form.Subject?.ReplaceLineEndings(" ").Trim();
            template.HtmlBody = sanitizer.Sanitize(form.HtmlBody ?? string.Empty);
            template.TextBody = string.IsNullOrWhiteSpace(form.TextBody) ? null : form.TextBody.Trim();
            template.TrackingEnabled = form.TrackingEnabled;
        }
        else
        {
            template.Subject = null;
            template.HtmlBody = null;
            template.TextBody = form.TextBody?.Trim();
            template.TrackingEnabled = false;
        }

        var unknown = MergeFields.UnknownIn(template.Subject, template.HtmlBody, template.TextBody);
        return unknown.Count > 0 ? new TemplateSaveResult(TemplateSaveOutcome.UnknownFields, UnknownFields: unknown) : null;
    }

    private Task<bool> NameTakenAsync(MessageChannel channel, string name, int? exceptId, CancellationToken ct) =>
        db.MessageTemplates.AnyAsync(t => t.Channel == channel && t.Name == name && t.Id != exceptId, ct);

    private static void Compare(List<AuditChange> changes, string field, string? before, string? after)
    {
        if (!string.Equals(before, after, StringComparison.Ordinal))
        {
            changes.Add(new AuditChange(field, before, after));
        }
    }

    private static string Key(int id) => id.ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message template {TemplateId} saved")]
    private static partial void LogSaved(ILogger logger, int templateId);
}
