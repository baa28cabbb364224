using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Resources;
using Microsoft.Extensions.Localization;

namespace CrmMarketing.Web.Services.Import;

/// <summary>Localised names of the import wizard's choices.</summary>
public static class ImportLabels
{
    public static string EntityType(IStringLocalizer<SharedResource> l, ImportEntityType value) => value switch
    {
        ImportEntityType.Customers => l["Customers"],
        ImportEntityType.Purchases => l["Purchases (order lines)"],
        ImportEntityType.Events => l["Behaviour events"],
        ImportEntityType.Feedback => l["Feedback"],
        _ => value.ToString(),
    };

    public static string Mode(IStringLocalizer<SharedResource> l, ImportMode value) => value switch
    {
        ImportMode.Upsert => l["Create new and update existing"],
        ImportMode.CreateOnly => l["Create new only"],
        ImportMode.UpdateOnly => l["Update existing only"],
        _ => value.ToString(),
    };

    public static string MatchKey(IStringLocalizer<SharedResource> l, ImportMatchKey value) => value switch
    {
        ImportMatchKey.Email => l["Email"],
        ImportMatchKey.Phone => l["Phone"],
        ImportMatchKey.ExternalId => l["External id"],
        _ => value.ToString(),
    };

    public static string Consent(IStringLocalizer<SharedResource> l, ImportConsent value) => value switch
    {
        ImportConsent.Keep => l["Leave unchanged"],
        ImportConsent.OptedIn => l["Opted in"],
        ImportConsent.OptedOut => l["Opted out"],
        _ => value.ToString(),
    };

    public static string Encoding(IStringLocalizer<SharedResource> l, string value) => value switch
    {
        ImportEncodings.Utf8 => "UTF-8",
        ImportEncodings.Gb18030 => l["Chinese (GB18030 / GBK)"],
        ImportEncodings.Windows1252 => l["Western European (Windows-1252)"],
        ImportEncodings.Utf16 => "UTF-16",
        ImportEncodings.Utf16BigEndian => "UTF-16 BE",
        _ => value,
    };

    public static string Delimiter(IStringLocalizer<SharedResource> l, string value) => value switch
    {
        "semicolon" => l["Semicolon (;)"],
        "tab" => l["Tab"],
        _ => l["Comma (,)"],
    };

    public static string DateFormat(IStringLocalizer<SharedResource> l, string value) =>
        value.Length == 0 ? l["ISO (2026-03-31, 2026/03/31, optionally with a time)"] : value;

    public static string Journal(IStringLocalizer<SharedResource> l, ImportJournalKind value) => value switch
    {
        ImportJournalKind.CustomerCreated => l["Customers created"],
        ImportJournalKind.CustomerUpdated => l["Customers updated"],
        ImportJournalKind.ProductCreated => l["Products created"],
        ImportJournalKind.PurchaseCreated => l["Purchases created"],
        ImportJournalKind.EventCreated => l["Events created"],
        ImportJournalKind.FeedbackCreated => l["Feedback entries created"],
        ImportJournalKind.ConsentChangeCreated => l["Consent records created"],
        _ => value.ToString(),
    };
}
