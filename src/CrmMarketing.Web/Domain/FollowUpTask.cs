namespace CrmMarketing.Web.Domain;

/// <summary>A task to get back to a customer, opened automatically when a score is low.</summary>
public class FollowUpTask
{
    public const int ReasonMaxLength = 200;
    public const int ResolutionMaxLength = 2000;

    public int Id { get; set; }
    public int CustomerId { get; set; }
    public int? FeedbackId { get; set; }

    /// <summary>The customer's owner, else the configured default user; null when neither exists.</summary>
    public string? AssigneeUserId { get; set; }

    /// <summary>Short, generated text such as "NPS 3/10 from a survey"; never the customer's words.</summary>
    public string Reason { get; set; } = string.Empty;

    public FollowUpStatus Status { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime DueAt { get; set; }
    public DateTime? ResolvedAt { get; set; }
    public string? ResolvedByUserId { get; set; }
    public string? ResolvedByName { get; set; }

    /// <summary>What was done, written by whoever resolved the task; shown on the customer's timeline.</summary>
    public string? Resolution { get; set; }
}

public enum FollowUpStatus
{
    Open = 0,
    Done = 1,
}
