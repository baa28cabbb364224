using System.Text;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Import;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.UnitTests.Import;

/// <summary>Broken files end in a clear message at upload or in the dry run, never in an exception.</summary>
public class MalformedFileTests
{
    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task Upload_EmptyFile_IsRejected()
    {
        using var h = new ImportHarness();
        var result = await h.UploadAsync(ImportEntityType.Customers, []);
        Assert.Equal((ImportOutcome.Invalid, "The file is empty."), (result.Outcome, result.Error));

        var bomOnly = await h.UploadAsync(ImportEntityType.Customers, [0xEF, 0xBB, 0xBF]);
        Assert.Equal("The file is empty.", bomOnly.Error);
        Assert.Empty(Directory.Exists(h.Options.Directory) ? Directory.GetFiles(h.Options.Directory) : []);
    }

    [Fact]
    public async Task Upload_BinaryFile_IsRejected()
    {
        using var h = new ImportHarness();
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x01];
        var result = await h.UploadAsync(ImportEntityType.Customers, png, "photo.csv");
        Assert.Equal((ImportOutcome.Invalid, "The file is not a text (CSV) file."), (result.Outcome, result.Error));
    }

    [Fact]
    public async Task Upload_DuplicatedHeaders_NamesTheColumns()
    {
        using var h = new ImportHarness();
        var result = await h.UploadAsync(ImportEntityType.Customers, "Name,Email,City,email\nA,a@example.com,X,b@example.com\n");
        Assert.Equal(ImportOutcome.Invalid, result.Outcome);
        Assert.Equal("The column name \"email\" appears twice (columns 2 and 4). Column names must be unique.", result.Error);
    }

    [Fact]
    public async Task Upload_HeaderWithoutRows_IsRejected()
    {
        using var h = new ImportHarness();
        var result = await h.UploadAsync(ImportEntityType.Customers, "Name,Email\n");
        Assert.Equal("The file has column names but no rows.", result.Error);
    }

    [Fact]
    public async Task Upload_LineWithTenThousandColumns_IsRejected()
    {
        using var h = new ImportHarness();
        var result = await h.UploadAsync(ImportEntityType.Customers, string.Join(',', Enumerable.Range(1, 10_000).Select(i => "c" + i)) + "\nx\n");
        Assert.Equal(ImportOutcome.Invalid, result.Outcome);
        Assert.Equal($"Line 1 has more than {CsvRecordReader.MaxColumns} columns.", result.Error);
    }

    [Fact]
    public async Task DryRun_LineWithTenThousandColumnsInTheData_StopsWithItsLine()
    {
        using var h = new ImportHarness();
        var upload = await h.UploadAsync(ImportEntityType.Customers,
            "Name,Email\nA,a@example.com\n" + string.Join(',', Enumerable.Repeat("x", 10_000)) + "\n");
        await h.DryRunAsync(upload.Id);

        var job = await h.JobAsync(upload.Id);
        Assert.Equal(ImportStatus.Uploaded, job.Status);
        Assert.Equal("Line {0} has more than {1} columns.", job.Message);
        Assert.Equal("[\"3\",\"500\"]", job.MessageArgsJson);
    }

    [Fact]
    public async Task DryRun_TenMegabyteCell_StopsWithItsLine()
    {
        using var h = new ImportHarness();
        var upload = await h.UploadAsync(ImportEntityType.Customers, "Name,Email\nA,a@example.com\nB," + new string('b', 10 * 1024 * 1024) + "\n");
        Assert.Equal(ImportOutcome.Ok, upload.Outcome);
        await h.DryRunAsync(upload.Id);

        var job = await h.JobAsync(upload.Id);
        Assert.Equal(ImportStatus.Uploaded, job.Status);
        Assert.Equal("Line {0}: a value is longer than {1} characters.", job.Message);
        Assert.Equal("[\"3\",\"100000\"]", job.MessageArgsJson);
        await using var db = h.Database.CreateContext();
        Assert.Equal(0, await db.Customers.CountAsync());
    }

    [Fact]
    public async Task DryRun_UnbalancedQuote_NamesTheLineWhereTheQuoteOpened()
    {
        using var h = new ImportHarness();
        var upload = await h.UploadAsync(ImportEntityType.Customers, "Name,Email\nA,a@example.com\n\"B,b@example.com\nC,c@example.com\n");
        await h.DryRunAsync(upload.Id);

        var job = await h.JobAsync(upload.Id);
        Assert.Equal(ImportStatus.Uploaded, job.Status);
        Assert.Equal("Line {0}: a quoted value is not closed before the end of the file.", job.Message);
        Assert.Equal("[\"3\"]", job.MessageArgsJson);

        await using var db = h.Database.CreateContext();
        var map = await h.Service(db).GetMapAsync(upload.Id, null, CancellationToken.None);
        Assert.Equal("Line 3: a quoted value is not closed before the end of the file.", map!.Message);
    }

    [Fact]
    public async Task DryRun_WrongEncodingChosen_TellsToChooseAnother()
    {
        using var h = new ImportHarness();
        var gbk = ImportEncodings.Get(ImportEncodings.Gb18030).GetBytes("姓名,城市\n王芳,上海\n李雷,北京\n");
        var upload = await h.UploadAsync(ImportEntityType.Customers, gbk);
        Assert.Equal(ImportOutcome.Ok, upload.Outcome);
        Assert.Equal(ImportEncodings.Gb18030, (await h.JobAsync(upload.Id)).Encoding);

        var errors = await h.DryRunAsync(upload.Id, f => f.Encoding = ImportEncodings.Utf8);

        Assert.Equal("Near line {0} the file is not valid text in the chosen encoding. Choose another encoding.", errors["Encoding"].Replace("1", "{0}", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("utf-8-bom")]
    [InlineData("utf-8")]
    [InlineData("utf-16le")]
    [InlineData("utf-16be")]
    [InlineData("gb18030")]
    public async Task Import_EncodingVariants_ReadTheSameText(string variant)
    {
        const string text = "姓名,城市\n王芳,上海\n";
        byte[] bytes = variant switch
        {
            "utf-8-bom" => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)],
            "utf-8" => Encoding.UTF8.GetBytes(text),
            "utf-16le" => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)],
            "utf-16be" => [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes(text)],
            _ => ImportEncodings.Get(ImportEncodings.Gb18030).GetBytes(text),
        };

        using var h = new ImportHarness();
        var upload = await h.UploadAsync(ImportEntityType.Customers, bytes);
        Assert.Equal(ImportOutcome.Ok, upload.Outcome);
        await h.DryRunAsync(upload.Id, f => f.Mode = ImportMode.CreateOnly);
        await h.RunAsync(upload.Id);

        await using var db = h.Database.CreateContext();
        var customer = await db.Customers.SingleAsync();
        Assert.Equal(("王芳", "上海"), (customer.Name, customer.City));
    }

    [Fact]
    public void Sniffer_Windows1252AndDelimiters_AreDetected()
    {
        var latin = ImportEncodings.Get(ImportEncodings.Windows1252).GetBytes("Name;City\nJosé;Málaga\nRené;Zürich\n");
        Assert.Equal(new CsvSniffResult(ImportEncodings.Windows1252, ';'), CsvSniffer.Detect(latin, complete: true));
        Assert.Equal(new CsvSniffResult(ImportEncodings.Utf8, '\t'), CsvSniffer.Detect(Encoding.UTF8.GetBytes("a\tb,c\n1\t2,3\n"), complete: true));
        Assert.Equal(',', CsvSniffer.DetectDelimiter("name,note\n\"x\",\"a;b;c\"\n"));
    }
}
