using CrmMarketing.UnitTests.Infrastructure;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.ViewModels.Customers;
using FeedbackEntity = CrmMarketing.Web.Domain.Feedback;

namespace CrmMarketing.UnitTests.Privacy;

/// <summary>A customer with a row in every customer-owned table, created through the services where they exist.</summary>
public sealed record SeededCustomer(int Id, string Name, string Email, string Phone, string Address, string Secret, DateOnly BirthDate);

public static class PrivacyTestData
{
    private static int _sequence;

    public static async Task<SeededCustomer> SeedAsync(TestDatabase database, string name, string email, string phone, string address,
        string city = "Hangzhou", DateTime? purchasedAt = null)
    {
        var sequence = Interlocked.Increment(ref _sequence);
        var product = await database.AddProductAsync("SKU-" + sequence, 25m);
        var birthDate = new DateOnly(1960, 1, 1).AddDays(sequence * 397);
        await using var db = database.CreateContext();
        var customers = TestServices.Customers(db);
        var created = await customers.CreateAsync(new CustomerFormModel
        {
            Name = name,
            Email = email,
            Phone = phone,
            Address = address,
            City = city,
            PostalCode = "310000",
            BirthDate = birthDate,
            ExternalId = "EXT-" + name.Replace(' ', '-'),
            EmailConsent = ConsentState.OptedIn,
            ConsentEvidence = "Signed form of " + name,
            Tags = "vip",
            IgnoreDuplicates = true,
        }, TestServices.Actor, default);
        var id = created.Id;

        var edit = (await customers.GetForEditAsync(id, default))!.Form;
        edit.Region = "Zhejiang";
        edit.IgnoreDuplicates = true;
        await customers.UpdateAsync(id, edit, TestServices.Actor, default);

        await TestServices.Purchases(db).RecordAsync(id, new PurchaseFormModel
        {
            PurchasedAt = purchasedAt ?? new DateTime(2026, 3, 1, 10, 0, 0),
            Lines = [new() { ProductId = product.Id, Quantity = 2 }, new() { ProductId = product.Id, Quantity = 1, UnitPrice = 10m }],
        }, TestServices.Actor, default);
        await customers.AddNoteAsync(id, new NoteFormModel { Body = "Note about " + name + " at " + address }, TestServices.Actor, default);
        await TestServices.Calls(db).LogAsync(id, new CallFormModel { Notes = "Called " + name + " on " + phone, DurationSeconds = 60 }, TestServices.Actor, default);

        var secret = "secret-" + Guid.NewGuid().ToString("N")[..8];
        db.Feedback.Add(new FeedbackEntity
        {
            CustomerId = id,
            Content = name + " says the parcel reached " + address + " " + secret,
            Score = 4,
            Tags = "delivery",
            CreatedAt = TestServices.Now.UtcDateTime,
            UpdatedAt = TestServices.Now.UtcDateTime,
        });
        db.CustomerEvents.Add(new CustomerEvent
        {
            CustomerId = id,
            Type = CustomerEventTypes.PageView,
            OccurredAt = new DateTime(2026, 2, 1, 0, 0, 0, DateTimeKind.Utc),
            PropertiesJson = "{\"email\":\"" + email + "\"}",
        });
        db.OutboxMessages.Add(new OutboxMessage
        {
            CustomerId = id,
            Channel = MessageChannel.Email,
            ToAddress = email,
            ToName = name,
            Subject = "Hello " + name,
            TextBody = "Dear " + name,
            MessageId = Guid.NewGuid().ToString("N") + "@test",
            IdempotencyKey = Guid.NewGuid().ToString("N"),
            NextAttemptAt = TestServices.Now.UtcDateTime,
            CreatedAt = TestServices.Now.UtcDateTime,
            State = OutboxState.Queued,
        });
        await db.SaveChangesAsync();
        return new SeededCustomer(id, name, email, ContactNormalizerE164(phone), address, secret, birthDate);
    }

    private static string ContactNormalizerE164(string phone) => CrmMarketing.Web.Services.Customers.ContactNormalizer.NormalizePhone(phone)!;
}
