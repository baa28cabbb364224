namespace CrmMarketing.Web.Domain;

public enum ConsentChannel
{
    Email = 0,
    Sms = 1,
}

/// <summary>One row of the consent ledger: a channel's consent state as of <see cref="ChangedAt"/>, and who or
/// what set it. Rows are only ever appended; the customer's current state is the newest row per channel.</summary>
public class ConsentChange
{
    public const int SourceMaxLength = Customer.ConsentSourceMaxLength;
    public const int EvidenceMaxLength = 500;

    public long Id { get; set; }
    public int CustomerId { get; set; }
    public ConsentChannel Channel { get; set; }
    public ConsentState State { get; set; }
    public DateTime ChangedAt { get; set; }

    /// <summary>Where the change came from: "staff", "demo", "import", …</summary>
    public string Source { get; set; } = string.Empty;

    public string? ChangedBy { get; set; }

    /// <summary>Optional proof: a form reference, the wording the customer agreed to, a ticket number.</summary>
    public string? Evidence { get; set; }
}

public static class ConsentSources
{
    public const string Staff = "staff";
    public const string Demo = "demo";
    public const string Import = "import";
    public const string Api = "api";
}
