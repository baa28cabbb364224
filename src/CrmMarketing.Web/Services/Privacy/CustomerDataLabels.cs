using Microsoft.Extensions.Localization;

namespace CrmMarketing.Web.Services.Privacy;

/// <summary>Display names of the <see cref="CustomerOwnedData"/> tables, for the merge and erase screens.</summary>
public static class CustomerDataLabels
{
    public static string Table(IStringLocalizer l, string table) => table switch
    {
        "purchases" => l["Purchases"],
        "events" => l["Events"],
        "notes" => l["Notes"],
        "calls" => l["Calls"],
        "feedback" => l["Feedback"],
        "consent-history" => l["Consent history"],
        "messages" => l["Messages"],
        "survey-invitations" => l["Survey invitations"],
        "follow-ups" => l["Follow-ups"],
        "campaign-recipients" => l["Campaign audiences"],
        _ => table,
    };
}
