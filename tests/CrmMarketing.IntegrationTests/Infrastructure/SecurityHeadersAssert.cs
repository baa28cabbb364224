namespace CrmMarketing.IntegrationTests.Infrastructure;

public static class SecurityHeadersAssert
{
    /// <summary>CSP, nosniff, referrer policy and framing rules on every kind of response.</summary>
    public static void Present(HttpResponseMessage response)
    {
        var what = $"{response.RequestMessage?.RequestUri?.PathAndQuery} ({(int)response.StatusCode})";
        Assert.True(response.Headers.TryGetValues("Content-Security-Policy", out var csp), $"{what}: no Content-Security-Policy.");
        var policy = string.Join(";", csp);
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);

        Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var nosniff), $"{what}: no X-Content-Type-Options.");
        Assert.Equal("nosniff", Assert.Single(nosniff));
        Assert.True(response.Headers.TryGetValues("Referrer-Policy", out var referrer) && referrer.Any(v => v.Length > 0),
            $"{what}: no Referrer-Policy.");
    }
}
