namespace CrmMarketing.Web.Resources;

/// <summary>Marker for the one shared resource file set (SharedResource.resx, SharedResource.zh-Hans.resx).
/// Keys are the English texts, so a missing translation falls back to English.</summary>
public sealed class SharedResource;
