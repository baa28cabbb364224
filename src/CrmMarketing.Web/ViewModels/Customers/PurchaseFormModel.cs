using System.ComponentModel.DataAnnotations;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Resources;

namespace CrmMarketing.Web.ViewModels.Customers;

public sealed class PurchaseFormModel : IValidatableObject
{
    public const int MaxLines = 50;

    [StringLength(Purchase.OrderNumberMaxLength, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [Display(Name = "Order number")]
    public string? OrderNumber { get; set; }

    [Required(ErrorMessage = "The {0} field is required.")]
    [Display(Name = "Purchased at")]
    [DataType(DataType.DateTime)]
    public DateTime? PurchasedAt { get; set; }

    [Display(Name = "Channel")]
    public PurchaseChannel Channel { get; set; }

    [StringLength(Purchase.CouponCodeMaxLength, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [Display(Name = "Coupon code")]
    public string? CouponCode { get; set; }

    public List<PurchaseLineFormModel> Lines { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var filled = Lines.Where(l => !l.IsEmpty).ToList();
        if (filled.Count == 0)
        {
            yield return ValidationText.Error(validationContext, nameof(Lines), "Add at least one line.");
        }

        if (filled.Count > MaxLines)
        {
            yield return ValidationText.Error(validationContext, nameof(Lines), "At most {0} lines.", MaxLines);
        }

        if (!Enum.IsDefined(Channel))
        {
            yield return ValidationText.Error(validationContext, nameof(Channel), "Choose one of the listed values.");
        }
    }
}

public sealed class PurchaseLineFormModel : IValidatableObject
{
    [Display(Name = "Product")]
    public int? ProductId { get; set; }

    [Range(-100_000, 100_000, ErrorMessage = "The {0} field must be between {1} and {2}.")]
    [Display(Name = "Quantity")]
    public int? Quantity { get; set; }

    [Range(typeof(decimal), "0", "100000000", ErrorMessage = "The {0} field must be between {1} and {2}.")]
    [Display(Name = "Unit price")]
    public decimal? UnitPrice { get; set; }

    public bool IsEmpty => ProductId is null && Quantity is null && UnitPrice is null;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (IsEmpty)
        {
            yield break;
        }

        if (ProductId is null)
        {
            yield return ValidationText.Error(validationContext, nameof(ProductId), "Choose a product.");
        }

        if (Quantity is null or 0)
        {
            yield return ValidationText.Error(validationContext, nameof(Quantity), "Enter a quantity other than zero (negative for a return).");
        }
    }
}

public sealed record ProductOption(int Id, string Sku, string Name, decimal ListPrice);

public sealed class PurchaseCreateViewModel
{
    public required int CustomerId { get; init; }
    public required string CustomerName { get; init; }
    public required PurchaseFormModel Form { get; init; }
    public required IReadOnlyList<ProductOption> Products { get; init; }
}
