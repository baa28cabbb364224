namespace CrmMarketing.Web.Domain;

public class Purchase
{
    public const int OrderNumberMaxLength = 40;
    public const int CouponCodeMaxLength = 40;

    public int Id { get; set; }
    public string OrderNumber { get; set; } = string.Empty;
    public int CustomerId { get; set; }
    public Customer? Customer { get; set; }
    public DateTime PurchasedAt { get; set; }
    public PurchaseChannel Channel { get; set; }
    public string? CouponCode { get; set; }

    /// <summary>Sum of the line amounts; negative for a return.</summary>
    public decimal Total { get; set; }

    public DateTime CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
    public List<PurchaseLine> Lines { get; set; } = [];
}

public class PurchaseLine
{
    public int Id { get; set; }
    public int PurchaseId { get; set; }
    public int ProductId { get; set; }
    public Product? Product { get; set; }

    /// <summary>Negative quantities are returns.</summary>
    public int Quantity { get; set; }

    public decimal UnitPrice { get; set; }
    public decimal Amount { get; set; }
}
