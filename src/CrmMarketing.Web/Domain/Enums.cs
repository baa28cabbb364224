namespace CrmMarketing.Web.Domain;

public enum Gender
{
    Unknown = 0,
    Female = 1,
    Male = 2,
    Other = 3,
}

public enum ConsentState
{
    Unknown = 0,
    OptedIn = 1,
    OptedOut = 2,
}

public enum PurchaseChannel
{
    Online = 0,
    Store = 1,
    Phone = 2,
    Marketplace = 3,
    Other = 4,
}
