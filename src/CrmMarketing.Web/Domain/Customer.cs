namespace CrmMarketing.Web.Domain;

public class Customer
{
    public const int NameMaxLength = 100;
    public const int EmailMaxLength = 254;
    public const int PhoneMaxLength = 20;
    public const int AddressMaxLength = 200;
    public const int CityMaxLength = 60;
    public const int RegionMaxLength = 60;
    public const int CountryMaxLength = 60;
    public const int PostalCodeMaxLength = 20;
    public const int SourceMaxLength = 60;
    public const int ExternalIdMaxLength = 64;
    public const int ConsentSourceMaxLength = 60;
    public const int UserNameMaxLength = 256;

    public int Id { get; set; }
    public string Name { get; set; } = string.Empty;

    /// <summary>Lower-cased name; the indexed key for prefix search and name sort.</summary>
    public string NameKey { get; set; } = string.Empty;

    public string? Email { get; set; }

    /// <summary>Lower-cased, trimmed email; indexed for search and duplicate detection.</summary>
    public string? EmailKey { get; set; }

    /// <summary>E.164 form, e.g. +8613812345678.</summary>
    public string? Phone { get; set; }

    public Gender Gender { get; set; }
    public DateOnly? BirthDate { get; set; }
    public string? Address { get; set; }
    public string? City { get; set; }
    public string? Region { get; set; }
    public string? Country { get; set; }
    public string? PostalCode { get; set; }
    public string? Source { get; set; }
    public string? ExternalId { get; set; }

    public ConsentState EmailConsent { get; set; }
    public DateTime? EmailConsentAt { get; set; }
    public string? EmailConsentSource { get; set; }
    public ConsentState SmsConsent { get; set; }
    public DateTime? SmsConsentAt { get; set; }
    public string? SmsConsentSource { get; set; }

    public DateTime CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
    public bool IsArchived { get; set; }
    public DateTime? ArchivedAt { get; set; }

    /// <summary>Set when the customer's personal data was erased (pseudonymised); the row keeps only anonymous facts.</summary>
    public DateTime? ErasedAt { get; set; }

    // Cached purchase aggregates, kept exact by every purchase write.
    public DateTime? FirstPurchaseAt { get; set; }
    public DateTime? LastPurchaseAt { get; set; }
    public int OrderCount { get; set; }
    public decimal TotalSpent { get; set; }

    /// <summary>The staff member who looks after this customer (receives follow-ups); set by Admin.</summary>
    public string? OwnerUserId { get; set; }

    /// <summary>Optimistic concurrency token, bumped on every update.</summary>
    public int Version { get; set; }

    public List<CustomerTag> Tags { get; set; } = [];
    public List<Purchase> Purchases { get; set; } = [];
    public List<CustomerEvent> Events { get; set; } = [];
    public List<CustomerNote> Notes { get; set; } = [];
    public List<ConsentChange> ConsentChanges { get; set; } = [];

    public static string KeyOf(string value) => value.Trim().ToLowerInvariant();
}

public class CustomerTag
{
    public const int TagMaxLength = 40;

    public int CustomerId { get; set; }
    public string Tag { get; set; } = string.Empty;
}
