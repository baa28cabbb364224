namespace CrmMarketing.Web.Domain;

/// <summary>One merge of two customers: everything needed to undo it. The loser's row is deleted by the merge
/// and re-inserted with its old id by the undo; the survivor's row is restored from its before-image.</summary>
public class MergeJournal
{
    /// <summary>How long a merge can be undone.</summary>
    public const int UndoDays = 30;

    public const int UserNameMaxLength = Customer.UserNameMaxLength;

    public int Id { get; set; }
    public int SurvivorId { get; set; }
    public int LoserId { get; set; }
    public DateTime MergedAt { get; set; }
    public string? MergedByUserId { get; set; }
    public string MergedBy { get; set; } = string.Empty;

    /// <summary>Every column of the survivor before the merge, with its tags (JSON).</summary>
    public string SurvivorBefore { get; set; } = string.Empty;

    /// <summary>Every column of the loser before the merge, with its tags (JSON).</summary>
    public string LoserBefore { get; set; } = string.Empty;

    /// <summary>The ids of the rows moved from the loser to the survivor, per table (JSON object of arrays),
    /// and the ids of rows the merge created (consent ledger entries) under "created:…" keys.</summary>
    public string MovedRows { get; set; } = string.Empty;

    /// <summary>The survivor's <see cref="Customer.Version"/> right after the merge; an undo is refused once it moved on.</summary>
    public int SurvivorVersionAfter { get; set; }

    public DateTime? UndoneAt { get; set; }
    public string? UndoneBy { get; set; }

    /// <summary>Set when the before-images were cleared: after the undo window, or when one of the two was erased.</summary>
    public DateTime? PurgedAt { get; set; }
}

/// <summary>A pair of customers an administrator marked as "not a duplicate"; the finder skips it from then on.
/// The lower id is always <see cref="FirstCustomerId"/>.</summary>
public class DuplicateDismissal
{
    public int FirstCustomerId { get; set; }
    public int SecondCustomerId { get; set; }
    public DateTime DismissedAt { get; set; }
    public string DismissedBy { get; set; } = string.Empty;
}

/// <summary>A customer's key for the personal values written into the audit log. The log is append-only and
/// hash-chained, so an erasure cannot rewrite it; it deletes this key instead, which leaves those values
/// unreadable for good (crypto-shredding). See docs/privacy.md.</summary>
public class PersonalDataKey
{
    public const int KeyLength = 32;

    public int CustomerId { get; set; }
    public byte[] Key { get; set; } = [];
    public DateTime CreatedAt { get; set; }
}
