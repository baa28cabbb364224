using CrmMarketing.Web.Services.Tracking;

namespace CrmMarketing.UnitTests.Templates;

public class LinkRewriterTests
{
    private static string Click(int index) => "https://crm.test/t/c/TOKEN" + index;

    [Fact]
    public void Rewrite_HttpLinks_ReplacedAndCollectedInOrder()
    {
        var result = LinkRewriter.Rewrite(
            "<p><a href=\"https://shop.test/a\">A</a> <a href=\"http://shop.test/b?x=1&amp;y=2\">B</a> <a href=\"https://shop.test/a\">A again</a></p>",
            Click, "https://crm.test/t/o/OPEN", null);
        Assert.Equal(["https://shop.test/a", "http://shop.test/b?x=1&y=2"], result.Links);
        Assert.Contains("href=\"https://crm.test/t/c/TOKEN0\">A</a>", result.Html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://crm.test/t/c/TOKEN1\">B</a>", result.Html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://crm.test/t/c/TOKEN0\">A again</a>", result.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("shop.test", result.Html, StringComparison.Ordinal);
        Assert.EndsWith("<img src=\"https://crm.test/t/o/OPEN\" width=\"1\" height=\"1\" alt=\"\">", result.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Rewrite_MailtoRelativeAndUnsubscribe_AreLeftAlone()
    {
        var result = LinkRewriter.Rewrite(
            "<a href=\"mailto:help@shop.test\">Mail</a><a href=\"#top\">Top</a><a href=\"https://crm.test/unsubscribe/U\">Unsubscribe</a>",
            Click, null, "https://crm.test/unsubscribe/U");
        Assert.Empty(result.Links);
        Assert.Contains("mailto:help@shop.test", result.Html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://crm.test/unsubscribe/U\"", result.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", result.Html, StringComparison.Ordinal);
    }
}
