namespace CrmMarketing.Web.Domain;

public class CustomerNote
{
    public const int BodyMaxLength = 4000;

    public int Id { get; set; }
    public int CustomerId { get; set; }
    public string Body { get; set; } = string.Empty;
    public DateTime CreatedAt { get; set; }
    public string? CreatedByUserId { get; set; }
    public string? CreatedByName { get; set; }
}
