using CrmMarketing.Web.Services.Templates;

namespace CrmMarketing.UnitTests.Templates;

public class HtmlBodySanitizerTests
{
    private readonly HtmlBodySanitizer _sanitizer = new();

    [Fact]
    public void Sanitize_Script_IsRemoved()
    {
        var html = _sanitizer.Sanitize("<p>Hi</p><script>alert(1)</script>");
        Assert.DoesNotContain("script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<p>Hi</p>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Sanitize_EventHandlerAttributes_AreRemoved()
    {
        var html = _sanitizer.Sanitize("<img src=\"https://cdn.test/a.png\" onerror=\"alert(1)\"><p onclick=\"x()\" onmouseover=\"y()\">t</p>");
        Assert.DoesNotContain("onerror", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onclick", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onmouseover", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("https://cdn.test/a.png", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Sanitize_JavascriptUrl_IsRemoved() =>
        Assert.DoesNotContain("javascript", _sanitizer.Sanitize("<a href=\"javascript:alert(1)\">x</a>"), StringComparison.OrdinalIgnoreCase);

    [Fact]
    public void Sanitize_MergeFieldInHref_Survives()
    {
        var html = _sanitizer.Sanitize("<a href=\"{{unsubscribe_url}}\">Unsubscribe</a> <a href=\"https://shop.test/?a=1&b=2\">Shop</a> {{name|Customer}}");
        Assert.Equal([], MergeFields.UnknownIn(html));
        Assert.Contains(MergeFields.Parse(html), p => p.Name == MergeFields.UnsubscribeUrl);
        Assert.Contains(MergeFields.Parse(html), p => p.Name == MergeFields.Name && p.Default == "Customer");
    }

    [Fact]
    public void Sanitize_IframeAndForm_AreRemoved()
    {
        var html = _sanitizer.Sanitize("<iframe src=\"https://evil.test\"></iframe><form action=\"https://evil.test\"><input name=\"p\"></form>");
        Assert.DoesNotContain("iframe", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<form", html, StringComparison.OrdinalIgnoreCase);
    }
}
