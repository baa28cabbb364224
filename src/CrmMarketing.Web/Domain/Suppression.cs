namespace CrmMarketing.Web.Domain;

public enum SuppressionReason
{
    HardBounce = 0,
    Unsubscribed = 1,
    Erased = 2,
    Complaint = 3,
}

/// <summary>An address that must not receive messages on a channel. Only a hash of the normalised address is kept,
/// so the list survives erasure of the customer without keeping their address.</summary>
public class Suppression
{
    public const int AddressHashLength = 64;

    public long Id { get; set; }
    public MessageChannel Channel { get; set; }

    /// <summary>Lower-case hex SHA-256 of the normalised address (lower-cased email, E.164 phone).</summary>
    public string AddressHash { get; set; } = string.Empty;

    public SuppressionReason Reason { get; set; }
    public DateTime CreatedAt { get; set; }
}
