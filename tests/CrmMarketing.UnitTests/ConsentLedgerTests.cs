using CrmMarketing.UnitTests.Infrastructure;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.ViewModels.Customers;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.UnitTests;

public class ConsentLedgerTests : IDisposable
{
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static async Task<CustomerFormModel> EditFormAsync(CustomerService service, int id) =>
        (await service.GetForEditAsync(id, default))!.Form;

    private static Task<List<ConsentChange>> LedgerAsync(Web.Data.CrmDbContext db, int customerId) =>
        db.ConsentChanges.AsNoTracking().Where(c => c.CustomerId == customerId).OrderBy(c => c.Id).ToListAsync();

    [Fact]
    public async Task CreateAsync_RecordsTheInitialStateOfBothChannels()
    {
        await using var db = _database.CreateContext();
        var form = new CustomerFormModel { Name = "Ma Lin", EmailConsent = ConsentState.OptedIn };

        var result = await TestServices.Customers(db).CreateAsync(form, TestServices.Actor, default);

        var ledger = await LedgerAsync(db, result.Id);
        Assert.Equal(
            [(ConsentChannel.Email, ConsentState.OptedIn), (ConsentChannel.Sms, ConsentState.Unknown)],
            ledger.Select(c => (c.Channel, c.State)));
        Assert.All(ledger, c =>
        {
            Assert.Equal(TestServices.Now.UtcDateTime, c.ChangedAt);
            Assert.Equal(ConsentSources.Staff, c.Source);
            Assert.Equal(TestServices.Actor.Name, c.ChangedBy);
            Assert.Null(c.Evidence);
        });
    }

    [Fact]
    public async Task UpdateAsync_ConsentUnchanged_AddsNoRow()
    {
        await using var db = _database.CreateContext();
        var service = TestServices.Customers(db);
        var id = (await service.CreateAsync(new CustomerFormModel { Name = "He Jun", SmsConsent = ConsentState.OptedIn }, TestServices.Actor, default)).Id;
        var form = await EditFormAsync(service, id);
        form.City = "Suzhou";
        form.ConsentEvidence = "no consent changed, so this is not recorded";

        Assert.Equal(SaveOutcome.Saved, (await service.UpdateAsync(id, form, TestServices.Actor, default)).Outcome);

        var ledger = await LedgerAsync(db, id);
        Assert.Equal(2, ledger.Count);
        Assert.All(ledger, c => Assert.Null(c.Evidence));
    }

    [Fact]
    public async Task UpdateAsync_OneChannelChanges_AddsExactlyThatRow()
    {
        var time = new FixedTimeProvider(TestServices.Now);
        await using var db = _database.CreateContext();
        var service = TestServices.Customers(db, time);
        var id = (await service.CreateAsync(new CustomerFormModel { Name = "Luo Qi", EmailConsent = ConsentState.OptedIn }, TestServices.Actor, default)).Id;
        time.Now = TestServices.Now.AddDays(3);
        var form = await EditFormAsync(service, id);
        form.EmailConsent = ConsentState.OptedOut;
        form.ConsentEvidence = "  Unsubscribe email of 18 June  ";
        var editor = new Actor("user-2", "sales@test.local");

        Assert.Equal(SaveOutcome.Saved, (await service.UpdateAsync(id, form, editor, default)).Outcome);

        var ledger = await LedgerAsync(db, id);
        Assert.Equal(3, ledger.Count);
        var change = ledger[^1];
        Assert.Equal(ConsentChannel.Email, change.Channel);
        Assert.Equal(ConsentState.OptedOut, change.State);
        Assert.Equal(time.Now.UtcDateTime, change.ChangedAt);
        Assert.Equal("sales@test.local", change.ChangedBy);
        Assert.Equal("Unsubscribe email of 18 June", change.Evidence);
        Assert.All(ledger.Take(2), initial => Assert.Null(initial.Evidence));
    }

    [Fact]
    public async Task UpdateAsync_BothChannelsChange_AddsTwoRowsAndHistoryIsNewestFirst()
    {
        var time = new FixedTimeProvider(TestServices.Now);
        await using var db = _database.CreateContext();
        var service = TestServices.Customers(db, time);
        var id = (await service.CreateAsync(new CustomerFormModel { Name = "Tang Yi" }, TestServices.Actor, default)).Id;
        time.Now = TestServices.Now.AddHours(1);
        var form = await EditFormAsync(service, id);
        form.EmailConsent = ConsentState.OptedIn;
        form.SmsConsent = ConsentState.OptedOut;

        await service.UpdateAsync(id, form, TestServices.Actor, default);

        Assert.Equal(4, (await LedgerAsync(db, id)).Count);
        var history = await service.GetConsentHistoryAsync(id, default);
        Assert.Equal(
            [
                (ConsentChannel.Sms, ConsentState.OptedOut),
                (ConsentChannel.Email, ConsentState.OptedIn),
                (ConsentChannel.Sms, ConsentState.Unknown),
                (ConsentChannel.Email, ConsentState.Unknown),
            ],
            history.Select(h => (h.Channel, h.State)));
        Assert.Equal(history.Select(h => h.ChangedAt).OrderByDescending(t => t), history.Select(h => h.ChangedAt));
    }

    [Fact]
    public async Task UpdateAsync_StaleVersion_SavesNoLedgerRow()
    {
        await using var db = _database.CreateContext();
        var service = TestServices.Customers(db);
        var id = (await service.CreateAsync(new CustomerFormModel { Name = "Xu Fei" }, TestServices.Actor, default)).Id;
        var form = await EditFormAsync(service, id);
        form.EmailConsent = ConsentState.OptedIn;
        form.Version--;

        Assert.Equal(SaveOutcome.Conflict, (await service.UpdateAsync(id, form, TestServices.Actor, default)).Outcome);

        Assert.Equal(2, (await LedgerAsync(db, id)).Count);
    }

    [Fact]
    public async Task SetArchivedAsync_LeavesTheLedgerAlone()
    {
        await using var db = _database.CreateContext();
        var service = TestServices.Customers(db);
        var id = (await service.CreateAsync(new CustomerFormModel { Name = "Cao Yan", EmailConsent = ConsentState.OptedIn }, TestServices.Actor, default)).Id;

        Assert.True(await service.SetArchivedAsync(id, archived: true, TestServices.Actor, default));
        Assert.True(await service.SetArchivedAsync(id, archived: false, TestServices.Actor, default));

        Assert.Equal(2, (await LedgerAsync(db, id)).Count);
        var details = await service.GetDetailsAsync(id, 1, default);
        Assert.Equal(2, details!.ConsentHistory.Count);
    }

    [Fact]
    public async Task GetDetailsAsync_CustomerWithoutLedger_HasEmptyHistory()
    {
        var customer = await _database.AddCustomerAsync("Old Record");
        await using var db = _database.CreateContext();

        var details = await TestServices.Customers(db).GetDetailsAsync(customer.Id, 1, default);

        Assert.Empty(details!.ConsentHistory);
    }
}
