using CrmMarketing.UnitTests.Infrastructure;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Options;
using CrmMarketing.Web.Services.Tracking;
using Microsoft.AspNetCore.DataProtection;

namespace CrmMarketing.UnitTests.Messaging;

public sealed class DataProtectionSetupTests : IDisposable
{
    private readonly DirectoryInfo _keys = Directory.CreateTempSubdirectory("crm-keys-");

    public void Dispose() => _keys.Delete(recursive: true);

    [Fact]
    public void UseCrmAlgorithms_NewKey_IsAes256GcmAndTokensRoundTrip()
    {
        var time = new FixedTimeProvider(TestServices.Now);
        var tokens = new TrackingTokens(DataProtectionProvider.Create(_keys, b => b.UseCrmAlgorithms()), time,
            Microsoft.Extensions.Options.Options.Create(new TrackingOptions()));

        var unsubscribe = tokens.ForUnsubscribe(new UnsubscribeToken(42, MessageChannel.Email, 7));
        var click = tokens.ForClick(7, 3);

        Assert.Equal(new UnsubscribeToken(42, MessageChannel.Email, 7), tokens.ReadUnsubscribe(unsubscribe));
        Assert.Equal(new ClickToken(7, 3), tokens.ReadClick(click));
        // A token of one kind is useless as another, and a changed character breaks it.
        Assert.Null(tokens.ReadUnsubscribe(click));
        Assert.Null(tokens.ReadClick(click[..^2] + (click[^2] == 'A' ? "B" : "A") + click[^1]));
        var key = Assert.Single(_keys.GetFiles("key-*.xml"));
        Assert.Contains("AES_256_GCM", File.ReadAllText(key.FullName), StringComparison.Ordinal);
    }
}
