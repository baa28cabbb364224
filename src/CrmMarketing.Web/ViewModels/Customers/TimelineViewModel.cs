namespace CrmMarketing.Web.ViewModels.Customers;

/// <summary>Kinds of timeline entry; later areas (messages, calls, feedback) add their own.</summary>
public static class TimelineKinds
{
    public const string Purchase = "purchase";
    public const string Event = "event";
    public const string Note = "note";
    public const string Call = "call";
    public const string Feedback = "feedback";
    public const string Message = "message";
}

/// <summary>One thing that happened to a customer. <see cref="Title"/> and <see cref="Detail"/> are plain text
/// (views encode them); <see cref="Amount"/> is shown as money when present.</summary>
public sealed record TimelineEntry(DateTime At, string Kind, string Title, string? Detail, decimal? Amount = null, string? Author = null);

public sealed record TimelineViewModel(IReadOnlyList<TimelineEntry> Entries, DateTime? OlderThan);
