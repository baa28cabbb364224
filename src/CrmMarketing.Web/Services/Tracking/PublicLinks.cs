using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Options;
using Microsoft.Extensions.Options;

namespace CrmMarketing.Web.Services.Tracking;

/// <summary>The absolute public URLs put into messages; routes match UnsubscribeController and TrackingController.</summary>
public sealed class PublicLinks(TrackingTokens tokens, IOptions<TrackingOptions> options)
{
    private string Base => options.Value.PublicBaseUrl.TrimEnd('/');

    public string Unsubscribe(int customerId, MessageChannel channel, long? outboxMessageId) =>
        $"{Base}/unsubscribe/{tokens.ForUnsubscribe(new UnsubscribeToken(customerId, channel, outboxMessageId))}";

    public string OpenPixel(long outboxMessageId) => $"{Base}/t/o/{tokens.ForOpen(outboxMessageId)}";

    public string Click(long outboxMessageId, int linkIndex) => $"{Base}/t/c/{tokens.ForClick(outboxMessageId, linkIndex)}";
}
