using System.IO.Compression;
using System.Text.Json;
using CrmMarketing.UnitTests.Infrastructure;
using CrmMarketing.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.UnitTests.Privacy;

public sealed class SubjectAccessExportServiceTests : IDisposable
{
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    /// <summary>A response body: forward-only, and synchronous writes are refused as Kestrel refuses them.</summary>
    private sealed class ResponseLikeStream : Stream
    {
        private readonly MemoryStream _content = new();

        public byte[] ToArray() => _content.ToArray();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Write(byte[] buffer, int offset, int count) => throw new InvalidOperationException("Synchronous write.");
        public override void Flush() => throw new InvalidOperationException("Synchronous flush.");
        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _content.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            _content.Write(buffer, offset, count);
            return Task.CompletedTask;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _content.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    [Fact]
    public async Task WriteZipAsync_Customer_ContainsJsonAndCsvOfEveryTableWithItsValues()
    {
        var customer = await PrivacyTestData.SeedAsync(_database, "Tang Yi", "tang.yi@example.com", "13812340000", "12 Bund Road");
        var other = await PrivacyTestData.SeedAsync(_database, "Other Person", "other@example.com", "13812340001", "1 Other Road");
        await using var db = _database.CreateContext();
        using var body = new ResponseLikeStream();

        await TestServices.SubjectAccessExport(db).WriteZipAsync(customer.Id, TestServices.Actor, body, default);

        using var zip = new ZipArchive(new MemoryStream(body.ToArray()), ZipArchiveMode.Read);
        string[] names = ["profile", "purchases", "purchase-lines", "events", "messages", "calls", "feedback", "notes", "consent-history", "tags", "scores", "survey-invitations", "follow-ups", "campaigns"];
        Assert.Equal(names.SelectMany(n => new[] { n + ".json", n + ".csv" }).Order(), zip.Entries.Select(e => e.FullName).Order());
        string Read(string name)
        {
            using var reader = new StreamReader(zip.GetEntry(name)!.Open());
            return reader.ReadToEnd();
        }

        using var profile = JsonDocument.Parse(Read("profile.json"));
        var row = Assert.Single(profile.RootElement.EnumerateArray().ToList());
        Assert.Equal("Tang Yi", row.GetProperty("Name").GetString());
        Assert.Equal("tang.yi@example.com", row.GetProperty("Email").GetString());
        Assert.Equal("+8613812340000", row.GetProperty("Phone").GetString());
        Assert.Equal(60m, row.GetProperty("TotalSpent").GetDecimal());

        using var purchases = JsonDocument.Parse(Read("purchases.json"));
        Assert.Equal(60m, Assert.Single(purchases.RootElement.EnumerateArray().ToList()).GetProperty("Total").GetDecimal());
        using var lines = JsonDocument.Parse(Read("purchase-lines.json"));
        Assert.Equal([50m, 10m], lines.RootElement.EnumerateArray().Select(l => l.GetProperty("Amount").GetDecimal()));

        var profileCsv = Read("profile.csv");
        Assert.StartsWith("Id,", profileCsv, StringComparison.Ordinal);
        using (var raw = new MemoryStream())
        {
            using (var entryStream = zip.GetEntry("profile.csv")!.Open())
            {
                entryStream.CopyTo(raw);
            }

            Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, raw.ToArray()[..3]);
        }
        Assert.Contains("12 Bund Road", profileCsv, StringComparison.Ordinal);
        Assert.Contains(customer.Secret, Read("feedback.csv"), StringComparison.Ordinal);
        Assert.Contains("Called Tang Yi", Read("calls.json"), StringComparison.Ordinal);
        Assert.Contains("Note about Tang Yi", Read("notes.csv"), StringComparison.Ordinal);
        Assert.Contains("Hello Tang Yi", Read("messages.json"), StringComparison.Ordinal);
        Assert.Contains("Signed form of Tang Yi", Read("consent-history.csv"), StringComparison.Ordinal);
        Assert.Contains("vip", Read("tags.csv"), StringComparison.Ordinal);
        Assert.Contains("tang.yi@example.com", Read("events.json"), StringComparison.Ordinal);
        // Nothing of anyone else.
        Assert.DoesNotContain(zip.Entries, e => Read(e.FullName).Contains(other.Email, StringComparison.Ordinal) || Read(e.FullName).Contains(other.Secret, StringComparison.Ordinal));

        var entry = await db.AuditEntries.AsNoTracking().SingleAsync(e => e.Action == AuditActions.SubjectAccessExport);
        Assert.Equal(customer.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), entry.EntityId);
        Assert.Contains("\"Complete\"", entry.Changes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteZipAsync_FormulaInText_IsNeutralisedInCsv()
    {
        var customer = await PrivacyTestData.SeedAsync(_database, "=HYPERLINK(\"x\")", "f@example.com", "13812340002", "1 Road");
        await using var db = _database.CreateContext();
        using var body = new MemoryStream();

        await TestServices.SubjectAccessExport(db).WriteZipAsync(customer.Id, TestServices.Actor, body, default);

        using var zip = new ZipArchive(new MemoryStream(body.ToArray()), ZipArchiveMode.Read);
        using var reader = new StreamReader(zip.GetEntry("profile.csv")!.Open());
        var csv = await reader.ReadToEndAsync();
        Assert.Contains("\"'=HYPERLINK(\"\"x\"\")\"", csv, StringComparison.Ordinal);
    }
}
