namespace CrmMarketing.Web.ViewModels.Users;

/// <summary>Who an administrator is acting on, shown above a form.</summary>
public sealed record UserSummaryViewModel(string Id, string Email, string DisplayName);
