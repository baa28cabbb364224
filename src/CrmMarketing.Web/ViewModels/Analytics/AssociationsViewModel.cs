namespace CrmMarketing.Web.ViewModels.Analytics;

public sealed record AssociationRunSummary(DateTime ComputedAt, long DurationMs, int Customers, int Rules,
    double MinSupport, double MinConfidence, double MinLift, int MinPairCustomers);

public sealed record AssociationRow(int AntecedentId, string Antecedent, int ConsequentId, string Consequent,
    int PairCustomers, double Support, double Confidence, double Lift);

public sealed class AssociationsViewModel
{
    public AssociationRunSummary? LastRun { get; init; }

    /// <summary>The strongest rules, by lift.</summary>
    public required IReadOnlyList<AssociationRow> Rows { get; init; }

    public required int TotalRules { get; init; }

    /// <summary>The thresholds in force now (the next computation uses them).</summary>
    public required double MinSupport { get; init; }
    public required double MinConfidence { get; init; }
    public required double MinLift { get; init; }
    public required int MinPairCustomers { get; init; }
}
