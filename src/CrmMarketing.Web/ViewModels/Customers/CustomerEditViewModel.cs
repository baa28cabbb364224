namespace CrmMarketing.Web.ViewModels.Customers;

public sealed record DuplicateMatch(int Id, string Name, string Reason);

/// <summary>The create/edit page: the form plus what the page shows around it.</summary>
public sealed class CustomerEditViewModel
{
    public int? Id { get; init; }
    public required CustomerFormModel Form { get; init; }
    public IReadOnlyList<DuplicateMatch> Duplicates { get; init; } = [];
    public bool Conflict { get; init; }
}
