namespace CrmMarketing.Web.Services.Campaigns;

public enum UpliftVerdict
{
    /// <summary>The 95 % interval contains zero: the difference may be chance.</summary>
    NotYetSignificant = 0,
    SignificantUplift = 1,
    SignificantlyNegative = 2,
}

/// <summary>Treatment against holdout: conversion rates, their difference with a 95 % confidence interval and the
/// incremental revenue.</summary>
public sealed record UpliftResult(
    int TreatmentSize,
    int TreatmentConverters,
    decimal TreatmentRevenue,
    int HoldoutSize,
    int HoldoutConverters,
    decimal HoldoutRevenue,
    double TreatmentRate,
    double HoldoutRate,
    double Difference,
    double Low,
    double High,
    decimal IncrementalRevenue,
    UpliftVerdict Verdict);

/// <summary>The difference of two proportions with the normal approximation and the unpooled standard error:
/// d = p₁ − p₀, SE = √(p₁(1−p₁)/n₁ + p₀(1−p₀)/n₀), 95 % CI = d ± 1.959964·SE.</summary>
public static class UpliftMath
{
    /// <summary>The 97.5th percentile of the standard normal distribution.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>Null when either group is empty (no holdout, or nothing launched): there is nothing to compare.</summary>
    public static UpliftResult? Compute(int treatmentSize, int treatmentConverters, decimal treatmentRevenue,
        int holdoutSize, int holdoutConverters, decimal holdoutRevenue)
    {
        if (treatmentSize <= 0 || holdoutSize <= 0)
        {
            return null;
        }

        var p1 = (double)treatmentConverters / treatmentSize;
        var p0 = (double)holdoutConverters / holdoutSize;
        var difference = p1 - p0;
        var se = Math.Sqrt((p1 * (1 - p1) / treatmentSize) + (p0 * (1 - p0) / holdoutSize));
        var low = difference - (Z95 * se);
        var high = difference + (Z95 * se);
        var verdict = low > 0 ? UpliftVerdict.SignificantUplift : high < 0 ? UpliftVerdict.SignificantlyNegative : UpliftVerdict.NotYetSignificant;
        var incremental = decimal.Round(((treatmentRevenue / treatmentSize) - (holdoutRevenue / holdoutSize)) * treatmentSize, 2, MidpointRounding.AwayFromZero);
        return new UpliftResult(treatmentSize, treatmentConverters, treatmentRevenue, holdoutSize, holdoutConverters, holdoutRevenue,
            p1, p0, difference, low, high, incremental, verdict);
    }

    /// <summary>ROI = (revenue − cost) / cost; undefined (null) without cost.</summary>
    public static decimal? Roi(decimal revenue, decimal cost) => cost == 0m ? null : (revenue - cost) / cost;

    /// <summary>A ratio that is undefined (null) for a zero denominator.</summary>
    public static double? Rate(long numerator, long denominator) => denominator == 0 ? null : (double)numerator / denominator;
}
