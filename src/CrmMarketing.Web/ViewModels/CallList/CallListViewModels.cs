namespace CrmMarketing.Web.ViewModels.CallList;

/// <summary>One customer to call for a running phone activity.</summary>
public sealed record CallListRowViewModel(
    int ActivityId, string ActivityName, int CustomerId, string CustomerName, string? Phone, DateTime? ContactedAt);

/// <summary>The signed-in sales user's share of the running phone activities' call lists.</summary>
public sealed class CallListViewModel
{
    public IReadOnlyList<CallListRowViewModel> Rows { get; init; } = [];
    public bool OnlyOpen { get; init; }
    public int OpenCount { get; init; }
    public int TotalCount { get; init; }
}
