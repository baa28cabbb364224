using System.ComponentModel.DataAnnotations;

using CrmMarketing.UnitTests.Infrastructure;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Services.Audit;
using CrmMarketing.Web.Services.Users;
using CrmMarketing.Web.ViewModels.Users;

using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmMarketing.UnitTests;

public sealed class UserAdminServiceTests : IAsyncLifetime
{
    private const string GoodPassword = "correct horse battery";
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly SqliteConnection _connection = new("DataSource=:memory:");
    private readonly FixedTimeProvider _time = new(Start);
    private ServiceProvider _provider = null!;
    private AsyncServiceScope _scope;

    private UserAdminService Service => _scope.ServiceProvider.GetRequiredService<UserAdminService>();
    private UserManager<ApplicationUser> Users => _scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();

    public async Task InitializeAsync()
    {
        await _connection.OpenAsync();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddLocalization();
        services.AddDataProtection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddDbContext<CrmDbContext>(o => o.UseSqlite(_connection));
        services.AddIdentityCore<ApplicationUser>(IdentityExtensions.ConfigureIdentity)
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<CrmDbContext>()
            .AddErrorDescriber<LocalizedIdentityErrorDescriber>()
            .AddDefaultTokenProviders();
        services.AddSingleton(TestServices.Formatter());
        services.AddScoped<AuditService>();
        services.AddScoped<UserAdminService>();
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });

        await using (var setup = _provider.CreateAsyncScope())
        {
            await setup.ServiceProvider.GetRequiredService<CrmDbContext>().Database.EnsureCreatedAsync();
            var roles = setup.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
            foreach (var role in Roles.All)
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }

        _scope = _provider.CreateAsyncScope();
    }

    public async Task DisposeAsync()
    {
        await _scope.DisposeAsync();
        await _provider.DisposeAsync();
        await _connection.DisposeAsync();
    }

    [Fact]
    public async Task CreateAsync_ValidForm_CreatesUserWithRole()
    {
        var result = await Service.CreateAsync(Form("ana@example.test", Roles.Marketer), default);

        Assert.True(result.Succeeded);
        var user = await Users.FindByEmailAsync("ana@example.test");
        Assert.NotNull(user);
        Assert.Equal("ana@example.test", user.UserName);
        Assert.Equal("Ana", user.DisplayName);
        Assert.Equal(Start.UtcDateTime, user.CreatedAt);
        Assert.Equal([Roles.Marketer], await Users.GetRolesAsync(user));
        Assert.True(await Users.CheckPasswordAsync(user, GoodPassword));
    }

    [Fact]
    public async Task CreateAsync_PasswordShorterThanMinimum_RejectedAndNothingStored()
    {
        var form = Form("short@example.test", Roles.Sales);
        form.Password = new string('x', IdentityExtensions.PasswordMinLength - 1);

        var result = await Service.CreateAsync(form, default);

        Assert.Equal(UserAdminOutcome.Rejected, result.Outcome);
        Assert.Contains(result.Errors, e => e.Contains(IdentityExtensions.PasswordMinLength.ToString(), StringComparison.Ordinal));
        Assert.Null(await Users.FindByEmailAsync("short@example.test"));
    }

    [Fact]
    public async Task CreateAsync_PasswordOfMinimumLength_Accepted()
    {
        var form = Form("exact@example.test", Roles.Sales);
        form.Password = new string('x', IdentityExtensions.PasswordMinLength);

        var result = await Service.CreateAsync(form, default);

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void UserCreateFormModel_PasswordShorterThanMinimum_IsInvalid()
    {
        var form = Form("form@example.test", Roles.Sales);
        form.Password = form.ConfirmPassword = new string('x', IdentityExtensions.PasswordMinLength - 1);

        var results = new List<ValidationResult>();
        var valid = Validator.TryValidateObject(form, new ValidationContext(form), results, validateAllProperties: true);

        Assert.False(valid);
        Assert.Contains(results, r => r.MemberNames.Contains(nameof(UserCreateFormModel.Password)));
    }

    [Fact]
    public async Task CreateAsync_DuplicateEmail_RejectedWithoutEchoingTheEmail()
    {
        await CreateAsync("dup@example.test", Roles.Sales);

        var result = await Service.CreateAsync(Form("DUP@example.test", Roles.Marketer), default);

        Assert.Equal(UserAdminOutcome.Rejected, result.Outcome);
        Assert.Single(result.Errors);
        Assert.DoesNotContain(result.Errors, e => e.Contains("dup@", StringComparison.OrdinalIgnoreCase));
        Assert.Single(await Users.GetUsersInRoleAsync(Roles.Sales));
        Assert.Empty(await Users.GetUsersInRoleAsync(Roles.Marketer));
    }

    [Fact]
    public async Task CreateAsync_UnknownRole_Rejected()
    {
        var result = await Service.CreateAsync(Form("role@example.test", "Owner"), default);

        Assert.Equal(UserAdminOutcome.Rejected, result.Outcome);
        Assert.Null(await Users.FindByEmailAsync("role@example.test"));
    }

    [Fact]
    public async Task ChangeRoleAsync_MarketerToSales_UserHasExactlyTheNewRole()
    {
        var user = await CreateAsync("bo@example.test", Roles.Marketer);
        _time.Now = Start.AddHours(1);

        var result = await Service.ChangeRoleAsync(user.Id, Roles.Sales, default);

        Assert.True(result.Succeeded);
        var reloaded = await ReloadAsync(user.Id);
        Assert.Equal([Roles.Sales], await Users.GetRolesAsync(reloaded));
        Assert.Equal(Start.AddHours(1).UtcDateTime, reloaded.UpdatedAt);
    }

    [Fact]
    public async Task ChangeRoleAsync_UnknownRole_RejectedAndRoleKept()
    {
        var user = await CreateAsync("cy@example.test", Roles.Sales);

        var result = await Service.ChangeRoleAsync(user.Id, "Owner", default);

        Assert.Equal(UserAdminOutcome.Rejected, result.Outcome);
        Assert.Equal([Roles.Sales], await Users.GetRolesAsync(await ReloadAsync(user.Id)));
    }

    [Fact]
    public async Task ChangeRoleAsync_MissingUser_ReturnsNotFound()
    {
        var result = await Service.ChangeRoleAsync("no-such-id", Roles.Sales, default);

        Assert.Equal(UserAdminOutcome.NotFound, result.Outcome);
    }

    [Fact]
    public async Task ChangeRoleAsync_LastAdmin_RefusedAndRoleKept()
    {
        var admin = await CreateAsync("root@example.test", Roles.Admin);
        await CreateAsync("sales@example.test", Roles.Sales);

        var result = await Service.ChangeRoleAsync(admin.Id, Roles.Marketer, default);

        Assert.Equal(UserAdminOutcome.LastAdmin, result.Outcome);
        Assert.NotEmpty(result.Errors);
        Assert.Equal([Roles.Admin], await Users.GetRolesAsync(await ReloadAsync(admin.Id)));
    }

    [Fact]
    public async Task ChangeRoleAsync_OnlyOtherAdminIsLocked_Refused()
    {
        var admin = await CreateAsync("one@example.test", Roles.Admin);
        var other = await CreateAsync("two@example.test", Roles.Admin);
        Assert.True((await Service.LockAsync(other.Id, admin.Id, default)).Succeeded);

        var result = await Service.ChangeRoleAsync(admin.Id, Roles.Sales, default);

        Assert.Equal(UserAdminOutcome.LastAdmin, result.Outcome);
    }

    [Fact]
    public async Task ChangeRoleAsync_AnotherActiveAdmin_Demotes()
    {
        var admin = await CreateAsync("first@example.test", Roles.Admin);
        await CreateAsync("second@example.test", Roles.Admin);

        var result = await Service.ChangeRoleAsync(admin.Id, Roles.Sales, default);

        Assert.True(result.Succeeded);
        Assert.Equal([Roles.Sales], await Users.GetRolesAsync(await ReloadAsync(admin.Id)));
    }

    [Fact]
    public async Task LockAsync_OwnAccount_RefusedAndNotLocked()
    {
        var admin = await CreateAsync("self@example.test", Roles.Admin);
        await CreateAsync("spare@example.test", Roles.Admin);

        var result = await Service.LockAsync(admin.Id, admin.Id, default);

        Assert.Equal(UserAdminOutcome.SelfLockout, result.Outcome);
        Assert.False(await Users.IsLockedOutAsync(await ReloadAsync(admin.Id)));
    }

    [Fact]
    public async Task LockAsync_OtherUser_LockedIndefinitelyAndStampRenewed()
    {
        var admin = await CreateAsync("boss@example.test", Roles.Admin);
        var user = await CreateAsync("lockme@example.test", Roles.Sales);
        var stamp = user.SecurityStamp;

        var result = await Service.LockAsync(user.Id, admin.Id, default);

        Assert.True(result.Succeeded);
        var reloaded = await ReloadAsync(user.Id);
        Assert.True(await Users.IsLockedOutAsync(reloaded));
        Assert.Equal(UserAdminService.LockedIndefinitely, reloaded.LockoutEnd);
        Assert.NotEqual(stamp, reloaded.SecurityStamp);
    }

    [Fact]
    public async Task UnlockAsync_LockedAfterFailedSignIns_ClearsLockAndFailedCount()
    {
        var user = await CreateAsync("unlock@example.test", Roles.Sales);
        for (var i = 0; i < IdentityExtensions.MaxFailedSignIns; i++)
        {
            await Users.AccessFailedAsync(user);
        }

        Assert.True(await Users.IsLockedOutAsync(user));

        var result = await Service.UnlockAsync(user.Id, default);

        Assert.True(result.Succeeded);
        var reloaded = await ReloadAsync(user.Id);
        Assert.False(await Users.IsLockedOutAsync(reloaded));
        Assert.Null(reloaded.LockoutEnd);
        Assert.Equal(0, reloaded.AccessFailedCount);
    }

    [Fact]
    public async Task ResetPasswordAsync_NewPassword_ReplacesTheOldOne()
    {
        var user = await CreateAsync("reset@example.test", Roles.Sales);

        var result = await Service.ResetPasswordAsync(user.Id, "a brand new passphrase", default);

        Assert.True(result.Succeeded);
        var reloaded = await ReloadAsync(user.Id);
        Assert.True(await Users.CheckPasswordAsync(reloaded, "a brand new passphrase"));
        Assert.False(await Users.CheckPasswordAsync(reloaded, GoodPassword));
    }

    [Fact]
    public async Task ResetPasswordAsync_TooShort_RejectedAndOldPasswordKept()
    {
        var user = await CreateAsync("keep@example.test", Roles.Sales);

        var result = await Service.ResetPasswordAsync(user.Id, "short", default);

        Assert.Equal(UserAdminOutcome.Rejected, result.Outcome);
        Assert.True(await Users.CheckPasswordAsync(await ReloadAsync(user.Id), GoodPassword));
    }

    [Fact]
    public async Task ChangeOwnPasswordAsync_WrongCurrentPassword_Rejected()
    {
        var user = await CreateAsync("own@example.test", Roles.Marketer);

        var result = await Service.ChangeOwnPasswordAsync(user, "not the password", "another long passphrase", default);

        Assert.Equal(UserAdminOutcome.Rejected, result.Outcome);
        Assert.True(await Users.CheckPasswordAsync(await ReloadAsync(user.Id), GoodPassword));
    }

    [Fact]
    public async Task ChangeOwnPasswordAsync_CorrectCurrentPassword_Changes()
    {
        var user = await CreateAsync("own2@example.test", Roles.Marketer);

        var result = await Service.ChangeOwnPasswordAsync(user, GoodPassword, "another long passphrase", default);

        Assert.True(result.Succeeded);
        Assert.True(await Users.CheckPasswordAsync(await ReloadAsync(user.Id), "another long passphrase"));
    }

    [Fact]
    public async Task ListAsync_Users_ShowsRoleLockAndLastChange()
    {
        var admin = await CreateAsync("list-admin@example.test", Roles.Admin);
        var sales = await CreateAsync("list-sales@example.test", Roles.Sales);
        _time.Now = Start.AddDays(2);
        await Service.LockAsync(sales.Id, admin.Id, default);

        var list = await Service.ListAsync(admin.Id, default);

        Assert.Equal(["list-admin@example.test", "list-sales@example.test"], list.Rows.Select(r => r.Email));
        var adminRow = list.Rows[0];
        var salesRow = list.Rows[1];
        Assert.Equal(Roles.Admin, adminRow.Role);
        Assert.Equal(Start.UtcDateTime, adminRow.LastChangedAt);
        Assert.False(list.IsLocked(adminRow));
        Assert.Equal(Roles.Sales, salesRow.Role);
        Assert.True(list.IsLocked(salesRow));
        Assert.True(salesRow.LockedIndefinitely);
        Assert.Equal(Start.AddDays(2).UtcDateTime, salesRow.LastChangedAt);
        Assert.Equal(admin.Id, list.CurrentUserId);
    }

    private static UserCreateFormModel Form(string email, string role) => new()
    {
        Email = email,
        DisplayName = email[..1].ToUpperInvariant() + email[1..email.IndexOf('@')],
        Role = role,
        Password = GoodPassword,
        ConfirmPassword = GoodPassword,
    };

    private async Task<ApplicationUser> CreateAsync(string email, string role)
    {
        var result = await Service.CreateAsync(Form(email, role), default);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        return (await Users.FindByEmailAsync(email))!;
    }

    /// <summary>Reads the user through a fresh scope, so the assertions see what was saved rather than tracked.</summary>
    private async Task<ApplicationUser> ReloadAsync(string id)
    {
        await using var scope = _provider.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<CrmDbContext>().Users.AsNoTracking().SingleAsync(u => u.Id == id);
        return user;
    }
}
