using CrmMarketing.Web.Domain;

namespace CrmMarketing.Web.ViewModels.ApiKeys;

public sealed record ApiKeyRowViewModel(
    int Id, string Name, string KeyId, ApiScopes Scopes, DateTime CreatedAt, string? CreatedBy,
    DateTime? LastUsedAt, DateTime? RevokedAt, string? RevokedBy)
{
    public bool IsRevoked => RevokedAt is not null;
}

public sealed class ApiKeyListViewModel
{
    public required IReadOnlyList<ApiKeyRowViewModel> Rows { get; init; }

    public ApiKeyFormModel Form { get; init; } = new();

    /// <summary>The full key of the key just created: shown on this one page view and never again.</summary>
    public string? NewKey { get; init; }
}
