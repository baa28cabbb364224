using CrmMarketing.Web.Domain;
using CrmMarketing.Web.ViewModels.Templates;

namespace CrmMarketing.Web.ViewModels.Messages;

public sealed class ComposeViewModel
{
    public required int CustomerId { get; init; }
    public required string CustomerName { get; init; }

    /// <summary>The customer's address on this channel; null when there is none.</summary>
    public string? Address { get; init; }

    public required ConsentState Consent { get; init; }
    public required IReadOnlyList<TemplateRowViewModel> Templates { get; init; }
    public required ComposeFormModel Form { get; init; }
}
