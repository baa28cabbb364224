namespace CrmMarketing.Web.Domain;

/// <summary>A key another system uses to push data in through the ingestion API. The secret itself is
/// never stored: only its SHA-256 hash, found through the public <see cref="KeyId"/> prefix.</summary>
public class ApiKey
{
    public const int NameMaxLength = 100;
    public const int KeyIdLength = 16;
    public const int HashLength = 64;

    public int Id { get; set; }
    public string Name { get; set; } = string.Empty;

    /// <summary>Public, random lookup id; the part of the key after "crm_" and before the secret.</summary>
    public string KeyId { get; set; } = string.Empty;

    /// <summary>Lower-case hex SHA-256 of the whole key.</summary>
    public string SecretHash { get; set; } = string.Empty;

    public ApiScopes Scopes { get; set; }
    public DateTime CreatedAt { get; set; }
    public string? CreatedBy { get; set; }

    /// <summary>Refreshed at most once a minute, so a busy key does not write on every request.</summary>
    public DateTime? LastUsedAt { get; set; }

    public DateTime? RevokedAt { get; set; }
    public string? RevokedBy { get; set; }
}

/// <summary>What a key may do. Stored as an integer of flags.</summary>
[Flags]
public enum ApiScopes
{
    None = 0,
    Customers = 1,
    Purchases = 2,
    Events = 4,
}
