using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Templates;

namespace CrmMarketing.Web.ViewModels.Templates;

public sealed record TemplateRowViewModel(int Id, string Name, MessageChannel Channel, bool IsMarketing, bool TrackingEnabled, string? Subject, DateTime UpdatedAt, string? UpdatedBy);

public sealed record TemplateListViewModel(IReadOnlyList<TemplateRowViewModel> Templates);

public sealed class TemplateEditViewModel
{
    public int? Id { get; init; }
    public required TemplateFormModel Form { get; init; }
    public IReadOnlyList<MergeField> Fields => MergeFields.All;

    /// <summary>Length of the SMS text as saved (merge fields unexpanded).</summary>
    public SmsLength? SmsLength => Form.Channel == MessageChannel.Sms ? SmsSegments.Measure(Form.TextBody) : null;
}

/// <summary>A template rendered for one customer.</summary>
public sealed class TemplatePreviewViewModel
{
    public required int TemplateId { get; init; }
    public required string TemplateName { get; init; }
    public required MessageChannel Channel { get; init; }
    public string? CustomerQuery { get; init; }
    public int? CustomerId { get; init; }
    public string? CustomerName { get; init; }
    public bool CustomerNotFound { get; init; }
    public string? Subject { get; init; }
    public string? Html { get; init; }
    public string? Text { get; init; }
    public SmsLength? SmsLength { get; init; }
}
