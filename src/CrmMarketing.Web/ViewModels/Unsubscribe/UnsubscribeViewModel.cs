using CrmMarketing.Web.Domain;

namespace CrmMarketing.Web.ViewModels.Unsubscribe;

/// <param name="Token">Posted back by the confirmation button.</param>
/// <param name="MaskedAddress">The address, partly hidden.</param>
public sealed record UnsubscribeViewModel(string Token, MessageChannel Channel, string MaskedAddress, bool AlreadyUnsubscribed);
