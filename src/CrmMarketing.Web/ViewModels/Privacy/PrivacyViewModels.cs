using System.ComponentModel.DataAnnotations;

namespace CrmMarketing.Web.ViewModels.Privacy;

/// <summary>The erase confirmation: the user types the customer's name or id.</summary>
public sealed class EraseFormModel
{
    [Required(ErrorMessage = "The {0} field is required.")]
    [StringLength(Domain.Customer.NameMaxLength, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [Display(Name = "Confirmation")]
    public string? Confirmation { get; set; }
}

public sealed record EraseCount(string Table, int Count);

public sealed class EraseViewModel
{
    public required int Id { get; init; }
    public required string Name { get; init; }
    public required IReadOnlyList<EraseCount> Counts { get; init; }
    public EraseFormModel Form { get; init; } = new();
}
