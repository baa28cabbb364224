using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Users;

using Microsoft.AspNetCore.Identity;

namespace CrmMarketing.Web.Extensions;

public static class IdentityExtensions
{
    public const int PasswordMinLength = 12;
    public const int MaxFailedSignIns = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan SecurityStampInterval = TimeSpan.FromMinutes(5);

    public static WebApplicationBuilder AddCrmIdentity(this WebApplicationBuilder builder)
    {
        builder.Services
            .AddIdentity<ApplicationUser, IdentityRole>(ConfigureIdentity)
            .AddEntityFrameworkStores<CrmDbContext>()
            .AddErrorDescriber<LocalizedIdentityErrorDescriber>()
            .AddDefaultTokenProviders();

        builder.Services.ConfigureApplicationCookie(options =>
        {
            options.Cookie.Name = "crm.auth";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = builder.Environment.IsDevelopment()
                ? CookieSecurePolicy.SameAsRequest
                : CookieSecurePolicy.Always;
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.SlidingExpiration = true;
            options.LoginPath = "/Account/Login";
            options.LogoutPath = "/Account/Logout";
            options.AccessDeniedPath = "/Account/AccessDenied";
        });

        // Locking a user or changing their role renews their security stamp; their cookies are re-checked this often.
        builder.Services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = SecurityStampInterval);

        builder.Services.AddAuthorization(Policies.Register);
        return builder;
    }

    /// <summary>Password, lockout and user rules; shared with the tests so they exercise the same rules.</summary>
    public static void ConfigureIdentity(IdentityOptions options)
    {
        // Length over composition (NIST SP 800-63B).
        options.Password.RequiredLength = PasswordMinLength;
        options.Password.RequireDigit = false;
        options.Password.RequireLowercase = false;
        options.Password.RequireUppercase = false;
        options.Password.RequireNonAlphanumeric = false;
        options.Password.RequiredUniqueChars = 1;
        options.Lockout.AllowedForNewUsers = true;
        options.Lockout.MaxFailedAccessAttempts = MaxFailedSignIns;
        options.Lockout.DefaultLockoutTimeSpan = LockoutDuration;
        options.User.RequireUniqueEmail = true;
        options.SignIn.RequireConfirmedAccount = false;
    }
}
