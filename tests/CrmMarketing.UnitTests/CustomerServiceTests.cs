using System.ComponentModel.DataAnnotations;
using CrmMarketing.UnitTests.Infrastructure;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.ViewModels.Customers;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.UnitTests;

public class CustomerServiceTests : IDisposable
{
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static CustomerFormModel Form(string name, string? email = null, string? phone = null) =>
        new() { Name = name, Email = email, Phone = phone };

    [Fact]
    public async Task CreateAsync_ValidForm_StoresNormalisedContactAndKeys()
    {
        await using var db = _database.CreateContext();
        var form = Form("  Wang Fang ", " Wang.Fang@Example.com ", "138 1234 5678");
        form.Tags = "VIP, wholesale，vip";

        var result = await TestServices.Customers(db).CreateAsync(form, TestServices.Actor, default);

        Assert.Equal(SaveOutcome.Saved, result.Outcome);
        var saved = await db.Customers.Include(c => c.Tags).AsNoTracking().SingleAsync(c => c.Id == result.Id);
        Assert.Equal("Wang Fang", saved.Name);
        Assert.Equal("wang fang", saved.NameKey);
        Assert.Equal("Wang.Fang@Example.com", saved.Email);
        Assert.Equal("wang.fang@example.com", saved.EmailKey);
        Assert.Equal("+8613812345678", saved.Phone);
        Assert.Equal(["vip", "wholesale"], saved.Tags.Select(t => t.Tag).Order());
        Assert.Equal("admin@test.local", saved.CreatedBy);
        Assert.Equal(TestServices.Now.UtcDateTime, saved.CreatedAt);
        Assert.Equal(1, saved.Version);
    }

    [Fact]
    public async Task CreateAsync_EmailOfAnotherCustomer_WarnsUntilIgnored()
    {
        var existing = await _database.AddCustomerAsync("Li Na", c => { c.Email = "li@example.com"; c.EmailKey = "li@example.com"; });
        await using var db = _database.CreateContext();
        var service = TestServices.Customers(db);

        var warned = await service.CreateAsync(Form("Li Na 2", "LI@example.com"), TestServices.Actor, default);
        Assert.Equal(SaveOutcome.Duplicates, warned.Outcome);
        var match = Assert.Single(warned.Duplicates!);
        Assert.Equal(existing.Id, match.Id);
        Assert.Equal("email", match.Reason);
        Assert.Equal(1, await db.Customers.CountAsync());

        var form = Form("Li Na 2", "LI@example.com");
        form.IgnoreDuplicates = true;
        var saved = await service.CreateAsync(form, TestServices.Actor, default);
        Assert.Equal(SaveOutcome.Saved, saved.Outcome);
        Assert.Equal(2, await db.Customers.CountAsync());
    }

    [Fact]
    public async Task FindDuplicatesAsync_PhoneWrittenDifferently_MatchesE164()
    {
        var existing = await _database.AddCustomerAsync("Zhang Wei", c => c.Phone = "+8613912345678");
        await using var db = _database.CreateContext();

        var matches = await TestServices.Customers(db).FindDuplicatesAsync(null, "139-1234-5678", exceptId: null, default);

        Assert.Equal(existing.Id, Assert.Single(matches).Id);
        Assert.Empty(await TestServices.Customers(db).FindDuplicatesAsync(null, "139-1234-5678", exceptId: existing.Id, default));
    }

    [Fact]
    public async Task UpdateAsync_StaleVersion_ReturnsConflictAndKeepsOtherEdit()
    {
        var customer = await _database.AddCustomerAsync("Chen Jie");
        await using (var first = _database.CreateContext())
        {
            var form = (await TestServices.Customers(first).GetForEditAsync(customer.Id, default))!.Form;
            form.City = "上海";
            Assert.Equal(SaveOutcome.Saved, (await TestServices.Customers(first).UpdateAsync(customer.Id, form, TestServices.Actor, default)).Outcome);
        }

        await using var second = _database.CreateContext();
        var stale = Form("Chen Jie");
        stale.Version = customer.Version;
        stale.City = "北京";

        var result = await TestServices.Customers(second).UpdateAsync(customer.Id, stale, TestServices.Actor, default);

        Assert.Equal(SaveOutcome.Conflict, result.Outcome);
        Assert.Equal("上海", (await second.Customers.AsNoTracking().SingleAsync()).City);
    }

    [Fact]
    public async Task UpdateAsync_ConsentChanged_RecordsWhenAndSource()
    {
        var customer = await _database.AddCustomerAsync("Zhao Lei");
        var time = new FixedTimeProvider(TestServices.Now);
        await using var db = _database.CreateContext();
        var service = TestServices.Customers(db, time);
        var form = (await service.GetForEditAsync(customer.Id, default))!.Form;
        form.EmailConsent = ConsentState.OptedIn;
        time.Now = TestServices.Now.AddDays(1);

        await service.UpdateAsync(customer.Id, form, TestServices.Actor, default);

        var saved = await db.Customers.AsNoTracking().SingleAsync();
        Assert.Equal(ConsentState.OptedIn, saved.EmailConsent);
        Assert.Equal(time.Now.UtcDateTime, saved.EmailConsentAt);
        Assert.Equal("staff", saved.EmailConsentSource);
        Assert.Equal(2, saved.Version);
    }

    [Fact]
    public async Task UpdateAsync_UnknownId_ReturnsNotFound()
    {
        await using var db = _database.CreateContext();
        var result = await TestServices.Customers(db).UpdateAsync(404, Form("Nobody"), TestServices.Actor, default);
        Assert.Equal(SaveOutcome.NotFound, result.Outcome);
    }

    [Theory]
    [InlineData("not-an-email", null, "Email")]
    [InlineData(null, "12345", "Phone")]
    public void FormValidation_BadContact_ReportsTheField(string? email, string? phone, string field)
    {
        var form = Form("Someone", email, phone);
        var results = new List<ValidationResult>();

        Assert.False(Validator.TryValidateObject(form, new ValidationContext(form), results, validateAllProperties: true));
        Assert.Contains(results, r => r.MemberNames.Contains(field));
    }

    [Fact]
    public void FormValidation_MissingName_IsRequired()
    {
        var form = Form("");
        var results = new List<ValidationResult>();
        Assert.False(Validator.TryValidateObject(form, new ValidationContext(form), results, validateAllProperties: true));
        Assert.Contains(results, r => r.MemberNames.Contains(nameof(CustomerFormModel.Name)));
    }

    [Fact]
    public async Task SetArchivedAsync_ArchivesAndRestores()
    {
        var customer = await _database.AddCustomerAsync("Sun Li");
        await using var db = _database.CreateContext();
        var service = TestServices.Customers(db);

        Assert.True(await service.SetArchivedAsync(customer.Id, true, TestServices.Actor, default));
        Assert.True((await db.Customers.AsNoTracking().SingleAsync()).IsArchived);
        Assert.True(await service.SetArchivedAsync(customer.Id, false, TestServices.Actor, default));
        var restored = await db.Customers.AsNoTracking().SingleAsync();
        Assert.False(restored.IsArchived);
        Assert.Null(restored.ArchivedAt);
        Assert.False(await service.SetArchivedAsync(999, true, TestServices.Actor, default));
    }

    [Fact]
    public async Task AddNoteAsync_AppearsOnTimelineWithAuthor()
    {
        var customer = await _database.AddCustomerAsync("Zhou Min");
        await using var db = _database.CreateContext();
        var service = TestServices.Customers(db);

        Assert.True(await service.AddNoteAsync(customer.Id, new NoteFormModel { Body = "Prefers phone calls <b>after 6pm</b>" }, TestServices.Actor, default));

        var details = await service.GetDetailsAsync(customer.Id, 1, default);
        var entry = Assert.Single(details!.Timeline.Entries);
        Assert.Equal(TimelineKinds.Note, entry.Kind);
        Assert.Equal("Prefers phone calls <b>after 6pm</b>", entry.Detail);
        Assert.Equal("admin@test.local", entry.Author);
    }
}
