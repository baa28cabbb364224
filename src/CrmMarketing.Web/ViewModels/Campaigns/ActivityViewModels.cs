using System.ComponentModel.DataAnnotations;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Resources;

namespace CrmMarketing.Web.ViewModels.Campaigns;

public sealed class ActivityListQuery : IValidatableObject
{
    public const int PageSize = 25;

    public ActivityStatus? Status { get; set; }
    public ActivityType? Type { get; set; }

    [StringLength(450)]
    public string? Owner { get; set; }

    /// <summary>Activities whose period overlaps [From, To] (display time zone, both inclusive).</summary>
    public DateOnly? From { get; set; }

    public DateOnly? To { get; set; }

    [StringLength(MarketingActivity.NameMaxLength)]
    public string? Q { get; set; }

    [Range(1, 100_000)]
    public int Page { get; set; } = 1;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (From is { } from && To is { } to && to < from)
        {
            yield return new ValidationResult("The end date must not be before the start date.", [nameof(To)]);
        }
    }
}

public sealed record ActivityRowViewModel(
    int Id, string Name, ActivityType Type, ActivityStatus Status, DateOnly StartDate, DateOnly EndDate,
    decimal Budget, decimal Spent, string? OwnerName)
{
    public bool IsOverspent => Spent > Budget;
}

public sealed record OwnerOption(string UserId, string Name);

public sealed class ActivityListViewModel
{
    public ActivityListQuery Query { get; init; } = new();
    public IReadOnlyList<ActivityRowViewModel> Rows { get; init; } = [];
    public int TotalCount { get; init; }
    public int PageCount => Math.Max(1, (TotalCount + ActivityListQuery.PageSize - 1) / ActivityListQuery.PageSize);
    public IReadOnlyList<OwnerOption> Owners { get; init; } = [];
}

/// <summary>One activity as a bar in the month view.</summary>
public sealed record CalendarEntry(int Id, string Name, ActivityType Type, ActivityStatus Status, DateOnly StartDate, DateOnly EndDate);

public sealed record CalendarDay(DateOnly Date, bool InMonth, bool IsToday, IReadOnlyList<CalendarEntry> Entries);

public sealed class ActivityCalendarViewModel
{
    public int Year { get; init; }
    public int Month { get; init; }
    public DateOnly Previous { get; init; }
    public DateOnly Next { get; init; }

    /// <summary>Monday-first weeks covering the month.</summary>
    public IReadOnlyList<IReadOnlyList<CalendarDay>> Weeks { get; init; } = [];
}

/// <summary>Planning an activity. Status moves through its own actions, never through this form.</summary>
public sealed class ActivityFormModel : IValidatableObject
{
    [Required(ErrorMessage = "The {0} field is required.")]
    [StringLength(MarketingActivity.NameMaxLength, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [Display(Name = "Name")]
    public string Name { get; set; } = string.Empty;

    [StringLength(MarketingActivity.DescriptionMaxLength, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [Display(Name = "Description")]
    public string? Description { get; set; }

    [Display(Name = "Type")]
    public ActivityType Type { get; set; }

    [StringLength(MarketingActivity.ChannelMaxLength, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [Display(Name = "Channel or platform")]
    public string? Channel { get; set; }

    [Required(ErrorMessage = "The {0} field is required.")]
    [Display(Name = "Start date")]
    public DateOnly? StartDate { get; set; }

    [Required(ErrorMessage = "The {0} field is required.")]
    [Display(Name = "End date")]
    public DateOnly? EndDate { get; set; }

    [Required(ErrorMessage = "The {0} field is required.")]
    [Range(typeof(decimal), "0", "1000000000000", ErrorMessage = "The budget must be zero or more.")]
    [Display(Name = "Budget")]
    public decimal? Budget { get; set; }

    [StringLength(450)]
    [Display(Name = "Owner")]
    public string? OwnerUserId { get; set; }

    [Display(Name = "Conversion goal")]
    public ConversionGoal ConversionGoal { get; set; }

    [StringLength(MarketingActivity.GoalCategoryMaxLength, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [Display(Name = "Goal category")]
    public string? GoalCategory { get; set; }

    [Range(1, MarketingActivity.MaxConversionWindowDays, ErrorMessage = "The conversion window must be between {1} and {2} days.")]
    [Display(Name = "Conversion window (days)")]
    public int ConversionWindowDays { get; set; } = MarketingActivity.DefaultConversionWindowDays;

    [Range(0, MarketingActivity.MaxHoldoutPercent, ErrorMessage = "The holdout must be between {1} and {2} %.")]
    [Display(Name = "Holdout (%)")]
    public int HoldoutPercent { get; set; }

    /// <summary>The model the metrics page opens with; the page can still switch per view.</summary>
    [Display(Name = "Attribution model")]
    public AttributionModel AttributionModel { get; set; }

    [StringLength(MarketingActivity.CouponCodeMaxLength, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [RegularExpression("^[A-Za-z0-9_-]+$", ErrorMessage = "A coupon code may contain only letters, digits, '-' and '_'.")]
    [Display(Name = "Coupon code")]
    public string? CouponCode { get; set; }

    [StringLength(MarketingActivity.UtmCampaignMaxLength, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [RegularExpression("^[A-Za-z0-9_.-]+$", ErrorMessage = "A UTM campaign may contain only letters, digits, '.', '-' and '_'.")]
    [Display(Name = "UTM campaign")]
    public string? UtmCampaign { get; set; }

    [Range(0, int.MaxValue, ErrorMessage = "The {0} field must be zero or more.")]
    [Display(Name = "Reach")]
    public int? Reach { get; set; }

    [Range(0, int.MaxValue, ErrorMessage = "The {0} field must be zero or more.")]
    [Display(Name = "Impressions")]
    public int? Impressions { get; set; }

    /// <summary>Email, SMS and phone activities: the segment whose members form the audience at launch.</summary>
    [Display(Name = "Target segment")]
    public int? SegmentId { get; set; }

    /// <summary>The email or SMS template sent (without an A/B test).</summary>
    [Display(Name = "Template")]
    public int? TemplateId { get; set; }

    /// <summary>Scheduled launch, in the display time zone.</summary>
    [Display(Name = "Launch at")]
    public DateTime? LaunchAt { get; set; }

    [Display(Name = "A/B test")]
    public bool AbTest { get; set; }

    /// <summary>Variant templates A–D; empty entries are ignored.</summary>
    public List<int?> VariantTemplateIds { get; set; } = [];

    [Range(MarketingActivity.MinAbTestSharePercent, MarketingActivity.MaxAbTestSharePercent, ErrorMessage = "The test share must be between {1} and {2} %.")]
    [Display(Name = "Test share (%)")]
    public int AbTestSharePercent { get; set; } = 20;

    [Display(Name = "Winner metric")]
    public AbWinnerMetric AbWinnerMetric { get; set; }

    [Range(1, MarketingActivity.MaxAbTestHours, ErrorMessage = "The test duration must be between {1} and {2} hours.")]
    [Display(Name = "Test duration (hours)")]
    public int AbTestHours { get; set; } = 24;

    public int Version { get; set; }

    /// <summary>The chosen variant templates, in label order, without blanks.</summary>
    public IReadOnlyList<int> ChosenVariants() => VariantTemplateIds.Where(v => v is not null).Select(v => v!.Value).ToList();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Type is ActivityType.Email or ActivityType.Sms && SegmentId is null)
        {
            yield return new ValidationResult("Choose the segment that email and SMS activities are sent to.", [nameof(SegmentId)]);
        }

        if (AbTest && Type != ActivityType.Email)
        {
            yield return new ValidationResult("A/B tests are available for email activities only.", [nameof(AbTest)]);
        }
        else if (AbTest)
        {
            var variants = ChosenVariants();
            if (variants.Count is < MarketingActivity.MinAbVariants or > MarketingActivity.MaxAbVariants || variants.Distinct().Count() != variants.Count)
            {
                yield return new ValidationResult("An A/B test needs two to four different variant templates.", [nameof(VariantTemplateIds)]);
            }
        }
        else if (Type is ActivityType.Email or ActivityType.Sms && TemplateId is null)
        {
            yield return new ValidationResult("Choose the template to send.", [nameof(TemplateId)]);
        }

        if (StartDate is { } start && EndDate is { } end && end < start)
        {
            yield return new ValidationResult("The end date must not be before the start date.", [nameof(EndDate)]);
        }

        if (!Enum.IsDefined(AttributionModel))
        {
            yield return ValidationText.Error(validationContext, nameof(AttributionModel), "Choose one of the attribution models.");
        }

        if (ConversionGoal == ConversionGoal.CategoryPurchase && string.IsNullOrWhiteSpace(GoalCategory))
        {
            yield return new ValidationResult("Choose the category whose purchases count as conversions.", [nameof(GoalCategory)]);
        }

        if ((Reach is not null || Impressions is not null) && Type is ActivityType.Email or ActivityType.Sms)
        {
            yield return new ValidationResult("Reach and impressions are entered by hand only for activities the app does not send.", [nameof(Reach)]);
        }
    }
}

public sealed class ActivityEditViewModel
{
    public int? Id { get; init; }
    public ActivityStatus Status { get; init; }
    public ActivityFormModel Form { get; init; } = new();
    public IReadOnlyList<OwnerOption> Owners { get; init; } = [];
    public IReadOnlyList<string> Categories { get; init; } = [];
    public IReadOnlyList<PickerOption> Segments { get; init; } = [];
    public IReadOnlyList<PickerOption> EmailTemplates { get; init; } = [];
    public IReadOnlyList<PickerOption> SmsTemplates { get; init; } = [];

    /// <summary>After launch the audience, template and test are fixed; the form shows them read-only.</summary>
    public bool IsLaunched { get; init; }
}

/// <summary>An id and a name for a select list (segments, templates, users).</summary>
public sealed record PickerOption(string Value, string Name);

public sealed class CostFormModel
{
    [Required(ErrorMessage = "The {0} field is required.")]
    [Display(Name = "Date")]
    public DateOnly? Date { get; set; }

    [Required(ErrorMessage = "The {0} field is required.")]
    [Range(typeof(decimal), "0.01", "1000000000000", ErrorMessage = "The amount must be more than zero.")]
    [Display(Name = "Amount")]
    public decimal? Amount { get; set; }

    [Display(Name = "Category")]
    public CostCategory Category { get; set; }

    [StringLength(ActivityCost.NoteMaxLength, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [Display(Name = "Note")]
    public string? Note { get; set; }
}

public sealed class ActivityStatusFormModel
{
    [Required]
    public ActivityStatus? Status { get; set; }
}

public sealed record CostRowViewModel(int Id, DateOnly Date, decimal Amount, CostCategory Category, string? Note, string? CreatedByName);

public sealed record CostByCategory(CostCategory Category, decimal Amount);

public sealed class ActivityDetailsViewModel
{
    public int Id { get; init; }
    public string Name { get; init; } = string.Empty;
    public string? Description { get; init; }
    public ActivityType Type { get; init; }
    public string? Channel { get; init; }
    public ActivityStatus Status { get; init; }
    public DateOnly StartDate { get; init; }
    public DateOnly EndDate { get; init; }
    public decimal Budget { get; init; }
    public string? OwnerName { get; init; }
    public ConversionGoal ConversionGoal { get; init; }
    public string? GoalCategory { get; init; }
    public int ConversionWindowDays { get; init; }
    public int HoldoutPercent { get; init; }
    public AttributionModel AttributionModel { get; init; }
    public string? CouponCode { get; init; }
    public string? UtmCampaign { get; init; }
    public int? Reach { get; init; }
    public int? Impressions { get; init; }
    public DateTime UpdatedAt { get; init; }
    public string? UpdatedByName { get; init; }
    public bool IsEditable { get; init; }
    public IReadOnlyList<ActivityStatus> NextStates { get; init; } = [];
    public IReadOnlyList<CostRowViewModel> Costs { get; init; } = [];
    public IReadOnlyList<CostByCategory> CostsByCategory { get; init; } = [];
    public decimal Spent { get; init; }
    public decimal Remaining => Budget - Spent;
    public bool IsOverspent => Spent > Budget;

    /// <summary>Spent as a share of budget (0–100+); null when there is no budget.</summary>
    public decimal? SpentPercent => Budget > 0 ? Math.Round(Spent * 100m / Budget, 1) : null;

    public CostFormModel CostForm { get; init; } = new();

    /// <summary>Email, SMS and phone activities: audience, content, launch and progress; null for the others.</summary>
    public ActivityExecutionViewModel? Execution { get; init; }
}
