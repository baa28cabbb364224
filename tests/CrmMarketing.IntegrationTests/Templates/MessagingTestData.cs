using CrmMarketing.IntegrationTests.Infrastructure;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.Services.Templates;
using CrmMarketing.Web.Services.Tracking;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmMarketing.IntegrationTests.Templates;

/// <summary>Customers, templates and queued messages written straight to the test database.</summary>
internal static class MessagingTestData
{
    public static async Task<T> WithDbAsync<T>(this CrmWebApplicationFactory factory, Func<CrmDbContext, Task<T>> work)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<CrmDbContext>());
    }

    public static Task<Customer> AddCustomerAsync(this CrmWebApplicationFactory factory, string name,
        ConsentState emailConsent = ConsentState.OptedIn, ConsentState smsConsent = ConsentState.OptedIn) =>
        factory.WithDbAsync(async db =>
        {
            var tag = Guid.NewGuid().ToString("N")[..8];
            var customer = new Customer
            {
                Name = name,
                NameKey = Customer.KeyOf(name),
                Email = $"{tag}@customers.test",
                EmailKey = $"{tag}@customers.test",
                Phone = "+86138" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture),
                City = "上海",
                EmailConsent = emailConsent,
                SmsConsent = smsConsent,
                CreatedAt = DateTime.UtcNow,
                UpdatedAt = DateTime.UtcNow,
                Version = 1,
            };
            db.Customers.Add(customer);
            await db.SaveChangesAsync();
            return customer;
        });

    public static Task<MessageTemplate> AddTemplateAsync(this CrmWebApplicationFactory factory, string html, bool marketing = true, bool tracking = true) =>
        factory.WithDbAsync(async db =>
        {
            var template = new MessageTemplate
            {
                Name = "T " + Guid.NewGuid().ToString("N")[..10],
                Channel = MessageChannel.Email,
                IsMarketing = marketing,
                TrackingEnabled = tracking,
                Subject = "News for {{name}}",
                HtmlBody = html,
                CreatedAt = DateTime.UtcNow,
                UpdatedAt = DateTime.UtcNow,
            };
            db.MessageTemplates.Add(template);
            await db.SaveChangesAsync();
            return template;
        });

    /// <summary>Queues the template to the customer the way the customer page does.</summary>
    public static async Task<OutboxMessage> QueueAsync(this CrmWebApplicationFactory factory, Customer customer, MessageTemplate template)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var outbox = scope.ServiceProvider.GetRequiredService<TrackedOutbox>();
        var merge = scope.ServiceProvider.GetRequiredService<MergeValueBuilder>();
        var recipient = await merge.FindRecipientAsync(customer.Id, default);
        var queued = await outbox.EnqueueAsync(new PersonalMessage(
            MessageContent.From(template), recipient, customer.Email!, customer.Name, MergeValuesSource.Customer,
            "it:" + Guid.NewGuid().ToString("N"), new Actor(null, "tests"), ForCustomer: true, template.Id), default);
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        return await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == queued.OutboxMessageId);
    }

    public static TrackingTokens Tokens(this CrmWebApplicationFactory factory) => factory.Services.GetRequiredService<TrackingTokens>();
}
