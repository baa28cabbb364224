using System.Globalization;
using System.Text;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Audit;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.Services.Formatting;
using CrmMarketing.Web.ViewModels.Customers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CrmMarketing.Web.Services.Export;

/// <summary>The customer list, with its filters and order, as a CSV file written row by row to a stream.</summary>
public sealed partial class CustomerExportService(
    CrmDbContext db,
    CustomerService customers,
    AuditService audit,
    TimeProvider time,
    DisplayFormatter formatter,
    IStringLocalizer<SharedResource> l,
    ILogger<CustomerExportService> logger)
{
    public const string ContentType = "text/csv; charset=utf-8";
    private const string DateFormat = "yyyy-MM-dd";
    private const string DateTimeFormat = "yyyy-MM-dd HH:mm:ss";

    /// <summary>How many rows are gathered before they are handed to the stream.</summary>
    private const int RowsPerWrite = 200;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>customers-YYYYMMDD-HHmm.csv in the display time zone.</summary>
    public string FileName() =>
        "customers-" + formatter.ToLocal(time.GetUtcNow().UtcDateTime).ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture) + ".csv";

    /// <summary>Writes every customer matching <paramref name="query"/> (its paging is ignored) in the list's order,
    /// reading and writing one row at a time so memory stays flat whatever the row count.</summary>
    /// <remarks>Every export is written to the audit log with its row count and filters, also when the download is
    /// cut short (with the rows written until then).</remarks>
    /// <returns>The number of customer rows written.</returns>
    public async Task<int> WriteCsvAsync(CustomerListQuery query, Stream body, CancellationToken ct)
    {
        var filtered = customers.ApplyFilters(db.Customers.AsNoTracking(), query);
        var rows = CustomerKeyset.Order(filtered, query.Sort, query.Desc)
            .Select(c => new ExportRow(
                c.Id, c.Name, c.Email, c.Phone, c.Gender, c.BirthDate, c.City, c.Region, c.Country, c.PostalCode, c.Source,
                string.Join(", ", c.Tags.OrderBy(t => t.Tag).Select(t => t.Tag)),
                c.EmailConsent, c.SmsConsent, c.OrderCount, c.TotalSpent, c.FirstPurchaseAt, c.LastPurchaseAt, c.CreatedAt))
            .AsAsyncEnumerable();

        var count = 0;
        var complete = false;
        try
        {
            await body.WriteAsync(CsvText.Encoding.GetPreamble(), ct);
            await using var writer = new StreamWriter(body, Utf8, bufferSize: 16 * 1024, leaveOpen: true);
            var chunk = new StringBuilder(64 * 1024);
            CsvText.AppendLine(chunk, Header().Select(CsvText.Text));

            await foreach (var c in rows.WithCancellation(ct))
            {
                CsvText.AppendLine(chunk, Cells(c));
                count++;
                if (count % RowsPerWrite == 0)
                {
                    await writer.WriteAsync(chunk, ct);
                    await writer.FlushAsync(ct);
                    chunk.Clear();
                }
            }

            await writer.WriteAsync(chunk, ct);
            await writer.FlushAsync(ct);
            complete = true;
        }
        finally
        {
            // The entry must not be lost with a cancelled download, so it does not use the request's token.
            await audit.RecordAsync(AuditActions.Export, AuditEntityTypes.Customer, null,
            [
                new("Rows", null, count.ToString(CultureInfo.InvariantCulture)),
                new("Filters", null, DescribeFilters(query)),
                new("Complete", null, complete ? "true" : "false"),
            ], CancellationToken.None);
        }

        LogExported(logger, count);
        return count;
    }

    /// <summary>The filters and order for the audit log. The search term may be a name, an email or a phone
    /// number, so only its presence is recorded.</summary>
    public static string DescribeFilters(CustomerListQuery query) => string.Join("; ", query.ToRouteValues()
        .Where(kv => kv.Key is not ("size" or "page" or "after" or "before"))
        .Select(kv => kv.Key + "=" + (kv.Key == "q" ? AuditService.Mask : kv.Value)));

    /// <summary>Text the customer or staff typed goes through <see cref="CsvText.Text"/>; numbers and dates
    /// the application formats itself are written as they are (a negative total spent stays a number).</summary>
    private string[] Cells(ExportRow c) =>
    [
        CsvText.Number(c.Id),
        CsvText.Text(c.Name),
        CsvText.Text(c.Email),
        CsvText.Text(c.Phone),
        CsvText.Text(c.Gender.ToString()),
        c.BirthDate?.ToString(DateFormat, CultureInfo.InvariantCulture) ?? string.Empty,
        CsvText.Text(c.City),
        CsvText.Text(c.Region),
        CsvText.Text(c.Country),
        CsvText.Text(c.PostalCode),
        CsvText.Text(c.Source),
        CsvText.Text(c.Tags),
        CsvText.Text(c.EmailConsent.ToString()),
        CsvText.Text(c.SmsConsent.ToString()),
        CsvText.Number(c.OrderCount),
        c.TotalSpent.ToString("0.00##", CultureInfo.InvariantCulture),
        Date(c.FirstPurchaseAt),
        Date(c.LastPurchaseAt),
        Date(c.CreatedAt),
    ];

    private string[] Header() =>
    [
        l["Id"], l["Name"], l["Email"], l["Phone"], l["Gender"],
        l["Birth date"], l["City"], l["Region"], l["Country"], l["Postal code"],
        l["Source"], l["Tags"], l["Email consent"], l["SMS consent"], l["Orders"],
        l["Total spent"], l["First purchase"], l["Last purchase"], l["Created"],
    ];

    private string Date(DateTime? utc) =>
        utc is null ? string.Empty : formatter.ToLocal(utc.Value).ToString(DateTimeFormat, CultureInfo.InvariantCulture);

    private sealed record ExportRow(
        int Id, string Name, string? Email, string? Phone, Gender Gender, DateOnly? BirthDate, string? City, string? Region,
        string? Country, string? PostalCode, string? Source, string Tags, ConsentState EmailConsent, ConsentState SmsConsent,
        int OrderCount, decimal TotalSpent, DateTime? FirstPurchaseAt, DateTime? LastPurchaseAt, DateTime CreatedAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Exported {Count} customers to CSV.")]
    private static partial void LogExported(ILogger logger, int count);
}
