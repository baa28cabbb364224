using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Audit;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.Services.Formatting;
using CrmMarketing.Web.ViewModels.Customers;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.Web.Services.Communication;

public enum CallLogOutcome
{
    Saved,
    NotFound,
}

public sealed record CallLogResult(CallLogOutcome Outcome, int CallId = 0);

/// <summary>Phone calls with customers, as logged by staff. The form was validated already (<see cref="CallFormModel"/>).</summary>
public sealed partial class CallService(CrmDbContext db, TimeProvider time, DisplayFormatter formatter, AuditService audit, ILogger<CallService> logger)
{
    public async Task<CallLogResult> LogAsync(int customerId, CallFormModel form, Actor actor, CancellationToken ct)
    {
        if (!await db.Customers.AnyAsync(c => c.Id == customerId, ct))
        {
            return new CallLogResult(CallLogOutcome.NotFound);
        }

        var call = new CustomerCall
        {
            CustomerId = customerId,
            Direction = form.Direction,
            Outcome = form.Outcome,
            DurationSeconds = form.DurationSeconds,
            Notes = string.IsNullOrWhiteSpace(form.Notes) ? null : form.Notes.Trim(),
            FollowUpOn = form.FollowUpOn,
            CalledAt = form.CalledAt is { } local ? formatter.ToUtc(local) : time.GetUtcNow().UtcDateTime,
            CreatedByUserId = actor.UserId,
            CreatedByName = actor.Name,
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.CustomerCalls.Add(call);
        await db.SaveChangesAsync(ct);

        // The notes may hold anything said on the phone; the entry records only the classification.
        await audit.RecordAsync(AuditActions.CallLogged, AuditEntityTypes.CustomerCall, call.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [
            new AuditChange("CustomerId", null, customerId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new AuditChange(nameof(CustomerCall.Direction), null, call.Direction.ToString()),
            new AuditChange(nameof(CustomerCall.Outcome), null, call.Outcome.ToString()),
            new AuditChange(nameof(CustomerCall.DurationSeconds), null, call.DurationSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ], ct, actor.ForAudit());
        if (call.Outcome is CallOutcome.Reached or CallOutcome.CallbackRequested)
        {
            // A call that reached the customer is the contact of the running phone activities whose list gives them to
            // this caller: their conversion window starts here.
            var calledAt = call.CalledAt;
            await db.CampaignRecipients
                .Where(r => r.CustomerId == customerId && r.AssignedUserId == actor.UserId && r.ContactedAt == null
                            && db.MarketingActivities.Any(a => a.Id == r.ActivityId && a.Status == ActivityStatus.Running && a.Type == ActivityType.Phone))
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.ContactedAt, calledAt), ct);
        }

        await tx.CommitAsync(ct);
        LogCallLogged(logger, call.Id, customerId);
        return new CallLogResult(CallLogOutcome.Saved, call.Id);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} logged for customer {CustomerId}")]
    private static partial void LogCallLogged(ILogger logger, int callId, int customerId);
}
