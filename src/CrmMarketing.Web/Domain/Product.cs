namespace CrmMarketing.Web.Domain;

public class Product
{
    public const int SkuMaxLength = 40;
    public const int NameMaxLength = 200;
    public const int CategoryMaxLength = 60;

    public int Id { get; set; }
    public string Sku { get; set; } = string.Empty;
    public string Name { get; set; } = string.Empty;
    public string? Category { get; set; }
    public decimal ListPrice { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTime CreatedAt { get; set; }
}
