namespace CrmMarketing.Web.Domain;

public enum CallDirection
{
    Inbound = 0,
    Outbound = 1,
}

public enum CallOutcome
{
    Reached = 0,
    NoAnswer = 1,
    Voicemail = 2,
    CallbackRequested = 3,
    WrongNumber = 4,
}

/// <summary>A phone call with a customer, logged by staff.</summary>
public class CustomerCall
{
    public const int NotesMaxLength = 4000;
    public const int MaxDurationSeconds = 86_400;

    public int Id { get; set; }
    public int CustomerId { get; set; }
    public CallDirection Direction { get; set; }
    public CallOutcome Outcome { get; set; }
    public int DurationSeconds { get; set; }
    public string? Notes { get; set; }

    /// <summary>The day to call back, if any; a calendar date in the display zone.</summary>
    public DateOnly? FollowUpOn { get; set; }

    /// <summary>When the call took place (UTC).</summary>
    public DateTime CalledAt { get; set; }

    public string? CreatedByUserId { get; set; }
    public string? CreatedByName { get; set; }
}
