namespace CrmMarketing.Web.Domain;

/// <summary>The three roles of DESIGN.md §4; role names double as policy names.</summary>
public static class Roles
{
    public const string Admin = "Admin";
    public const string Marketer = "Marketer";
    public const string Sales = "Sales";

    public static readonly IReadOnlyList<string> All = [Admin, Marketer, Sales];
}
