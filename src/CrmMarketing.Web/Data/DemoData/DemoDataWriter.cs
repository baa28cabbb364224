using System.Globalization;
using CrmMarketing.Web.Domain;
using Microsoft.Data.Sqlite;

namespace CrmMarketing.Web.Data.DemoData;

/// <summary>Writes a <see cref="DemoDataSet"/> straight to SQLite with prepared, reused commands: tens of
/// thousands of rows in about a second, where change tracking would take minutes. Values are written
/// exactly as EF Core's SQLite provider and the model's converters store them.</summary>
internal sealed class DemoDataWriter(SqliteConnection connection, SqliteTransaction transaction)
{
    private const string DateTimeFormat = "yyyy-MM-dd HH:mm:ss.FFFFFFF";

    public async Task<DemoIdBase> ReadIdBaseAsync(CancellationToken ct) => new(
        (int)await MaxIdAsync("Customers", ct),
        (int)await MaxIdAsync("Products", ct),
        (int)await MaxIdAsync("Purchases", ct),
        (int)await MaxIdAsync("PurchaseLines", ct),
        await MaxIdAsync("CustomerEvents", ct),
        (int)await MaxIdAsync("CustomerNotes", ct));

    public async Task<Dictionary<string, int>> ReadProductSkusAsync(CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT \"Sku\", \"Id\" FROM \"Products\";";
        await using var reader = await command.ExecuteReaderAsync(ct);
        var skus = new Dictionary<string, int>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
        {
            skus[reader.GetString(0)] = reader.GetInt32(1);
        }

        return skus;
    }

    public void Write(DemoDataSet data, CancellationToken ct)
    {
        using (var insert = Insert("Products", "Id", "Sku", "Name", "Category", "ListPrice", "IsActive", "CreatedAt"))
        {
            foreach (var p in data.Products)
            {
                insert.Row(p.Id, p.Sku, p.Name, p.Category, Money.ToStored(p.ListPrice), p.IsActive, Text(p.CreatedAt));
            }
        }

        ct.ThrowIfCancellationRequested();
        using (var insert = Insert("Customers",
            "Id", "Name", "NameKey", "Email", "EmailKey", "Phone", "Gender", "BirthDate", "Address", "City", "Region",
            "Country", "PostalCode", "Source", "ExternalId", "EmailConsent", "EmailConsentAt", "EmailConsentSource",
            "SmsConsent", "SmsConsentAt", "SmsConsentSource", "CreatedAt", "CreatedBy", "UpdatedAt", "UpdatedBy",
            "IsArchived", "ArchivedAt", "FirstPurchaseAt", "LastPurchaseAt", "OrderCount", "TotalSpent", "Version"))
        {
            foreach (var c in data.Customers)
            {
                insert.Row(c.Id, c.Name, c.NameKey, c.Email, c.EmailKey, c.Phone, (int)c.Gender, Text(c.BirthDate), c.Address,
                    c.City, c.Region, c.Country, c.PostalCode, c.Source, c.ExternalId, (int)c.EmailConsent, Text(c.EmailConsentAt),
                    c.EmailConsentSource, (int)c.SmsConsent, Text(c.SmsConsentAt), c.SmsConsentSource, Text(c.CreatedAt),
                    c.CreatedBy, Text(c.UpdatedAt), c.UpdatedBy, c.IsArchived, Text(c.ArchivedAt), Text(c.FirstPurchaseAt),
                    Text(c.LastPurchaseAt), c.OrderCount, Money.ToStored(c.TotalSpent), c.Version);
            }
        }

        // The consent ledger starts with the state each demo customer was given.
        using (var insert = Insert("ConsentChanges", "CustomerId", "Channel", "State", "ChangedAt", "Source", "ChangedBy"))
        {
            foreach (var c in data.Customers)
            {
                if (c.EmailConsentAt is { } emailAt)
                {
                    insert.Row(c.Id, (int)ConsentChannel.Email, (int)c.EmailConsent, Text(emailAt), ConsentSources.Demo, c.CreatedBy);
                }

                if (c.SmsConsentAt is { } smsAt)
                {
                    insert.Row(c.Id, (int)ConsentChannel.Sms, (int)c.SmsConsent, Text(smsAt), ConsentSources.Demo, c.CreatedBy);
                }
            }
        }

        using (var insert = Insert("CustomerTags", "CustomerId", "Tag"))
        {
            foreach (var t in data.Tags)
            {
                insert.Row(t.CustomerId, t.Tag);
            }
        }

        ct.ThrowIfCancellationRequested();
        using (var purchases = Insert("Purchases", "Id", "OrderNumber", "CustomerId", "PurchasedAt", "Channel", "CouponCode", "Total", "CreatedAt", "CreatedBy"))
        using (var lines = Insert("PurchaseLines", "Id", "PurchaseId", "ProductId", "Quantity", "UnitPrice", "Amount"))
        {
            foreach (var p in data.Purchases)
            {
                purchases.Row(p.Id, p.OrderNumber, p.CustomerId, Text(p.PurchasedAt), (int)p.Channel, p.CouponCode,
                    Money.ToStored(p.Total), Text(p.CreatedAt), p.CreatedBy);
                foreach (var l in p.Lines)
                {
                    lines.Row(l.Id, l.PurchaseId, l.ProductId, l.Quantity, Money.ToStored(l.UnitPrice), Money.ToStored(l.Amount));
                }
            }
        }

        ct.ThrowIfCancellationRequested();
        using (var insert = Insert("CustomerEvents", "Id", "CustomerId", "Type", "OccurredAt", "Source", "PropertiesJson"))
        {
            foreach (var e in data.Events)
            {
                insert.Row(e.Id, e.CustomerId, e.Type, Text(e.OccurredAt), e.Source, e.PropertiesJson);
            }
        }

        using (var insert = Insert("CustomerNotes", "Id", "CustomerId", "Body", "CreatedAt", "CreatedByUserId", "CreatedByName"))
        {
            foreach (var n in data.Notes)
            {
                insert.Row(n.Id, n.CustomerId, n.Body, Text(n.CreatedAt), n.CreatedByUserId, n.CreatedByName);
            }
        }
    }

    /// <summary>The cached purchase aggregates of the given customers, in one set-based statement and by the
    /// rule of <c>PurchaseService.RecomputeAggregatesAsync</c>: returns (negative totals) lower the total
    /// spent but are neither orders nor purchase dates.</summary>
    public async Task<int> RecomputeAggregatesAsync(int firstCustomerId, int lastCustomerId, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            UPDATE "Customers"
            SET "OrderCount" = a."Orders",
                "TotalSpent" = a."Spent",
                "FirstPurchaseAt" = a."First",
                "LastPurchaseAt" = a."Last"
            FROM (
                SELECT "CustomerId",
                       SUM(CASE WHEN "Total" >= 0 THEN 1 ELSE 0 END) AS "Orders",
                       SUM("Total") AS "Spent",
                       MIN(CASE WHEN "Total" >= 0 THEN "PurchasedAt" END) AS "First",
                       MAX(CASE WHEN "Total" >= 0 THEN "PurchasedAt" END) AS "Last"
                FROM "Purchases"
                WHERE "CustomerId" BETWEEN $first AND $last
                GROUP BY "CustomerId"
            ) AS a
            WHERE "Customers"."Id" = a."CustomerId";
            """;
        command.Parameters.AddWithValue("$first", firstCustomerId);
        command.Parameters.AddWithValue("$last", lastCustomerId);
        return await command.ExecuteNonQueryAsync(ct);
    }

    private async Task<long> MaxIdAsync(string table, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT COALESCE(MAX(\"Id\"), 0) FROM \"{table}\";";
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    private BulkInsert Insert(string table, params string[] columns) => new(connection, transaction, table, columns);

    private static string Text(DateTime value) => value.ToString(DateTimeFormat, CultureInfo.InvariantCulture);

    private static string? Text(DateTime? value) => value?.ToString(DateTimeFormat, CultureInfo.InvariantCulture);

    private static string? Text(DateOnly? value) => value?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>One prepared INSERT whose parameters are reassigned for every row.</summary>
    private sealed class BulkInsert : IDisposable
    {
        private readonly SqliteCommand _command;
        private readonly SqliteParameter[] _parameters;

        public BulkInsert(SqliteConnection connection, SqliteTransaction transaction, string table, string[] columns)
        {
            _command = connection.CreateCommand();
            _command.Transaction = transaction;
            _command.CommandText =
                $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) " +
                $"VALUES ({string.Join(", ", columns.Select((_, i) => $"$p{i}"))});";
            _parameters = columns.Select((_, i) => _command.Parameters.Add($"$p{i}", SqliteType.Text)).ToArray();
            foreach (var parameter in _parameters)
            {
                parameter.Value = DBNull.Value;
            }

            _command.Prepare();
        }

        public void Row(params ReadOnlySpan<object?> values)
        {
            for (var i = 0; i < values.Length; i++)
            {
                var parameter = _parameters[i];
                switch (values[i])
                {
                    case null:
                        parameter.SqliteType = SqliteType.Text;
                        parameter.Value = DBNull.Value;
                        break;
                    case string s:
                        parameter.SqliteType = SqliteType.Text;
                        parameter.Value = s;
                        break;
                    case bool b:
                        parameter.SqliteType = SqliteType.Integer;
                        parameter.Value = b ? 1L : 0L;
                        break;
                    case var number:
                        parameter.SqliteType = SqliteType.Integer;
                        parameter.Value = number;
                        break;
                }
            }

            _command.ExecuteNonQuery();
        }

        public void Dispose() => _command.Dispose();
    }
}
