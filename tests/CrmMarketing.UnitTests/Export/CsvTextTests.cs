using System.Text;
using CrmMarketing.Web.Services.Export;

namespace CrmMarketing.UnitTests.Export;

public class CsvTextTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")")]
    [InlineData("+1 555", "'+1 555")]
    [InlineData("-5", "'-5")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("   =1+1", "'   =1+1")]
    [InlineData("\t=1", "'\t=1")]
    [InlineData("\tplain", "'\tplain")]
    [InlineData("\rplain", "'\rplain")]
    [InlineData("\u3000=1", "'\u3000=1")]
    [InlineData("a=b", "a=b")]
    [InlineData("Wang Fang", "Wang Fang")]
    [InlineData("  spaced", "  spaced")]
    [InlineData("", "")]
    public void Neutralize_Cases_PrefixesOnlyFormulaStarts(string value, string expected) =>
        Assert.Equal(expected, CsvText.Neutralize(value));

    [Theory]
    [InlineData(null, "")]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("line1\nline2", "\"line1\nline2\"")]
    [InlineData("=1,2", "\"'=1,2\"")]
    [InlineData("\r=1", "\"'\r=1\"")]
    public void Escape_Cases_QuotesPerRfc4180AfterNeutralizing(string? value, string expected) =>
        Assert.Equal(expected, CsvText.Escape(value));

    [Fact]
    public void AppendValue_NegativeNumberTheAppProduced_IsNeitherPrefixedNorQuoted()
    {
        var row = new StringBuilder().AppendCell("-5").AppendValue(-5m, "0.00").AppendValue(3).AppendValue((int?)null);

        Assert.Equal("'-5,-5.00,3,", row.ToString());
    }
}
