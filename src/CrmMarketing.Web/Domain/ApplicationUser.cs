using Microsoft.AspNetCore.Identity;

namespace CrmMarketing.Web.Domain;

public class ApplicationUser : IdentityUser
{
    public const int DisplayNameMaxLength = 100;

    public string DisplayName { get; set; } = string.Empty;
    public DateTime CreatedAt { get; set; }

    /// <summary>Last change made through user administration or a password change; null until the first one.</summary>
    public DateTime? UpdatedAt { get; set; }
}
