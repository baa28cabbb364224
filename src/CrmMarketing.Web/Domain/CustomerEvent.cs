namespace CrmMarketing.Web.Domain;

/// <summary>A behaviour event such as page_view, store_visit, email_open or cart_add.</summary>
public class CustomerEvent
{
    public const int TypeMaxLength = 40;
    public const int SourceMaxLength = 60;
    public const int PropertiesMaxLength = 4000;

    public long Id { get; set; }
    public int CustomerId { get; set; }
    public string Type { get; set; } = string.Empty;
    public DateTime OccurredAt { get; set; }
    public string? Source { get; set; }

    /// <summary>Small JSON object of event properties (page, product, campaign, …).</summary>
    public string? PropertiesJson { get; set; }
}

public static class CustomerEventTypes
{
    public const string PageView = "page_view";
    public const string StoreVisit = "store_visit";
    public const string EmailOpen = "email_open";
    public const string CartAdd = "cart_add";
    public const string ProductView = "product_view";
    public const string Search = "search";

    public static readonly IReadOnlyList<string> Known = [PageView, ProductView, CartAdd, Search, StoreVisit, EmailOpen];
}
