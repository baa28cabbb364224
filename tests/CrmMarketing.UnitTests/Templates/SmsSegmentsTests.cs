using CrmMarketing.Web.Services.Templates;

namespace CrmMarketing.UnitTests.Templates;

public class SmsSegmentsTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(160, 1)]
    [InlineData(161, 2)]
    [InlineData(306, 2)]
    [InlineData(307, 3)]
    public void Measure_Gsm7_SegmentsAt160And153(int length, int segments)
    {
        var m = SmsSegments.Measure(new string('a', length));
        Assert.Equal(SmsEncoding.Gsm7, m.Encoding);
        Assert.Equal(length, m.Units);
        Assert.Equal(segments, m.Segments);
    }

    [Theory]
    [InlineData(70, 1)]
    [InlineData(71, 2)]
    [InlineData(134, 2)]
    [InlineData(135, 3)]
    public void Measure_Chinese_IsUcs2WithSegmentsAt70And67(int length, int segments)
    {
        var m = SmsSegments.Measure(new string('优', length));
        Assert.Equal(SmsEncoding.Ucs2, m.Encoding);
        Assert.Equal(length, m.Characters);
        Assert.Equal(segments, m.Segments);
    }

    [Fact]
    public void Measure_OneChineseCharacter_MakesWholeTextUcs2()
    {
        var m = SmsSegments.Measure(new string('a', 69) + "好");
        Assert.Equal(SmsEncoding.Ucs2, m.Encoding);
        Assert.Equal(1, m.Segments);
        Assert.Equal(2, SmsSegments.Measure(new string('a', 70) + "好").Segments);
    }

    [Fact]
    public void Measure_ExtensionCharacters_CountTwoSeptets()
    {
        // 158 + one euro sign (2 septets) = 160: still one segment; one more character makes two.
        Assert.Equal(1, SmsSegments.Measure(new string('a', 158) + "€").Segments);
        var two = SmsSegments.Measure(new string('a', 159) + "€");
        Assert.Equal(SmsEncoding.Gsm7, two.Encoding);
        Assert.Equal(161, two.Units);
        Assert.Equal(160, two.Characters);
        Assert.Equal(2, two.Segments);
    }

    [Fact]
    public void Measure_EscapePairAtSegmentBoundary_IsNotSplit()
    {
        // 152 septets then "{" (2 septets) does not fit in the first 153: it moves to the second segment.
        var text = new string('a', 152) + "{" + new string('a', 152) + "b";
        var m = SmsSegments.Measure(text);
        Assert.Equal(307, m.Units);
        Assert.Equal(3, m.Segments);
    }

    [Fact]
    public void Measure_Emoji_SurrogatePairCountsTwoUnitsOneCharacter()
    {
        var m = SmsSegments.Measure("😀");
        Assert.Equal(SmsEncoding.Ucs2, m.Encoding);
        Assert.Equal(1, m.Characters);
        Assert.Equal(2, m.Units);
    }
}
