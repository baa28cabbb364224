using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Api;
using CrmMarketing.Web.Services.Audit;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.ViewModels.Api;
using CrmMarketing.Web.ViewModels.Customers;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.Web.Services.Ingestion;

/// <summary>The result of one batch. <see cref="RequestError"/> set means the request as a whole was refused
/// and nothing was written.</summary>
public sealed record BatchOutcome(int Received, IReadOnlyList<ItemResult> Results, IReadOnlyList<ItemError> Errors, ItemError? RequestError = null)
{
    public static BatchOutcome Refused(string field, string message) => new(0, [], [], new ItemError(-1, field, message));
}

/// <summary>Customers, purchases and behaviour events pushed in by other systems through the API. Each batch
/// is validated item by item; the valid items are written in one transaction with one audit entry that holds
/// counts and the key, never personal data.</summary>
public sealed partial class IngestionService(
    CrmDbContext db,
    TimeProvider time,
    CustomerService customers,
    AuditService audit,
    ILogger<IngestionService> logger)
{
    public const string MatchByEmail = "email";
    public const string MatchByPhone = "phone";
    public const string MatchByExternalId = "externalId";

    public async Task<BatchOutcome> UpsertCustomersAsync(CustomerBatchRequest request, ApiCaller caller, CancellationToken ct)
    {
        var matchBy = (request.MatchBy ?? MatchByEmail).Trim() switch
        {
            var m when m.Equals(MatchByEmail, StringComparison.OrdinalIgnoreCase) => MatchByEmail,
            var m when m.Equals(MatchByPhone, StringComparison.OrdinalIgnoreCase) => MatchByPhone,
            var m when m.Equals(MatchByExternalId, StringComparison.OrdinalIgnoreCase) => MatchByExternalId,
            _ => null,
        };
        if (matchBy is null)
        {
            return BatchOutcome.Refused("matchBy", "matchBy must be \"email\", \"phone\" or \"externalId\".");
        }

        var items = request.Items!;
        var now = time.GetUtcNow().UtcDateTime;
        var results = new List<ItemResult>();
        var errors = new List<ItemError>();
        var written = new List<(int Index, Customer Customer, bool IsNew)>();
        var inBatch = new Dictionary<string, Customer>(StringComparer.Ordinal);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var itemErrors = new List<ItemError>();
            var key = ValidateCustomer(i, item, matchBy, DateOnly.FromDateTime(now), itemErrors);
            if (itemErrors.Count > 0 || key is null)
            {
                errors.AddRange(itemErrors);
                continue;
            }

            // A key repeated inside the batch updates the customer its first item created or found.
            var customer = inBatch.GetValueOrDefault(key);
            if (customer is null)
            {
                var found = await FindByKeyAsync(matchBy, key, ct);
                if (found.Count > 1)
                {
                    errors.Add(new ItemError(i, matchBy, $"More than one customer has this {matchBy}; merge the duplicates first."));
                    continue;
                }

                customer = found.SingleOrDefault();
            }

            var isNew = customer is null;
            if (customer is null)
            {
                if (string.IsNullOrWhiteSpace(item.Name))
                {
                    errors.Add(new ItemError(i, "name", "A name is required to create a customer."));
                    continue;
                }

                customer = new Customer { CreatedAt = now, CreatedBy = caller.ActorName };
                db.Customers.Add(customer);
            }

            ApplyCustomer(customer, item, isNew, caller, now);
            inBatch[key] = customer;
            written.Add((i, customer, isNew));
        }

        await db.SaveChangesAsync(ct);
        foreach (var (index, customer, isNew) in written)
        {
            var duplicates = await customers.FindDuplicatesAsync(customer.Email, customer.Phone, customer.Id, ct);
            results.Add(new ItemResult(index, isNew ? ItemStatus.Created : ItemStatus.Updated, customer.Id)
            {
                PossibleDuplicates = duplicates.Count == 0 ? null : duplicates.Select(d => d.Id).ToList(),
            });
        }

        var created = results.Count(r => r.Status == ItemStatus.Created);
        await RecordAsync(AuditActions.ApiCustomers, caller, items.Count, errors,
            [new("Created", null, Count(created)), new("Updated", null, Count(results.Count - created))], ct);
        await tx.CommitAsync(ct);
        if (written.Count > 0)
        {
            customers.ForgetFilterOptions();
        }

        LogBatch(logger, "customers", caller.Id, items.Count, results.Count, RejectedCount(errors));
        return new BatchOutcome(items.Count, results, errors);
    }

    /// <summary>Checks one item; returns the normalised match key, or null (with errors) when the item is invalid.</summary>
    private static string? ValidateCustomer(int i, CustomerItem item, string matchBy, DateOnly today, List<ItemError> errors)
    {
        string? emailKey = null;
        string? phone = null;
        if (item.Email is not null)
        {
            emailKey = ContactNormalizer.NormalizeEmail(item.Email);
            if (emailKey is null || item.Email.Trim().Length > Customer.EmailMaxLength)
            {
                errors.Add(new ItemError(i, "email", "Not a valid email address."));
            }
        }

        if (item.Phone is not null)
        {
            phone = ContactNormalizer.NormalizePhone(item.Phone);
            if (phone is null)
            {
                errors.Add(new ItemError(i, "phone", "Not a valid phone number (use E.164, e.g. +8613812345678)."));
            }
        }

        if (item.Name is not null && (string.IsNullOrWhiteSpace(item.Name) || item.Name.Trim().Length > Customer.NameMaxLength))
        {
            errors.Add(new ItemError(i, "name", $"The name must be 1 to {Customer.NameMaxLength} characters."));
        }

        CheckLength(errors, i, "externalId", item.ExternalId, Customer.ExternalIdMaxLength);
        CheckLength(errors, i, "address", item.Address, Customer.AddressMaxLength);
        CheckLength(errors, i, "city", item.City, Customer.CityMaxLength);
        CheckLength(errors, i, "region", item.Region, Customer.RegionMaxLength);
        CheckLength(errors, i, "country", item.Country, Customer.CountryMaxLength);
        CheckLength(errors, i, "postalCode", item.PostalCode, Customer.PostalCodeMaxLength);
        CheckLength(errors, i, "source", item.Source, Customer.SourceMaxLength);
        CheckEnum<Gender>(errors, i, "gender", item.Gender);
        CheckEnum<ConsentState>(errors, i, "emailConsent", item.EmailConsent);
        CheckEnum<ConsentState>(errors, i, "smsConsent", item.SmsConsent);

        if (item.BirthDate is { } birthDate && (birthDate.Year < 1900 || birthDate > today))
        {
            errors.Add(new ItemError(i, "birthDate", "The birth date must lie between 1900 and today."));
        }

        if (item.Tags is { } tags)
        {
            var cleaned = CleanTags(tags);
            if (cleaned.Count > CustomerFormModel.MaxTags)
            {
                errors.Add(new ItemError(i, "tags", $"At most {CustomerFormModel.MaxTags} tags."));
            }

            if (cleaned.Any(t => t.Length > CustomerTag.TagMaxLength))
            {
                errors.Add(new ItemError(i, "tags", $"Each tag must be at most {CustomerTag.TagMaxLength} characters."));
            }
        }

        var key = matchBy switch
        {
            MatchByEmail => emailKey,
            MatchByPhone => phone,
            _ => string.IsNullOrWhiteSpace(item.ExternalId) ? null : item.ExternalId.Trim(),
        };
        if (key is null && !errors.Any(e => e.Field == matchBy))
        {
            errors.Add(new ItemError(i, matchBy, $"The {matchBy} is required: it is the key this batch matches customers by."));
        }

        return errors.Count == 0 ? key : null;
    }

    private Task<List<Customer>> FindByKeyAsync(string matchBy, string key, CancellationToken ct)
    {
        var query = db.Customers.Include(c => c.Tags);
        var matching = matchBy switch
        {
            MatchByEmail => query.Where(c => c.EmailKey == key),
            MatchByPhone => query.Where(c => c.Phone == key),
            _ => query.Where(c => c.ExternalId == key),
        };
        return matching.OrderBy(c => c.Id).Take(2).ToListAsync(ct);
    }

    /// <summary>Copies the fields the item carries; absent ones keep their value. Consent changes (and a new
    /// customer's initial consent) go to the consent ledger with the key as evidence.</summary>
    private static void ApplyCustomer(Customer customer, CustomerItem item, bool isNew, ApiCaller caller, DateTime now)
    {
        if (item.Name is not null)
        {
            customer.Name = item.Name.Trim();
            customer.NameKey = Customer.KeyOf(customer.Name);
        }

        if (item.Email is not null)
        {
            customer.Email = item.Email.Trim();
            customer.EmailKey = ContactNormalizer.NormalizeEmail(item.Email);
        }

        if (item.Phone is not null)
        {
            customer.Phone = ContactNormalizer.NormalizePhone(item.Phone);
        }

        if (item.Gender is not null)
        {
            customer.Gender = ParseEnum<Gender>(item.Gender)!.Value;
        }

        customer.BirthDate = item.BirthDate ?? customer.BirthDate;
        customer.Address = Clean(item.Address) ?? customer.Address;
        customer.City = Clean(item.City) ?? customer.City;
        customer.Region = Clean(item.Region) ?? customer.Region;
        customer.Country = Clean(item.Country) ?? customer.Country;
        customer.PostalCode = Clean(item.PostalCode) ?? customer.PostalCode;
        customer.Source = Clean(item.Source) ?? customer.Source;
        customer.ExternalId = Clean(item.ExternalId) ?? customer.ExternalId;

        if (item.Tags is { } tags)
        {
            var cleaned = CleanTags(tags);
            customer.Tags.RemoveAll(t => !cleaned.Contains(t.Tag));
            foreach (var tag in cleaned.Where(t => customer.Tags.All(existing => existing.Tag != t)))
            {
                customer.Tags.Add(new CustomerTag { Tag = tag });
            }
        }

        var evidence = "API key " + caller.KeyId;
        var email = item.EmailConsent is null ? customer.EmailConsent : ParseEnum<ConsentState>(item.EmailConsent)!.Value;
        if (isNew || email != customer.EmailConsent)
        {
            customer.ConsentChanges.Add(Consent(ConsentChannel.Email, email));
            customer.EmailConsent = email;
            customer.EmailConsentAt = now;
            customer.EmailConsentSource = ConsentSources.Api;
        }

        var sms = item.SmsConsent is null ? customer.SmsConsent : ParseEnum<ConsentState>(item.SmsConsent)!.Value;
        if (isNew || sms != customer.SmsConsent)
        {
            customer.ConsentChanges.Add(Consent(ConsentChannel.Sms, sms));
            customer.SmsConsent = sms;
            customer.SmsConsentAt = now;
            customer.SmsConsentSource = ConsentSources.Api;
        }

        customer.UpdatedAt = now;
        customer.UpdatedBy = caller.ActorName;
        if (!isNew)
        {
            customer.Version++;
        }

        ConsentChange Consent(ConsentChannel channel, ConsentState state) => new()
        {
            Channel = channel,
            State = state,
            ChangedAt = now,
            Source = ConsentSources.Api,
            ChangedBy = caller.ActorName,
            Evidence = evidence,
        };
    }

    public async Task<BatchOutcome> AddPurchasesAsync(BatchRequest<PurchaseItem> request, ApiCaller caller, CancellationToken ct)
    {
        var items = request.Items!;
        var now = time.GetUtcNow().UtcDateTime;
        var results = new List<ItemResult>();
        var errors = new List<ItemError>();
        var written = new List<(int Index, Purchase Purchase)>();
        var orderNumbers = new Dictionary<string, Purchase>(StringComparer.Ordinal);
        var resolver = new CustomerResolver(db);
        var products = new Dictionary<string, (int Id, decimal ListPrice)?>(StringComparer.Ordinal);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var itemErrors = new List<ItemError>();
            var orderNumber = item.OrderNumber?.Trim();
            if (string.IsNullOrEmpty(orderNumber) || orderNumber.Length > Purchase.OrderNumberMaxLength)
            {
                itemErrors.Add(new ItemError(i, "orderNumber", $"The order number is required (at most {Purchase.OrderNumberMaxLength} characters)."));
            }

            if (item.PurchasedAt is null)
            {
                itemErrors.Add(new ItemError(i, "purchasedAt", "The purchase time is required (ISO 8601 with an offset)."));
            }
            else if (item.PurchasedAt.Value.UtcDateTime > now + IngestionLimits.MaxClockSkew)
            {
                itemErrors.Add(new ItemError(i, "purchasedAt", "The purchase time lies in the future."));
            }

            CheckEnum<PurchaseChannel>(itemErrors, i, "channel", item.Channel);
            CheckLength(itemErrors, i, "couponCode", item.CouponCode, Purchase.CouponCodeMaxLength);
            if (item.Lines is not { Count: > 0 and <= IngestionLimits.MaxLinesPerPurchase })
            {
                itemErrors.Add(new ItemError(i, "lines", $"A purchase has 1 to {IngestionLimits.MaxLinesPerPurchase} lines."));
            }
            else
            {
                for (var l = 0; l < item.Lines.Count; l++)
                {
                    await ValidateLineAsync(i, $"lines[{l}]", item.Lines[l], products, itemErrors, ct);
                }
            }

            var customerId = await resolver.ResolveAsync(i, item, itemErrors, ct);
            if (itemErrors.Count > 0)
            {
                errors.AddRange(itemErrors);
                continue;
            }

            // Idempotent by order number: a retry of a batch, or a repeat inside one, finds the first.
            if (orderNumbers.TryGetValue(orderNumber!, out var earlier))
            {
                written.Add((i, earlier));
                continue;
            }

            var existingId = await db.Purchases.Where(p => p.OrderNumber == orderNumber).Select(p => (int?)p.Id).FirstOrDefaultAsync(ct);
            if (existingId is { } id)
            {
                results.Add(new ItemResult(i, ItemStatus.Exists, id));
                continue;
            }

            var purchase = new Purchase
            {
                OrderNumber = orderNumber!,
                CustomerId = customerId!.Value,
                PurchasedAt = item.PurchasedAt!.Value.UtcDateTime,
                Channel = item.Channel is null ? PurchaseChannel.Online : ParseEnum<PurchaseChannel>(item.Channel)!.Value,
                CouponCode = Clean(item.CouponCode)?.ToUpperInvariant(),
                CreatedAt = now,
                CreatedBy = caller.ActorName,
            };
            foreach (var line in item.Lines!)
            {
                var product = products[line.Sku!.Trim()]!.Value;
                var unitPrice = line.UnitPrice ?? product.ListPrice;
                purchase.Lines.Add(new PurchaseLine
                {
                    ProductId = product.Id,
                    Quantity = line.Quantity!.Value,
                    UnitPrice = unitPrice,
                    Amount = decimal.Round(unitPrice * line.Quantity.Value, 4),
                });
            }

            purchase.Total = purchase.Lines.Sum(l => l.Amount);
            db.Purchases.Add(purchase);
            orderNumbers[orderNumber!] = purchase;
            written.Add((i, purchase));
        }

        await db.SaveChangesAsync(ct);
        foreach (var customerId in orderNumbers.Values.Select(p => p.CustomerId).Distinct())
        {
            await PurchaseService.RecomputeAggregatesAsync(db, customerId, ct);
        }

        var firstOfOrder = new HashSet<Purchase>(ReferenceEqualityComparer.Instance);
        foreach (var (index, purchase) in written)
        {
            results.Add(new ItemResult(index, firstOfOrder.Add(purchase) ? ItemStatus.Created : ItemStatus.Exists, purchase.Id));
        }

        results.Sort((a, b) => a.Index.CompareTo(b.Index));
        await RecordAsync(AuditActions.ApiPurchases, caller, items.Count, errors,
        [
            new("Created", null, Count(orderNumbers.Count)),
            new("Existing", null, Count(results.Count - orderNumbers.Count)),
        ], ct);
        await tx.CommitAsync(ct);
        LogBatch(logger, "purchases", caller.Id, items.Count, results.Count, RejectedCount(errors));
        return new BatchOutcome(items.Count, results, errors);
    }

    private async Task ValidateLineAsync(int i, string path, PurchaseLineItem? line, Dictionary<string, (int Id, decimal ListPrice)?> products,
        List<ItemError> errors, CancellationToken ct)
    {
        if (line is null)
        {
            errors.Add(new ItemError(i, path, "The line is empty."));
            return;
        }

        var sku = line.Sku?.Trim();
        if (string.IsNullOrEmpty(sku) || sku.Length > Product.SkuMaxLength)
        {
            errors.Add(new ItemError(i, path + ".sku", "The SKU is required."));
        }
        else
        {
            if (!products.TryGetValue(sku, out var product))
            {
                var found = await db.Products.AsNoTracking().Where(p => p.Sku == sku)
                    .Select(p => new { p.Id, p.ListPrice }).FirstOrDefaultAsync(ct);
                product = found is null ? null : (found.Id, found.ListPrice);
                products[sku] = product;
            }

            if (product is null)
            {
                errors.Add(new ItemError(i, path + ".sku", "No product has this SKU."));
            }
        }

        if (line.Quantity is null or 0 || Math.Abs(line.Quantity.Value) > 1_000_000)
        {
            errors.Add(new ItemError(i, path + ".quantity", "The quantity must be a non-zero whole number (negative for a return)."));
        }

        if (line.UnitPrice is { } price && (price < 0 || price > 1_000_000_000m || decimal.Round(price, 4) != price))
        {
            errors.Add(new ItemError(i, path + ".unitPrice", "The unit price must be between 0 and 1,000,000,000 with at most 4 decimals."));
        }
    }

    public async Task<BatchOutcome> AddEventsAsync(BatchRequest<EventItem> request, ApiCaller caller, CancellationToken ct)
    {
        var items = request.Items!;
        var now = time.GetUtcNow().UtcDateTime;
        var errors = new List<ItemError>();
        var written = new List<(int Index, CustomerEvent Event)>();
        var resolver = new CustomerResolver(db);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var itemErrors = new List<ItemError>();
            var type = item.Type?.Trim();
            if (type is null || !EventTypePattern().IsMatch(type))
            {
                itemErrors.Add(new ItemError(i, "type", $"The type is required: snake_case, at most {CustomerEvent.TypeMaxLength} characters (e.g. page_view)."));
            }

            if (item.OccurredAt is null)
            {
                itemErrors.Add(new ItemError(i, "occurredAt", "The event time is required (ISO 8601 with an offset)."));
            }
            else if (item.OccurredAt.Value.UtcDateTime > now + IngestionLimits.MaxClockSkew)
            {
                itemErrors.Add(new ItemError(i, "occurredAt", "The event time lies in the future."));
            }

            CheckLength(itemErrors, i, "source", item.Source, CustomerEvent.SourceMaxLength);
            string? properties = null;
            if (item.Properties is { ValueKind: not JsonValueKind.Null } json)
            {
                properties = json.GetRawText();
                if (json.ValueKind != JsonValueKind.Object || properties.Length > IngestionLimits.MaxEventPropertiesLength)
                {
                    itemErrors.Add(new ItemError(i, "properties", $"The properties must be a JSON object of at most {IngestionLimits.MaxEventPropertiesLength} characters."));
                }
            }

            var customerId = await resolver.ResolveAsync(i, item, itemErrors, ct);
            if (itemErrors.Count > 0)
            {
                errors.AddRange(itemErrors);
                continue;
            }

            var entity = new CustomerEvent
            {
                CustomerId = customerId!.Value,
                Type = type!,
                OccurredAt = item.OccurredAt!.Value.UtcDateTime,
                Source = Clean(item.Source),
                PropertiesJson = properties,
            };
            db.CustomerEvents.Add(entity);
            written.Add((i, entity));
        }

        await db.SaveChangesAsync(ct);
        var results = written.Select(w => new ItemResult(w.Index, ItemStatus.Created, w.Event.Id)).ToList();
        await RecordAsync(AuditActions.ApiEvents, caller, items.Count, errors, [new("Created", null, Count(results.Count))], ct);
        await tx.CommitAsync(ct);
        LogBatch(logger, "events", caller.Id, items.Count, results.Count, RejectedCount(errors));
        return new BatchOutcome(items.Count, results, errors);
    }

    /// <summary>One entry per batch: the key and the counts, no personal data.</summary>
    private Task RecordAsync(string action, ApiCaller caller, int received, List<ItemError> errors, List<AuditChange> counts, CancellationToken ct)
    {
        List<AuditChange> changes =
        [
            new("Received", null, Count(received)),
            .. counts,
            new("Rejected", null, Count(RejectedCount(errors))),
        ];
        return audit.RecordAsync(action, AuditEntityTypes.ApiKey, Count(caller.Id), changes, ct, new AuditActor(null, caller.ActorName));
    }

    private static int RejectedCount(List<ItemError> errors) => errors.Select(e => e.Index).Distinct().Count();

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static List<string> CleanTags(IEnumerable<string?> tags) =>
        tags.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t!.Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();

    private static void CheckLength(List<ItemError> errors, int i, string field, string? value, int max)
    {
        if (value is not null && value.Trim().Length > max)
        {
            errors.Add(new ItemError(i, field, $"At most {max} characters."));
        }
    }

    private static void CheckEnum<T>(List<ItemError> errors, int i, string field, string? value)
        where T : struct, Enum
    {
        if (value is not null && ParseEnum<T>(value) is null)
        {
            errors.Add(new ItemError(i, field, "One of: " + string.Join(", ", Enum.GetNames<T>().Select(JsonNamingPolicy.CamelCase.ConvertName)) + "."));
        }
    }

    /// <summary>The enum member named (case-insensitively) by the text; numbers and lists are not accepted.</summary>
    internal static T? ParseEnum<T>(string text)
        where T : struct, Enum
    {
        var trimmed = text.Trim();
        // Letters only: Enum.TryParse also reads numbers and comma-separated lists ("female, male" is 3).
        return trimmed.Length > 0 && trimmed.All(char.IsAsciiLetter) && Enum.TryParse<T>(trimmed, ignoreCase: true, out var value)
            && Enum.IsDefined(value)
            ? value
            : null;
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex EventTypePattern();

    [LoggerMessage(EventId = 7201, Level = LogLevel.Information,
        Message = "API batch of {Kind} from key {KeyId}: {Received} received, {Accepted} accepted, {Rejected} rejected.")]
    private static partial void LogBatch(ILogger logger, string kind, int keyId, int received, int accepted, int rejected);

    /// <summary>Finds the customer a purchase or event refers to, remembering answers within the batch.</summary>
    private sealed class CustomerResolver(CrmDbContext db)
    {
        private readonly Dictionary<string, List<int>> _cache = new(StringComparer.Ordinal);

        public async Task<int?> ResolveAsync(int i, CustomerReference item, List<ItemError> errors, CancellationToken ct)
        {
            string field;
            string cacheKey;
            IQueryable<Customer> query;
            if (item.CustomerId is { } id)
            {
                (field, cacheKey) = ("customerId", "id:" + Count(id));
                query = db.Customers.Where(c => c.Id == id);
            }
            else if (!string.IsNullOrWhiteSpace(item.CustomerExternalId))
            {
                var externalId = item.CustomerExternalId.Trim();
                (field, cacheKey) = ("customerExternalId", "ext:" + externalId);
                query = db.Customers.Where(c => c.ExternalId == externalId);
            }
            else if (!string.IsNullOrWhiteSpace(item.CustomerEmail))
            {
                var email = ContactNormalizer.NormalizeEmail(item.CustomerEmail);
                if (email is null)
                {
                    errors.Add(new ItemError(i, "customerEmail", "Not a valid email address."));
                    return null;
                }

                (field, cacheKey) = ("customerEmail", "email:" + email);
                query = db.Customers.Where(c => c.EmailKey == email);
            }
            else if (!string.IsNullOrWhiteSpace(item.CustomerPhone))
            {
                var phone = ContactNormalizer.NormalizePhone(item.CustomerPhone);
                if (phone is null)
                {
                    errors.Add(new ItemError(i, "customerPhone", "Not a valid phone number."));
                    return null;
                }

                (field, cacheKey) = ("customerPhone", "phone:" + phone);
                query = db.Customers.Where(c => c.Phone == phone);
            }
            else
            {
                errors.Add(new ItemError(i, "customerId", "Identify the customer by customerId, customerExternalId, customerEmail or customerPhone."));
                return null;
            }

            if (!_cache.TryGetValue(cacheKey, out var ids))
            {
                ids = await query.OrderBy(c => c.Id).Select(c => c.Id).Take(2).ToListAsync(ct);
                _cache[cacheKey] = ids;
            }

            switch (ids.Count)
            {
                case 0:
                    errors.Add(new ItemError(i, field, "No customer matches."));
                    return null;
                case > 1:
                    errors.Add(new ItemError(i, field, "More than one customer matches; use customerId or merge the duplicates."));
                    return null;
                default:
                    return ids[0];
            }
        }
    }
}
