namespace CrmMarketing.Web.Domain;

/// <summary>One row of the append-only audit log. Rows are chained: <see cref="Hash"/> covers the row's fields
/// and <see cref="PreviousHash"/>, so editing or deleting a row breaks the chain from that row on.</summary>
public class AuditEntry
{
    public const int UserNameMaxLength = 256;
    public const int ActionMaxLength = 40;
    public const int EntityTypeMaxLength = 40;
    public const int EntityIdMaxLength = 64;
    public const int IpAddressMaxLength = 45;
    public const int HashLength = 64;

    /// <summary>Assigned by the writer (the previous row's id + 1) so that it is part of the hash.</summary>
    public long Id { get; set; }

    public DateTime At { get; set; }
    public string? UserId { get; set; }
    public string UserName { get; set; } = string.Empty;
    public string Action { get; set; } = string.Empty;
    public string? EntityType { get; set; }
    public string? EntityId { get; set; }

    /// <summary>JSON array of {"field","before","after"}; values are stored in full and masked when displayed.</summary>
    public string? Changes { get; set; }

    public string? IpAddress { get; set; }

    /// <summary>Null for the first row.</summary>
    public string? PreviousHash { get; set; }

    /// <summary>Lower-case hex SHA-256.</summary>
    public string Hash { get; set; } = string.Empty;
}

public static class AuditActions
{
    public const string Create = "create";
    public const string Update = "update";
    public const string Archive = "archive";
    public const string Restore = "restore";
    public const string Export = "export";
    public const string PurchaseRecorded = "purchase-recorded";
    public const string NoteAdded = "note-added";
    public const string SignIn = "sign-in";
    public const string SignInFailed = "sign-in-failed";
    public const string Lockout = "lockout";
    public const string RoleChange = "role-change";
    public const string UserCreate = "user-create";
    public const string UserLock = "user-lock";
    public const string UserUnlock = "user-unlock";
    public const string PasswordReset = "password-reset";
    public const string PasswordChange = "password-change";
    public const string Delete = "delete";
    public const string MembersAdded = "members-added";
    public const string MembersRemoved = "members-removed";
    public const string Merge = "merge";
    public const string MergedInto = "merged-into";
    public const string MergeUndo = "merge-undo";
    public const string DuplicateDismissed = "duplicate-dismissed";
    public const string Erase = "erase";
    public const string SubjectAccessExport = "subject-access-export";
    public const string CallLogged = "call-logged";
    public const string Import = "import";
    public const string ImportRevert = "import-revert";
    public const string ApiKeyCreate = "api-key-create";
    public const string ApiKeyRevoke = "api-key-revoke";
    public const string ApiCustomers = "api-customers";
    public const string ApiPurchases = "api-purchases";
    public const string ApiEvents = "api-events";
    public const string StatusChange = "status-change";
    public const string CostAdded = "cost-added";
    public const string CostRemoved = "cost-removed";
    public const string CampaignLaunch = "campaign-launch";
    public const string CampaignPause = "campaign-pause";
    public const string CampaignResume = "campaign-resume";
    public const string CampaignWinner = "campaign-winner";

    public static IReadOnlyList<string> All { get; } =
    [
        Create, Update, Archive, Restore, Export, PurchaseRecorded, NoteAdded, SignIn, SignInFailed, Lockout,
        RoleChange, UserCreate, UserLock, UserUnlock, PasswordReset, PasswordChange, Merge, MergedInto, MergeUndo,
        DuplicateDismissed, Erase, SubjectAccessExport, CallLogged, ApiKeyCreate, ApiKeyRevoke, ApiCustomers, ApiPurchases, ApiEvents,
        Delete, MembersAdded, MembersRemoved, Import, ImportRevert,
        StatusChange, CostAdded, CostRemoved, CampaignLaunch, CampaignPause, CampaignResume, CampaignWinner,
    ];
}

public static class AuditEntityTypes
{
    public const string Customer = "Customer";
    public const string Purchase = "Purchase";
    public const string CustomerNote = "CustomerNote";
    public const string User = "User";
    public const string Feedback = "Feedback";
    public const string Segment = "Segment";
    public const string CustomerCall = "CustomerCall";
    public const string Import = "Import";
    public const string ApiKey = "ApiKey";
    public const string MessageTemplate = "MessageTemplate";
    public const string Survey = "Survey";
    public const string SurveyInvitation = "SurveyInvitation";
    public const string SurveySend = "SurveySend";
    public const string FollowUpTask = "FollowUpTask";

    public const string MarketingActivity = "MarketingActivity";

    public static IReadOnlyList<string> All { get; } =
        [Customer, Purchase, CustomerNote, User, Feedback, CustomerCall, Segment, ApiKey, MessageTemplate, Survey, SurveyInvitation, SurveySend, FollowUpTask, Import, MarketingActivity];
}
