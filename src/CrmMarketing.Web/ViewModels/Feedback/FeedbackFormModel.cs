using System.ComponentModel.DataAnnotations;
using CrmMarketing.Web.Domain;

namespace CrmMarketing.Web.ViewModels.Feedback;

/// <summary>Logging or editing one piece of feedback. The customer name is only what the picker showed.</summary>
public sealed class FeedbackFormModel
{
    [Required(ErrorMessage = "Choose a customer.")]
    [Range(1, int.MaxValue, ErrorMessage = "Choose a customer.")]
    [Display(Name = "Customer")]
    public int? CustomerId { get; set; }

    [StringLength(Customer.NameMaxLength)]
    public string? CustomerName { get; set; }

    [Required(ErrorMessage = "Choose a score from 1 to 5.")]
    [Range(Domain.Feedback.MinScore, Domain.Feedback.MaxScore, ErrorMessage = "Choose a score from 1 to 5.")]
    [Display(Name = "Score")]
    public int? Score { get; set; }

    [Required(ErrorMessage = "The {0} field is required.")]
    [StringLength(Domain.Feedback.ContentMaxLength, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [Display(Name = "Feedback")]
    public string Content { get; set; } = string.Empty;

    [Display(Name = "Channel")]
    public FeedbackChannel Channel { get; set; } = FeedbackChannel.Phone;

    [Display(Name = "Category")]
    public FeedbackCategory Category { get; set; } = FeedbackCategory.Product;

    [Display(Name = "Product")]
    public int? ProductId { get; set; }

    [StringLength(Domain.Feedback.TagsMaxLength, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [Display(Name = "Tags")]
    public string? Tags { get; set; }

    /// <summary>Set by the quick form on the customer page: go back there after saving.</summary>
    public bool ReturnToCustomer { get; set; }
}


public sealed record ProductChoice(int Id, string Name);

public sealed class FeedbackCreateViewModel
{
    public FeedbackFormModel Form { get; init; } = new();
    public IReadOnlyList<ProductChoice> Products { get; init; } = [];
}

public sealed class FeedbackEditViewModel
{
    public int Id { get; init; }
    public FeedbackFormModel Form { get; init; } = new();
    public IReadOnlyList<ProductChoice> Products { get; init; } = [];
}

/// <summary>The small card on a customer's page.</summary>
public sealed record FeedbackQuickFormViewModel(int CustomerId, IReadOnlyList<ProductChoice> Products);

public sealed class FeedbackStatusFormModel
{
    [Required]
    public FeedbackStatus? Status { get; set; }
}

/// <summary>One match of the customer picker: contact details partly masked.</summary>
public sealed record CustomerLookupItem(int Id, string Name, string? Contact);

/// <summary>The 1–5 star radios: the form field name, the current value and an id prefix unique on the page.</summary>
public sealed record StarRatingModel(string Name, int? Value, string IdPrefix);

/// <summary>The fields shared by the create and edit pages; <see cref="Prefix"/> is the form's binding prefix ("Form.").</summary>
public sealed record FeedbackFormFieldsModel(FeedbackFormModel Form, IReadOnlyList<ProductChoice> Products, string Prefix = "Form.");
