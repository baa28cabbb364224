namespace CrmMarketing.Web.ViewModels.Home;

public sealed record ErrorViewModel(string RequestId, int StatusCode);
