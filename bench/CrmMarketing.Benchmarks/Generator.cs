using System.Diagnostics;
using System.Globalization;

using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;

using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.Benchmarks;

internal sealed record GeneratorOptions(int Customers, int Purchases, string OutputPath, int Seed);

/// <summary>Builds a large, realistic database quickly: the schema comes from the app's own migrations,
/// the rows from prepared raw inserts (one transaction per batch, secondary indexes built after the load),
/// and the customers' purchase aggregates from one set-based UPDATE.</summary>
internal sealed class Generator(GeneratorOptions options, TextWriter log)
{
    private const int BatchSize = 100_000;
    private const int ProductsPerCategoryItem = 10;
    private const string DateTimeFormat = "yyyy-MM-dd HH:mm:ss.FFFFFFF";
    private const string DateFormat = "yyyy-MM-dd";
    private const string LoadedBy = "import";
    private static readonly string[] LoadedTables = ["Customers", "CustomerTags", "Products", "Purchases", "PurchaseLines"];

    private static readonly Weighted<PurchaseChannel> Channels = new(
        (PurchaseChannel.Online, 45), (PurchaseChannel.Store, 30), (PurchaseChannel.Marketplace, 15),
        (PurchaseChannel.Phone, 7), (PurchaseChannel.Other, 3));

    private static readonly Weighted<ConsentState> EmailConsents = new(
        (ConsentState.OptedIn, 45), (ConsentState.OptedOut, 10), (ConsentState.Unknown, 45));

    private static readonly Weighted<ConsentState> SmsConsents = new(
        (ConsentState.OptedIn, 35), (ConsentState.OptedOut, 15), (ConsentState.Unknown, 50));

    private readonly Random _random = new(options.Seed);
    private readonly Stopwatch _clock = new();

    // Data spans the three years up to today, so "purchased within N days" filters see recent activity.
    private readonly DateTime _now = DateTime.UtcNow.Date;
    private DateTime Start => _now.AddDays(-3 * 365);

    private long[] _customerCreatedTicks = [];
    private long[] _productPrices = [];

    public async Task RunAsync(CancellationToken ct)
    {
        _clock.Start();
        var path = Path.GetFullPath(options.OutputPath);
        log.WriteLine($"Generating {options.Customers:N0} customers and {options.Purchases:N0} purchases into {path} (seed {options.Seed}).");
        DeleteDatabase(path);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);

        await CreateSchemaAsync(path, ct);

        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();
        await using var connection = new SqliteConnection(connectionString);
        connection.Open();
        Execute(connection, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA foreign_keys = OFF; "
            + "PRAGMA locking_mode = EXCLUSIVE; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -1048576; PRAGMA threads = 2;");

        // Filling B-trees in key order and sorting each index once afterwards is many times faster
        // than maintaining a dozen random-order indexes row by row.
        var indexes = DropSecondaryIndexes(connection);
        InsertProducts(connection);
        InsertCustomers(connection);
        InsertPurchases(connection);
        Step("Customer purchase aggregates", () => Execute(connection, AggregatesSql));
        foreach (var (name, sql) in indexes)
        {
            Step($"Index {name}", () => Execute(connection, sql));
        }

        Step("ANALYZE", () => Execute(connection, "ANALYZE;"));
        // The app runs SQLite in WAL mode (a persistent setting of the file).
        Execute(connection, "PRAGMA journal_mode = WAL;");

        log.WriteLine($"Done in {_clock.Elapsed.TotalSeconds:F1} s; {new FileInfo(path).Length / (1024.0 * 1024):N0} MB.");
    }

    private static void DeleteDatabase(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            File.Delete(file);
        }
    }

    private async Task CreateSchemaAsync(string path, CancellationToken ct)
    {
        var dbOptions = new DbContextOptionsBuilder<CrmDbContext>()
            .UseSqlite(new SqliteConnectionStringBuilder { DataSource = path }.ToString())
            .Options;
        await using (var db = new CrmDbContext(dbOptions))
        {
            await db.Database.MigrateAsync(ct);
        }

        SqliteConnection.ClearAllPools();
        log.WriteLine($"[{_clock.Elapsed.TotalSeconds,6:F1}s] Schema created by the app's migrations.");
    }

    private static List<(string Name, string Sql)> DropSecondaryIndexes(SqliteConnection connection)
    {
        var indexes = new List<(string, string)>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                + $"AND tbl_name IN ({string.Join(", ", LoadedTables.Select(t => $"'{t}'"))}) ORDER BY tbl_name, name";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                indexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (name, _) in indexes)
        {
            Execute(connection, $"DROP INDEX \"{name}\";");
        }

        return indexes;
    }

    private void InsertProducts(SqliteConnection connection)
    {
        using var insert = Insert(connection, "Products", "Id", "Sku", "Name", "Category", "ListPrice", "IsActive", "CreatedAt");
        using var tx = connection.BeginTransaction();
        insert.Transaction = tx;
        var prices = new List<long>();
        var id = 0;
        foreach (var (category, items, minPrice, maxPrice) in SampleData.Categories)
        {
            foreach (var item in items)
            {
                for (var i = 0; i < ProductsPerCategoryItem; i++)
                {
                    id++;
                    var price = Money.ToStored(_random.Next(minPrice, maxPrice + 1) + (_random.Next(2) == 0 ? 0.9m : 0m));
                    prices.Add(price);
                    Set(insert, id, $"P{id:D5}", $"{SampleData.ProductBrands[i % SampleData.ProductBrands.Length]} {item}", category,
                        price, _random.Next(100) < 95, Format(Start.AddDays(_random.Next(30))));
                    insert.ExecuteNonQuery();
                }
            }
        }

        tx.Commit();
        _productPrices = [.. prices];
        log.WriteLine($"[{_clock.Elapsed.TotalSeconds,6:F1}s] Products: {id:N0} in {SampleData.Categories.Length} categories.");
    }

    private void InsertCustomers(SqliteConnection connection)
    {
        var count = options.Customers;
        _customerCreatedTicks = new long[count];
        using var insert = Insert(connection, "Customers",
            "Id", "Name", "NameKey", "Email", "EmailKey", "Phone", "Gender", "BirthDate", "Address", "City", "Region",
            "Country", "PostalCode", "Source", "ExternalId", "EmailConsent", "EmailConsentAt", "EmailConsentSource",
            "SmsConsent", "SmsConsentAt", "SmsConsentSource", "CreatedAt", "CreatedBy", "UpdatedAt", "UpdatedBy",
            "IsArchived", "ArchivedAt", "OrderCount", "TotalSpent", "Version");
        // The purchase aggregates are filled in after the purchases; every customer starts at version 1.
        insert.Parameters["$OrderCount"].Value = 0;
        insert.Parameters["$TotalSpent"].Value = 0L;
        insert.Parameters["$Version"].Value = 1;
        using var insertTag = Insert(connection, "CustomerTags", "CustomerId", "Tag");
        var span = (_now - Start).Ticks;
        var tags = 0L;
        InBatches(connection, "Customers", count, [insert, insertTag], index =>
        {
            var id = index + 1;
            // Ids grow with sign-up time, as they do in the app.
            var created = new DateTime(Start.Ticks + (long)((index + _random.NextDouble()) / count * span), DateTimeKind.Utc);
            _customerCreatedTicks[index] = created.Ticks;

            var gender = _random.Next(10) == 0 ? Gender.Unknown : _random.Next(2) == 0 ? Gender.Female : Gender.Male;
            var (name, emailLocal) = NewName(gender);
            var email = _random.Next(100) < 92 ? $"{emailLocal}{id}@{SampleData.EmailDomains.Next(_random)}" : null;
            var place = SampleData.Places.Next(_random);
            var emailConsent = email is null ? ConsentState.Unknown : EmailConsents.Next(_random);
            var smsConsent = SmsConsents.Next(_random);
            var archived = _random.Next(100) < 2;

            Set(insert,
                id,
                name,
                Customer.KeyOf(name),
                email,
                email?.ToLowerInvariant(),
                _random.Next(100) < 95 ? $"+861{_random.Next(3, 10)}{_random.Next(1_000_000_000):D9}" : null,
                (int)gender,
                _random.Next(100) < 70 ? DateOnly.FromDateTime(_now).AddDays(-_random.Next(18 * 365, 70 * 365)).ToString(DateFormat, CultureInfo.InvariantCulture) : null,
                _random.Next(100) < 85 ? $"{SampleData.Streets[_random.Next(SampleData.Streets.Length)]}{_random.Next(1, 1000)}号" : null,
                place.City,
                place.Region,
                place.Country,
                place.PostalPrefix is null ? null : $"{place.PostalPrefix}{_random.Next(1000):D3}",
                SampleData.Sources.Next(_random),
                _random.Next(100) < 30 ? $"ERP{id:D8}" : null,
                (int)emailConsent,
                emailConsent == ConsentState.Unknown ? null : Format(Between(created, Earliest(created.AddDays(30), _now))),
                emailConsent == ConsentState.Unknown ? null : _random.Next(2) == 0 ? "signup" : "import",
                (int)smsConsent,
                smsConsent == ConsentState.Unknown ? null : Format(Between(created, Earliest(created.AddDays(30), _now))),
                smsConsent == ConsentState.Unknown ? null : _random.Next(2) == 0 ? "signup" : "import",
                Format(created),
                LoadedBy,
                Format(_random.Next(100) < 30 ? Between(created, _now) : created),
                LoadedBy,
                archived,
                archived ? Format(Between(created, _now)) : null);
            insert.ExecuteNonQuery();

            var tagCount = _random.Next(100) switch { < 40 => 0, < 80 => 1, _ => 2 };
            var first = _random.Next(SampleData.Tags.Length);
            for (var t = 0; t < tagCount; t++)
            {
                // Two distinct tags: the second is offset from the first.
                Set(insertTag, id, SampleData.Tags[(first + (t * (1 + _random.Next(SampleData.Tags.Length - 1)))) % SampleData.Tags.Length]);
                insertTag.ExecuteNonQuery();
                tags++;
            }
        });
        log.WriteLine($"[{_clock.Elapsed.TotalSeconds,6:F1}s] Customer tags: {tags:N0}.");
    }

    private (string Name, string EmailLocal) NewName(Gender gender)
    {
        var female = gender == Gender.Female || (gender == Gender.Unknown && _random.Next(2) == 0);
        if (_random.Next(100) < 70)
        {
            var surname = SampleData.ChineseSurnames.Next(_random);
            var pool = female ? SampleData.ChineseGivenFemale : SampleData.ChineseGivenMale;
            var given = pool[_random.Next(pool.Length)];
            var second = _random.Next(100) < 60 ? pool[_random.Next(pool.Length)] : null;
            var givenPinyin = given.Pinyin + second?.Pinyin;
            return (surname.Hanzi + given.Hanzi + second?.Hanzi,
                _random.Next(2) == 0 ? $"{givenPinyin}.{surname.Pinyin}" : $"{surname.Pinyin}{givenPinyin}");
        }

        var firstNames = female ? SampleData.LatinFirstFemale : SampleData.LatinFirstMale;
        var firstName = firstNames[_random.Next(firstNames.Length)];
        var lastName = SampleData.LatinLast[_random.Next(SampleData.LatinLast.Length)];
        return ($"{firstName} {lastName}", $"{firstName}.{lastName}");
    }

    private void InsertPurchases(SqliteConnection connection)
    {
        var (customerIds, purchasedTicks) = PlanPurchases();
        using var insert = Insert(connection, "Purchases",
            "Id", "OrderNumber", "CustomerId", "PurchasedAt", "Channel", "CouponCode", "Total", "CreatedAt", "CreatedBy");
        using var insertLine = Insert(connection, "PurchaseLines", "Id", "PurchaseId", "ProductId", "Quantity", "UnitPrice", "Amount");
        var lineId = 0;
        InBatches(connection, "Purchases", purchasedTicks.Length, [insert, insertLine], index =>
        {
            var id = index + 1;
            var purchasedAt = new DateTime(purchasedTicks[index], DateTimeKind.Utc);
            var isReturn = _random.Next(100) < 3;
            var lines = _random.Next(100) switch { < 55 => 1, < 85 => 2, _ => 3 };
            var total = 0L;
            for (var l = 0; l < lines; l++)
            {
                // Popular products sell more often.
                var product = (int)(_productPrices.Length * Math.Pow(_random.NextDouble(), 2));
                var unitPrice = _productPrices[product];
                if (_random.Next(100) < 15)
                {
                    unitPrice = unitPrice * 9 / 10 / 100 * 100;
                }

                var quantity = isReturn ? -1 : _random.Next(100) switch { < 80 => 1, < 95 => 2, _ => 3 };
                total += unitPrice * quantity;
                Set(insertLine, ++lineId, id, product + 1, quantity, unitPrice, unitPrice * quantity);
                insertLine.ExecuteNonQuery();
            }

            Set(insert,
                id,
                $"SO-{purchasedAt:yyyyMMdd}-{id:D8}",
                customerIds[index],
                Format(purchasedAt),
                (int)Channels.Next(_random),
                _random.Next(100) < 12 ? SampleData.CouponCodes[_random.Next(SampleData.CouponCodes.Length)] : null,
                total,
                Format(purchasedAt.AddMinutes(_random.Next(1, 120))),
                LoadedBy);
            insert.ExecuteNonQuery();
        });
        log.WriteLine($"[{_clock.Elapsed.TotalSeconds,6:F1}s] Purchase lines: {lineId:N0}.");
    }

    /// <summary>Who buys when, sorted by time so that purchase ids grow with time as in the app.
    /// About one customer in five never buys; earlier customers buy more (they have had longer to);
    /// each buyer stays active for a while (about 18 months on average) and then lapses.</summary>
    private (int[] CustomerIds, long[] PurchasedTicks) PlanPurchases()
    {
        var buyers = Enumerable.Range(1, options.Customers).Where(_ => _random.Next(100) < 82).ToArray();
        var activeUntil = new long[options.Customers];
        foreach (var id in buyers)
        {
            var created = _customerCreatedTicks[id - 1];
            var lifetime = (long)(-Math.Log(1 - _random.NextDouble()) * TimeSpan.FromDays(540).Ticks);
            activeUntil[id - 1] = Math.Min(_now.Ticks, created + lifetime);
        }

        var count = buyers.Length == 0 ? 0 : options.Purchases;
        var customerIds = new int[count];
        var ticks = new long[count];
        for (var i = 0; i < count; i++)
        {
            var customerId = buyers[(int)(buyers.Length * Math.Pow(_random.NextDouble(), 1.3))];
            var created = _customerCreatedTicks[customerId - 1];
            var at = created + (long)(_random.NextDouble() * (activeUntil[customerId - 1] - created));
            customerIds[i] = customerId;
            ticks[i] = at - (at % TimeSpan.TicksPerSecond);
        }

        Array.Sort(ticks, customerIds);
        log.WriteLine($"[{_clock.Elapsed.TotalSeconds,6:F1}s] Planned {count:N0} purchases for {buyers.Length:N0} buying customers.");
        return (customerIds, ticks);
    }

    /// <summary>The same rules as PurchaseService.RecomputeAggregatesAsync, for every customer at once:
    /// returns (negative totals) lower the total spent but are not orders.</summary>
    private const string AggregatesSql = """
        UPDATE Customers
        SET OrderCount = a.OrderCount, TotalSpent = a.TotalSpent, FirstPurchaseAt = a.FirstAt, LastPurchaseAt = a.LastAt
        FROM (
            SELECT CustomerId,
                   COUNT(*) FILTER (WHERE Total >= 0) AS OrderCount,
                   SUM(Total) AS TotalSpent,
                   MIN(PurchasedAt) FILTER (WHERE Total >= 0) AS FirstAt,
                   MAX(PurchasedAt) FILTER (WHERE Total >= 0) AS LastAt
            FROM Purchases
            GROUP BY CustomerId) AS a
        WHERE Customers.Id = a.CustomerId;
        """;

    private void InBatches(SqliteConnection connection, string what, int count, SqliteCommand[] commands, Action<int> insertRow)
    {
        var reportEvery = Math.Max(BatchSize, count / 10);
        for (var start = 0; start < count; start += BatchSize)
        {
            var end = Math.Min(count, start + BatchSize);
            using (var tx = connection.BeginTransaction())
            {
                foreach (var command in commands)
                {
                    command.Transaction = tx;
                }

                for (var i = start; i < end; i++)
                {
                    insertRow(i);
                }

                tx.Commit();
            }

            if (end == count || end / reportEvery != start / reportEvery)
            {
                log.WriteLine($"[{_clock.Elapsed.TotalSeconds,6:F1}s] {what}: {end:N0} / {count:N0}");
            }
        }
    }

    private void Step(string what, Action action)
    {
        var started = _clock.Elapsed;
        action();
        log.WriteLine($"[{_clock.Elapsed.TotalSeconds,6:F1}s] {what} ({(_clock.Elapsed - started).TotalSeconds:F1} s)");
    }

    private static DateTime Earliest(DateTime a, DateTime b) => a < b ? a : b;

    private DateTime Between(DateTime from, DateTime to) =>
        to <= from ? from : new DateTime(from.Ticks + (long)(_random.NextDouble() * (to.Ticks - from.Ticks)), DateTimeKind.Utc);

    /// <summary>How EF Core's SQLite provider stores a DateTime.</summary>
    private static string Format(DateTime value) => value.ToString(DateTimeFormat, CultureInfo.InvariantCulture);

    private static SqliteCommand Insert(SqliteConnection connection, string table, params string[] columns)
    {
        var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select(c => "$" + c))});";
        foreach (var column in columns)
        {
            command.Parameters.Add(new SqliteParameter("$" + column, DBNull.Value));
        }

        return command;
    }

    private static void Set(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        command.ExecuteNonQuery();
    }
}
