using System.Text;
using CrmMarketing.UnitTests.Infrastructure;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Export;
using CrmMarketing.Web.ViewModels.Customers;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmMarketing.UnitTests.Export;

public class CustomerExportServiceTests : IDisposable
{
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static CustomerExportService Service(CrmDbContext db) => new(
        db, TestServices.Customers(db), TestServices.Audit(db), new FixedTimeProvider(TestServices.Now), TestServices.Formatter("Asia/Shanghai"),
        TestServices.Localizer, NullLogger<CustomerExportService>.Instance);

    private static async Task<(int Count, string Text)> ExportAsync(CrmDbContext db, CustomerListQuery query)
    {
        using var stream = new MemoryStream();
        var count = await Service(db).WriteCsvAsync(query, stream, CancellationToken.None);
        var bytes = stream.ToArray();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        return (count, Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3));
    }

    [Fact]
    public void FileName_FixedTime_UsesDisplayZoneStamp()
    {
        using var db = _database.CreateContext();

        // 12:00 UTC is 20:00 in Shanghai.
        Assert.Equal("customers-20260615-2000.csv", Service(db).FileName());
    }

    [Fact]
    public async Task WriteCsvAsync_OneCustomer_WritesHeaderAndNeutralizedCells()
    {
        await _database.AddCustomerAsync("=HYPERLINK(\"http://evil\",\"x\")", c =>
        {
            c.Email = "a@example.com";
            c.Phone = "+8613800000000";
            c.City = "Hang, zhou";
            c.BirthDate = new DateOnly(1990, 5, 6);
            c.TotalSpent = -5m;
            c.OrderCount = 2;
            c.Tags.Add(new CustomerTag { Tag = "vip" });
            c.Tags.Add(new CustomerTag { Tag = "b2b" });
        });
        await using var db = _database.CreateContext();

        var (count, text) = await ExportAsync(db, new CustomerListQuery());

        Assert.Equal(1, count);
        var lines = text.Split("\r\n");
        Assert.Equal("Id,Name,Email,Phone,Gender,Birth date,City,Region,Country,Postal code,Source,Tags,Email consent,SMS consent,Orders,Total spent,First purchase,Last purchase,Created", lines[0]);
        Assert.StartsWith("1,\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",a@example.com,'+8613800000000,Unknown,1990-05-06,\"Hang, zhou\",,,,,\"b2b, vip\",Unknown,Unknown,2,-5.00,,,2026-01-01 08:00:00", lines[1]);
        Assert.Equal(string.Empty, lines[2]);
    }

    [Fact]
    public async Task WriteCsvAsync_Filters_ExportsOnlyMatchingRowsInListOrder()
    {
        await _database.AddCustomerAsync("Bravo", c => c.City = "Shanghai");
        await _database.AddCustomerAsync("Alpha", c => c.City = "Shanghai");
        await _database.AddCustomerAsync("Charlie", c => c.City = "Beijing");
        await _database.AddCustomerAsync("Archived", c => { c.City = "Shanghai"; c.IsArchived = true; });
        await using var db = _database.CreateContext();

        var (count, text) = await ExportAsync(db, new CustomerListQuery { City = "Shanghai", Sort = CustomerSort.Name, Desc = true, Page = 3 });

        Assert.Equal(2, count);
        var names = text.Split("\r\n").Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')[1]).ToList();
        Assert.Equal(["Bravo", "Alpha"], names);
    }

    /// <summary>The file reaches the stream in many small writes while rows are still being read; the whole
    /// file is never assembled first, so memory stays flat (about one 200-row chunk) whatever the row count.</summary>
    [Fact]
    public async Task WriteCsvAsync_ThousandsOfCustomers_StreamsEveryRowInSmallWrites()
    {
        const int total = 5000;
        await using (var seed = _database.CreateContext())
        {
            for (var i = 0; i < total; i++)
            {
                var name = $"Customer {i:D5}";
                seed.Customers.Add(new Customer
                {
                    Name = name,
                    NameKey = Customer.KeyOf(name),
                    Email = $"c{i}@example.com",
                    EmailKey = $"c{i}@example.com",
                    City = i % 2 == 0 ? "Even" : "Odd",
                    CreatedAt = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc),
                    UpdatedAt = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc),
                    Version = 1,
                });
            }

            await seed.SaveChangesAsync();
        }

        await using var db = _database.CreateContext();
        using var sink = new CountingStream();

        var count = await Service(db).WriteCsvAsync(new CustomerListQuery(), sink, CancellationToken.None);

        Assert.Equal(total, count);
        Assert.Equal(total + 1, sink.Lines);
        Assert.True(sink.Writes >= total / 200, $"only {sink.Writes} writes");
        Assert.True(sink.LargestWrite < 64 * 1024, $"a single write of {sink.LargestWrite} bytes");
    }

    /// <summary>Counts what is written and keeps none of it.</summary>
    private sealed class CountingStream : Stream
    {
        public int Writes { get; private set; }

        public int LargestWrite { get; private set; }

        public int Lines { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Writes++;
            LargestWrite = Math.Max(LargestWrite, buffer.Length);
            Lines += buffer.Count((byte)'\n');
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
