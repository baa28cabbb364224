using System.ComponentModel.DataAnnotations;
using CrmMarketing.UnitTests.Infrastructure;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Communication;
using CrmMarketing.Web.Services.Formatting;
using CrmMarketing.Web.ViewModels.Customers;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.UnitTests;

public class CallServiceTests : IDisposable
{
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    /// <summary>What MVC hands IValidatableObject: the request services (clock and display zone).</summary>
    private sealed class Services(TimeProvider time, DisplayFormatter formatter) : IServiceProvider
    {
        public object? GetService(Type serviceType) =>
            serviceType == typeof(TimeProvider) ? time : serviceType == typeof(DisplayFormatter) ? formatter : null;
    }

    private static List<ValidationResult> Validate(CallFormModel form, string zone = "UTC")
    {
        var results = new List<ValidationResult>();
        var context = new ValidationContext(form, new Services(new FixedTimeProvider(TestServices.Now), TestServices.Formatter(zone)), null);
        Validator.TryValidateObject(form, context, results, validateAllProperties: true);
        return results;
    }

    private static string[] InvalidMembers(CallFormModel form, string zone = "UTC") =>
        Validate(form, zone).SelectMany(r => r.MemberNames).ToArray();

    [Fact]
    public void Validate_DefaultForm_IsValid() => Assert.Empty(Validate(new CallFormModel()));

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(86_400, true)]
    [InlineData(86_401, false)]
    public void Validate_DurationBounds_ZeroToOneDay(int seconds, bool valid)
    {
        var members = InvalidMembers(new CallFormModel { DurationSeconds = seconds });

        Assert.Equal(valid, !members.Contains(nameof(CallFormModel.DurationSeconds)));
    }

    [Fact]
    public void Validate_NotesLongerThanLimit_IsInvalid()
    {
        Assert.Contains(nameof(CallFormModel.Notes), InvalidMembers(new CallFormModel { Notes = new string('x', CustomerCall.NotesMaxLength + 1) }));
        Assert.Empty(InvalidMembers(new CallFormModel { Notes = new string('x', CustomerCall.NotesMaxLength) }));
    }

    [Fact]
    public void Validate_FollowUpInThePast_IsInvalidButTodayAndLaterAreFine()
    {
        var today = DateOnly.FromDateTime(TestServices.Now.UtcDateTime);

        var error = Assert.Single(Validate(new CallFormModel { FollowUpOn = today.AddDays(-1) }));
        Assert.Equal([nameof(CallFormModel.FollowUpOn)], error.MemberNames);
        Assert.Equal("The follow-up date cannot be in the past.", error.ErrorMessage);
        Assert.Empty(Validate(new CallFormModel { FollowUpOn = today }));
        Assert.Empty(Validate(new CallFormModel { FollowUpOn = today.AddDays(30) }));
    }

    [Fact]
    public void Validate_FollowUpToday_UsesTheDisplayZoneCalendar()
    {
        // 2026-06-15 20:00 UTC is already 2026-06-16 in Shanghai: the 15th is in the past there.
        var late = new CallFormModel { FollowUpOn = new DateOnly(2026, 6, 15) };
        var results = new List<ValidationResult>();
        var context = new ValidationContext(late, new Services(
            new FixedTimeProvider(new DateTimeOffset(2026, 6, 15, 20, 0, 0, TimeSpan.Zero)), TestServices.Formatter("Asia/Shanghai")), null);

        Validator.TryValidateObject(late, context, results, validateAllProperties: true);

        Assert.Contains(results, r => r.MemberNames.Contains(nameof(CallFormModel.FollowUpOn)));
    }

    [Fact]
    public void Validate_CalledAtInTheFuture_IsInvalid()
    {
        var now = TestServices.Now.UtcDateTime;

        Assert.Contains(nameof(CallFormModel.CalledAt), InvalidMembers(new CallFormModel { CalledAt = now.AddHours(1) }));
        Assert.Empty(InvalidMembers(new CallFormModel { CalledAt = now.AddMinutes(-30) }));
    }

    [Fact]
    public void Validate_UndefinedEnums_AreInvalid()
    {
        var members = InvalidMembers(new CallFormModel { Direction = (CallDirection)9, Outcome = (CallOutcome)42 });

        Assert.Contains(nameof(CallFormModel.Direction), members);
        Assert.Contains(nameof(CallFormModel.Outcome), members);
    }

    [Fact]
    public async Task LogAsync_MissingCustomer_ReturnsNotFoundAndSavesNothing()
    {
        await using var db = _database.CreateContext();

        var result = await TestServices.Calls(db).LogAsync(424242, new CallFormModel(), TestServices.Actor, default);

        Assert.Equal(CallLogOutcome.NotFound, result.Outcome);
        Assert.Equal(0, await db.CustomerCalls.CountAsync());
    }

    [Fact]
    public async Task LogAsync_LocalTime_IsStoredAsUtcWithAuthor()
    {
        var customer = await _database.AddCustomerAsync("Zhou Min");
        await using var db = _database.CreateContext();
        var form = new CallFormModel
        {
            Direction = CallDirection.Inbound,
            Outcome = CallOutcome.CallbackRequested,
            DurationSeconds = 95,
            Notes = "  wants the catalogue  ",
            CalledAt = new DateTime(2026, 6, 15, 9, 30, 0),
            FollowUpOn = new DateOnly(2026, 6, 20),
        };

        var result = await TestServices.Calls(db, zone: "Asia/Shanghai").LogAsync(customer.Id, form, TestServices.Actor, default);

        Assert.Equal(CallLogOutcome.Saved, result.Outcome);
        var call = await db.CustomerCalls.AsNoTracking().SingleAsync();
        Assert.Equal(result.CallId, call.Id);
        Assert.Equal(new DateTime(2026, 6, 15, 1, 30, 0, DateTimeKind.Utc), call.CalledAt);
        Assert.Equal(CallDirection.Inbound, call.Direction);
        Assert.Equal(CallOutcome.CallbackRequested, call.Outcome);
        Assert.Equal(95, call.DurationSeconds);
        Assert.Equal("wants the catalogue", call.Notes);
        Assert.Equal(new DateOnly(2026, 6, 20), call.FollowUpOn);
        Assert.Equal(TestServices.Actor.UserId, call.CreatedByUserId);
        Assert.Equal(TestServices.Actor.Name, call.CreatedByName);
    }

    [Fact]
    public async Task LogAsync_NoCallTime_UsesNow()
    {
        var customer = await _database.AddCustomerAsync("Qian Li");
        await using var db = _database.CreateContext();

        await TestServices.Calls(db).LogAsync(customer.Id, new CallFormModel { Notes = " " }, TestServices.Actor, default);

        var call = await db.CustomerCalls.AsNoTracking().SingleAsync();
        Assert.Equal(TestServices.Now.UtcDateTime, call.CalledAt);
        Assert.Null(call.Notes);
    }

    [Fact]
    public async Task Timeline_CallsMergeWithOtherKindsNewestFirst()
    {
        var customer = await _database.AddCustomerAsync("Sun Yu");
        var start = new DateTime(2026, 5, 1, 8, 0, 0, DateTimeKind.Utc);
        await _database.AddPurchaseAsync(customer.Id, start.AddHours(1), 10m);
        await _database.AddPurchaseAsync(customer.Id, start.AddHours(3), 20m);
        await using var db = _database.CreateContext();
        var calls = TestServices.Calls(db);
        await calls.LogAsync(customer.Id, new CallFormModel { CalledAt = start, Outcome = CallOutcome.NoAnswer }, TestServices.Actor, default);
        await calls.LogAsync(customer.Id, new CallFormModel
        {
            CalledAt = start.AddHours(2),
            Direction = CallDirection.Outbound,
            Outcome = CallOutcome.Reached,
            DurationSeconds = 3_725,
            FollowUpOn = new DateOnly(2026, 6, 20),
            Notes = "Asked about delivery",
        }, TestServices.Actor, default);
        await calls.LogAsync(customer.Id, new CallFormModel { CalledAt = start.AddHours(4), Direction = CallDirection.Inbound, Outcome = CallOutcome.Voicemail, DurationSeconds = 40 }, TestServices.Actor, default);

        var timeline = await TestServices.Timeline(db).GetAsync(customer.Id, olderThan: null, default);

        Assert.Equal(["call", "purchase", "call", "purchase", "call"], timeline.Entries.Select(e => e.Kind));
        Assert.Equal(timeline.Entries.Select(e => e.At).OrderByDescending(a => a), timeline.Entries.Select(e => e.At));
        var reached = timeline.Entries[2];
        var l = TestServices.Localizer;
        Assert.Equal(l["{0} call", l["call-direction:Outbound"]].Value, reached.Title);
        var followUp = l["Follow up on {0}", TestServices.Formatter().Date(new DateOnly(2026, 6, 20))].Value;
        Assert.Equal($"{l["call-outcome:Reached"]} · 1:02:05 · {followUp} · Asked about delivery", reached.Detail);
        Assert.Equal(TestServices.Actor.Name, reached.Author);
        Assert.Equal($"{l["call-outcome:Voicemail"]} · 0:40", timeline.Entries[0].Detail);
        Assert.Null(timeline.Entries[0].Amount);

        // Paging below a call time only returns older entries.
        var older = await TestServices.Timeline(db).GetAsync(customer.Id, start.AddHours(2), default);
        Assert.Equal([start.AddHours(1), start], older.Entries.Select(e => e.At));
    }

    [Theory]
    [InlineData(0, "0:00")]
    [InlineData(59, "0:59")]
    [InlineData(600, "10:00")]
    [InlineData(3_600, "1:00:00")]
    [InlineData(86_400, "24:00:00")]
    public void FormatDuration_MinutesAndSeconds_HoursFromOneHour(int seconds, string expected) =>
        Assert.Equal(expected, CallTimelineSource.FormatDuration(seconds));
}
