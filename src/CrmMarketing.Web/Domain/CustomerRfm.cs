namespace CrmMarketing.Web.Domain;

/// <summary>A customer's recency, frequency and monetary scores (1–5) over the configured window; recomputed
/// in bulk, one row per customer with at least one purchase in the window. See docs/rfm.md.</summary>
public class CustomerRfm
{
    public int CustomerId { get; set; }

    public int RecencyScore { get; set; }
    public int FrequencyScore { get; set; }
    public int MonetaryScore { get; set; }
    public RfmSegment Segment { get; set; }

    /// <summary>Whole days from the computation time back to the last order in the window.</summary>
    public int RecencyDays { get; set; }

    /// <summary>Orders (purchases with a total of zero or more) in the window.</summary>
    public int Frequency { get; set; }

    /// <summary>Sum of the purchase totals in the window, returns included.</summary>
    public decimal Monetary { get; set; }

    public DateTime ComputedAt { get; set; }
}

/// <summary>One recomputation of every customer's RFM scores.</summary>
public class RfmRun
{
    public int Id { get; set; }
    public DateTime ComputedAt { get; set; }
    public int WindowDays { get; set; }
    public int Customers { get; set; }
    public long DurationMs { get; set; }
}

/// <summary>The named R×F segments of docs/rfm.md.</summary>
public enum RfmSegment
{
    Champions = 1,
    Loyal = 2,
    PotentialLoyalist = 3,
    NewCustomers = 4,
    Promising = 5,
    NeedAttention = 6,
    AboutToSleep = 7,
    AtRisk = 8,
    CantLoseThem = 9,
    Hibernating = 10,
    Lost = 11,
}

public static class RfmSegments
{
    /// <summary>The R×F grid: row = recency score 1–5, column = frequency score 1–5.</summary>
    private static readonly RfmSegment[,] Grid =
    {
        // F=1                      F=2                             F=3                             F=4                     F=5
        { RfmSegment.Lost,          RfmSegment.Hibernating,         RfmSegment.AtRisk,              RfmSegment.AtRisk,      RfmSegment.CantLoseThem }, // R=1
        { RfmSegment.Hibernating,   RfmSegment.Hibernating,         RfmSegment.AtRisk,              RfmSegment.AtRisk,      RfmSegment.CantLoseThem }, // R=2
        { RfmSegment.AboutToSleep,  RfmSegment.AboutToSleep,        RfmSegment.NeedAttention,       RfmSegment.Loyal,       RfmSegment.Loyal },        // R=3
        { RfmSegment.Promising,     RfmSegment.PotentialLoyalist,   RfmSegment.PotentialLoyalist,   RfmSegment.Loyal,       RfmSegment.Loyal },        // R=4
        { RfmSegment.NewCustomers,  RfmSegment.PotentialLoyalist,   RfmSegment.PotentialLoyalist,   RfmSegment.Champions,   RfmSegment.Champions },    // R=5
    };

    public static IReadOnlyList<RfmSegment> All { get; } = Enum.GetValues<RfmSegment>();

    public static RfmSegment Of(int recency, int frequency)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(recency, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(recency, 5);
        ArgumentOutOfRangeException.ThrowIfLessThan(frequency, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(frequency, 5);
        return Grid[recency - 1, frequency - 1];
    }
}
