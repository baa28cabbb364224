using System.ComponentModel.DataAnnotations;

namespace CrmMarketing.Web.ViewModels.Unsubscribe;

/// <summary>An inbound SMS as the gateway posts it; <c>text</c> and <c>body</c> are both accepted.</summary>
public sealed class InboundSmsModel
{
    [StringLength(40)]
    public string? From { get; set; }

    [StringLength(1600)]
    public string? Text { get; set; }

    [StringLength(1600)]
    public string? Body { get; set; }
}
