using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CrmMarketing.UnitTests.Infrastructure;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Segments;
using CrmMarketing.Web.ViewModels.Customers;

namespace CrmMarketing.UnitTests;

public partial class LocalizationTests
{
    private static readonly string WebRoot = Path.Combine(RepositoryRoot(), "src", "CrmMarketing.Web");

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CrmMarketing.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("CrmMarketing.sln not found above " + AppContext.BaseDirectory);
    }

    private static Dictionary<string, string> Resource(string name) =>
        XDocument.Load(Path.Combine(WebRoot, "Resources", name)).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string)d.Element("value")!);

    /// <summary>Literal keys of L["…"], l["…"], ErrorMessage = "…", Display(Name = "…") and ValidationText.Error(…, "…").</summary>
    private static IEnumerable<string> KeysInSource()
    {
        var files = Directory.EnumerateFiles(WebRoot, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains("Migrations", StringComparison.Ordinal));
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            foreach (var regex in new[] { LocalizerKey(), ErrorMessageKey(), DisplayNameKey(), ValidationTextKey() })
            {
                foreach (Match m in regex.Matches(text))
                {
                    yield return m.Groups[1].Value.Replace("\\\"", "\"", StringComparison.Ordinal);
                }
            }
        }
    }

    [Fact]
    public void ChineseResources_CoverEveryTextKeyInTheCode()
    {
        var zh = Resource("SharedResource.zh-Hans.resx");
        var keys = KeysInSource().Distinct().ToList();

        Assert.True(keys.Count > 100, $"only {keys.Count} keys found: the scan is broken");
        var missing = keys.Where(k => !zh.ContainsKey(k)).Order().ToList();
        Assert.True(missing.Count == 0, "No Chinese text for: " + string.Join(" | ", missing));
        Assert.All(zh, kv => Assert.False(string.IsNullOrWhiteSpace(kv.Value), kv.Key));
    }

    [Fact]
    public void Resources_CoverEveryEnumLabelInBothLanguages()
    {
        var en = Resource("SharedResource.resx");
        var zh = Resource("SharedResource.zh-Hans.resx");
        var keys = Enum.GetNames<Gender>().Select(v => "gender:" + v)
            .Concat(Enum.GetNames<ConsentState>().Select(v => "consent:" + v))
            .Concat(Enum.GetNames<ConsentFilter>().Select(v => "consent-filter:" + v))
            .Concat(CustomerEventTypes.Known.Select(v => "event:" + v))
            .Concat(Enum.GetNames<CallDirection>().Select(v => "call-direction:" + v))
            .Concat(Enum.GetNames<CallOutcome>().Select(v => "call-outcome:" + v))
            .Concat(Enum.GetNames<ConsentChannel>().Select(v => "consent-channel:" + v))
            .Concat(Enum.GetNames<FeedbackChannel>().Select(v => "feedback-channel:" + v))
            .Concat(Enum.GetNames<FeedbackCategory>().Select(v => "feedback-category:" + v))
            .Concat(Enum.GetNames<FeedbackStatus>().Select(v => "feedback-status:" + v))
            .Concat(Enum.GetNames<SegmentKind>().Select(v => "segment-kind:" + v))
            .Concat(SegmentFields.All.SelectMany(f => f.Operators).Distinct().Select(v => "segment-op:" + v))
            .Concat(Enum.GetNames<OutboxState>().Select(v => "outbox-state:" + v))
            .Concat(Enum.GetNames<ActivityType>().Select(v => "activity-type:" + v))
            .Concat(Enum.GetNames<ActivityStatus>().Select(v => "activity-status:" + v))
            .Concat(Enum.GetNames<ConversionGoal>().Select(v => "conversion-goal:" + v))
            .Concat(Enum.GetNames<CostCategory>().Select(v => "cost-category:" + v))
            .Concat(Enum.GetNames<AttributionModel>().Select(v => "attribution-model:" + v));

        Assert.All(keys, k =>
        {
            Assert.True(en.ContainsKey(k), "no English text for " + k);
            Assert.True(zh.ContainsKey(k), "no Chinese text for " + k);
        });
        Assert.All(Enum.GetNames<PurchaseChannel>(), c => Assert.True(zh.ContainsKey(c), "no Chinese text for channel " + c));
    }

    [Fact]
    public void Localizer_ChineseCulture_ReadsEmbeddedResources()
    {
        var previous = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = new CultureInfo("zh-Hans");
            Assert.Equal("客户", TestServices.Localizer["Customers"].Value);
            Assert.Equal("第 3 页", TestServices.Localizer["Page {0}", 3].Value);
            CultureInfo.CurrentUICulture = new CultureInfo("zh-CN");
            Assert.Equal("客户", TestServices.Localizer["Customers"].Value);
            CultureInfo.CurrentUICulture = new CultureInfo("en");
            Assert.Equal("Customers", TestServices.Localizer["Customers"].Value);
            Assert.Equal("Opted in", TestServices.Localizer["consent:OptedIn"].Value);
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    [GeneratedRegex(@"\b_?[LlS]\[""((?:[^""\\]|\\.)*)""\s*[\],]")]
    private static partial Regex LocalizerKey();

    [GeneratedRegex(@"ErrorMessage\s*=\s*""((?:[^""\\]|\\.)*)""")]
    private static partial Regex ErrorMessageKey();

    [GeneratedRegex(@"Display\(Name\s*=\s*""((?:[^""\\]|\\.)*)""")]
    private static partial Regex DisplayNameKey();

    [GeneratedRegex(@"ValidationText\.Error\([^,]+,\s*[^,]+,\s*""((?:[^""\\]|\\.)*)""")]
    private static partial Regex ValidationTextKey();
}
