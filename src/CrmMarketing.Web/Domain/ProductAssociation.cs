namespace CrmMarketing.Web.Domain;

/// <summary>An item-to-item co-purchase rule "customers who bought <see cref="AntecedentId"/> also bought
/// <see cref="ConsequentId"/>", recomputed in bulk from all purchases (docs/recommendations.md).</summary>
public class ProductAssociation
{
    public int AntecedentId { get; set; }
    public int ConsequentId { get; set; }

    /// <summary>Customers who bought both products.</summary>
    public int PairCustomers { get; set; }

    /// <summary>Share of all buying customers who bought both.</summary>
    public double Support { get; set; }

    /// <summary>Share of the antecedent's buyers who also bought the consequent.</summary>
    public double Confidence { get; set; }

    /// <summary>Confidence divided by the consequent's share of all buying customers: how many times more
    /// likely the antecedent's buyers are to buy the consequent than customers in general.</summary>
    public double Lift { get; set; }

    public DateTime ComputedAt { get; set; }
}

/// <summary>One recomputation of the association rules.</summary>
public class ProductAssociationRun
{
    public int Id { get; set; }
    public DateTime ComputedAt { get; set; }
    public long DurationMs { get; set; }

    /// <summary>Customers with at least one bought product.</summary>
    public int Customers { get; set; }

    public int Rules { get; set; }
    public double MinSupport { get; set; }
    public double MinConfidence { get; set; }
    public double MinLift { get; set; }
    public int MinPairCustomers { get; set; }
}
