using CrmMarketing.Web.Services.Export;

namespace CrmMarketing.UnitTests.Export;

/// <summary>The cases the customer export relies on. Text cells starting with - are neutralised like any other
/// formula start, "-5" typed into a text field included; numbers the application writes are not.</summary>
public class CsvTextTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")")]
    [InlineData("+8613800000000", "'+8613800000000")]
    [InlineData("-5", "'-5")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("   =1+1", "'   =1+1")]
    [InlineData("  -5", "'  -5")]
    [InlineData("\t=1", "'\t=1")]
    [InlineData("\tplain", "'\tplain")]
    [InlineData("\rplain", "'\rplain")]
    [InlineData(" \t=1", "' \t=1")]
    [InlineData("a=b", "a=b")]
    [InlineData("Wang Fang", "Wang Fang")]
    [InlineData("  spaced", "  spaced")]
    [InlineData(null, "")]
    public void Neutralise_Cases_PrefixesOnlyFormulaStarts(string? value, string expected) =>
        Assert.Equal(expected, CsvText.Neutralise(value));

    [Theory]
    [InlineData(null, "")]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("line1\nline2", "\"line1\nline2\"")]
    [InlineData("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")]
    [InlineData("\r=1", "\"'\r=1\"")]
    public void Text_Cases_QuotesPerRfc4180AfterNeutralising(string? value, string expected) =>
        Assert.Equal(expected, CsvText.Text(value));

    [Fact]
    public void Number_NegativeValueTheAppProduced_IsNeitherPrefixedNorQuoted()
    {
        Assert.Equal("-5", CsvText.Number(-5m));
        Assert.Equal("-5", CsvText.Number(-5L));
        Assert.Equal(string.Empty, CsvText.Number((decimal?)null));
    }
}
