using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Options;

namespace CrmMarketing.Web.Services.Feedback;

/// <summary>The satisfaction definitions in one place (docs/feedback.md): CSAT satisfied = 4–5,
/// NPS promoters = 9–10, passives = 7–8, detractors = 0–6, and the configurable "low score" of the closed loop.</summary>
public static class Satisfaction
{
    public const int PromoterScore = 9;
    public const int DetractorMaxScore = 6;

    public static bool IsPromoter(int npsScore) => npsScore >= PromoterScore;

    public static bool IsDetractor(int npsScore) => npsScore <= DetractorMaxScore;

    /// <summary>NPS = % promoters − % detractors, from −100 to 100; null without answers.</summary>
    public static double? Nps(int promoters, int detractors, int count) =>
        count == 0 ? null : 100.0 * (promoters - detractors) / count;

    /// <summary>Whether a score is low enough to open a follow-up task.</summary>
    public static bool IsLow(ScoreScale scale, int score, FeedbackOptions options) =>
        scale == ScoreScale.Nps ? score <= options.NpsLowThreshold : score <= options.CsatLowThreshold;

    /// <summary>Whether a score counts as happy (CSAT 4–5, NPS 9–10); used to split comment themes.</summary>
    public static bool IsHigh(ScoreScale scale, int score) =>
        scale == ScoreScale.Nps ? IsPromoter(score) : score >= Domain.Feedback.SatisfiedScore;
}
