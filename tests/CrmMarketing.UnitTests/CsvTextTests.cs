using CrmMarketing.Web.Services.Export;

namespace CrmMarketing.UnitTests;

public class CsvTextTests
{
    [Theory]
    [InlineData("=SUM(A1:A2)", "'=SUM(A1:A2)")]
    [InlineData("+1", "'+1")]
    [InlineData("-2", "'-2")]
    [InlineData("@cmd", "'@cmd")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\rx", "'\rx")]
    [InlineData("   =1+1", "'   =1+1")]
    [InlineData("上海", "上海")]
    [InlineData("a=b", "a=b")]
    [InlineData("  plain", "  plain")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Neutralise_Value_PrefixesQuoteOnlyForFormulaStarts(string? value, string expected) =>
        Assert.Equal(expected, CsvText.Neutralise(value));

    [Fact]
    public void Text_CommaQuoteOrFormula_QuotesAfterNeutralising()
    {
        Assert.Equal("\"a,b\"", CsvText.Text("a,b"));
        Assert.Equal("\"say \"\"hi\"\"\"", CsvText.Text("say \"hi\""));
        Assert.Equal("\"'=1,2\"", CsvText.Text("=1,2"));
        Assert.Equal("-12.5", CsvText.Number(-12.5m));
    }

    [Fact]
    public void Encoding_Utf8_EmitsByteOrderMark() =>
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, CsvText.Encoding.GetPreamble());
}
