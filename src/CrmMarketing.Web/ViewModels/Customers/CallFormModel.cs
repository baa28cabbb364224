using System.ComponentModel.DataAnnotations;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Formatting;

namespace CrmMarketing.Web.ViewModels.Customers;

/// <summary>The "Log call" form on the customer details page. Times are wall-clock times in the display zone.</summary>
public sealed class CallFormModel : IValidatableObject
{
    /// <summary>How far ahead of the clock a call time may be (clock skew, a call logged while still on it).</summary>
    public static readonly TimeSpan CalledAtTolerance = TimeSpan.FromMinutes(5);

    [Display(Name = "Direction")]
    public CallDirection Direction { get; set; } = CallDirection.Outbound;

    [Display(Name = "Outcome")]
    public CallOutcome Outcome { get; set; } = CallOutcome.Reached;

    [Range(0, CustomerCall.MaxDurationSeconds, ErrorMessage = "The {0} field must be between {1} and {2}.")]
    [Display(Name = "Duration (seconds)")]
    public int DurationSeconds { get; set; }

    [StringLength(CustomerCall.NotesMaxLength, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [Display(Name = "Call notes")]
    public string? Notes { get; set; }

    /// <summary>When the call took place; empty means now.</summary>
    [Display(Name = "Called at")]
    [DataType(DataType.DateTime)]
    public DateTime? CalledAt { get; set; }

    [Display(Name = "Follow up on")]
    [DataType(DataType.Date)]
    public DateOnly? FollowUpOn { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enum.IsDefined(Direction))
        {
            yield return ValidationText.Error(validationContext, nameof(Direction), "Choose one of the listed values.");
        }

        if (!Enum.IsDefined(Outcome))
        {
            yield return ValidationText.Error(validationContext, nameof(Outcome), "Choose one of the listed values.");
        }

        var time = validationContext.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System;
        var formatter = validationContext.GetService(typeof(DisplayFormatter)) as DisplayFormatter;
        var nowUtc = time.GetUtcNow().UtcDateTime;
        var localNow = formatter?.ToLocal(nowUtc) ?? nowUtc;

        if (FollowUpOn is { } followUp && followUp < DateOnly.FromDateTime(localNow))
        {
            yield return ValidationText.Error(validationContext, nameof(FollowUpOn), "The follow-up date cannot be in the past.");
        }

        if (CalledAt is { } calledAt)
        {
            var calledAtUtc = formatter?.ToUtc(calledAt) ?? DateTime.SpecifyKind(calledAt, DateTimeKind.Utc);
            if (calledAtUtc > nowUtc + CalledAtTolerance)
            {
                yield return ValidationText.Error(validationContext, nameof(CalledAt), "The call time cannot be in the future.");
            }
        }
    }
}
