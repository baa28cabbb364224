using Microsoft.AspNetCore.Identity;

namespace CrmMarketing.Web.Domain;

public class ApplicationUser : IdentityUser
{
    public const int DisplayNameMaxLength = 100;

    public string DisplayName { get; set; } = string.Empty;
    public DateTime CreatedAt { get; set; }
}
