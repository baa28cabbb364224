using CrmMarketing.UnitTests.Infrastructure;
using CrmMarketing.Web.Services.Segments;

namespace CrmMarketing.UnitTests.Segments;

public class SegmentRuleParserTests
{
    private static SegmentRuleParseResult Parse(string json) => new SegmentRuleParser(TestServices.Localizer).Parse(json);

    private static void AssertError(string json, string expected)
    {
        var result = Parse(json);
        Assert.False(result.IsValid);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Name; DROP TABLE Customers")]
    [InlineData("Name")]
    [InlineData("isArchived")]
    [InlineData("c.City")]
    public void Parse_FieldOutsideAllowList_IsRejectedNamingTheCondition(string field)
    {
        AssertError("{\"match\":\"all\",\"conditions\":[{\"field\":\"city\",\"operator\":\"empty\"},{\"field\":\"" + field + "\",\"operator\":\"equals\",\"value\":\"x\"}]}",
            "Condition 2: unknown field \"" + field + "\"");
    }

    [Fact]
    public void Parse_NestedBadOperator_NamesThePathAndField()
    {
        AssertError("""{"match":"all","conditions":[{"field":"city","operator":"empty"},{"match":"any","conditions":[{"field":"totalSpent","operator":"gt","value":1},{"field":"createdAt","operator":"contains","value":"x"}]}]}""",
            "Condition 2.2 (createdAt): the operator \"contains\" is not allowed");
    }

    [Theory]
    [InlineData("""{"match":"all","conditions":[{"field":"totalSpent","operator":"gt","value":"ten"}]}""", "Condition 1 (totalSpent): the value must be a number.")]
    [InlineData("""{"match":"all","conditions":[{"field":"orderCount","operator":"gt","value":2.5}]}""", "Condition 1 (orderCount): the value must be a whole number.")]
    [InlineData("""{"match":"all","conditions":[{"field":"lastPurchaseAt","operator":"withinDays"}]}""", "Condition 1 (lastPurchaseAt): \"days\" must be a whole number")]
    [InlineData("""{"match":"all","conditions":[{"field":"lastPurchaseAt","operator":"withinDays","days":0}]}""", "Condition 1 (lastPurchaseAt): \"days\"")]
    [InlineData("""{"match":"all","conditions":[{"field":"city","operator":"in","values":[]}]}""", "Condition 1 (city): \"values\" must be a non-empty list.")]
    [InlineData("""{"match":"all","conditions":[{"field":"city","operator":"equals","value":"  "}]}""", "Condition 1 (city): a value is required.")]
    [InlineData("""{"match":"all","conditions":[{"field":"emailConsent","operator":"equals","value":"Maybe"}]}""", "Condition 1 (emailConsent): \"Maybe\" is not one of")]
    [InlineData("""{"match":"all","conditions":[{"field":"rfmSegment","operator":"in","values":["Champions","Kings"]}]}""", "\"Kings\" is not one of")]
    [InlineData("""{"match":"all","conditions":[{"field":"eventCount","operator":"gte","value":1,"days":7}]}""", "Condition 1 (eventCount): \"eventType\"")]
    [InlineData("""{"match":"all","conditions":[{"operator":"equals","value":"x"}]}""", "Condition 1: \"field\" is missing.")]
    [InlineData("""{"match":"both","conditions":[{"field":"city","operator":"empty"}]}""", "\"match\" must be \"all\" or \"any\"")]
    [InlineData("""{"match":"all","conditions":[]}""", "\"conditions\" must be a non-empty list")]
    [InlineData("""[1,2]""", "expected an object")]
    [InlineData("""{"match":"all","conditions":[{"field":"city","operator":"empty"}""", "not valid JSON")]
    [InlineData("", "The rule is empty.")]
    public void Parse_InvalidRule_ExplainsWhy(string json, string expected) => AssertError(json, expected);

    [Fact]
    public void Parse_TooDeep_IsRejected()
    {
        var json = """{"field":"city","operator":"empty"}""";
        for (var i = 0; i < SegmentRuleParser.MaxDepth + 1; i++)
        {
            json = "{\"match\":\"all\",\"conditions\":[" + json + "]}";
        }

        AssertError(json, "nest deeper than 5 levels");
    }

    [Fact]
    public void Parse_ValidRule_ConvertsValuesAndNumbersPaths()
    {
        var result = Parse("""{"match":"any","conditions":[{"field":"city","operator":"in","values":[" Berlin ","Paris","Berlin"]},{"match":"all","conditions":[{"field":"totalSpent","operator":"gte","value":"100.50"},{"field":"eventCount","eventType":"page_view","operator":"gt","value":3,"days":"30"}]}]}""");

        Assert.True(result.IsValid, result.Error);
        var rule = result.Rule!;
        Assert.False(rule.MatchAll);
        var city = Assert.IsType<SegmentRuleCondition>(rule.Children[0]);
        Assert.Equal(["Berlin", "Paris"], city.Texts);
        var group = Assert.IsType<SegmentRuleGroup>(rule.Children[1]);
        var spent = Assert.IsType<SegmentRuleCondition>(group.Children[0]);
        Assert.Equal(("2.1", 100.50m), (spent.Path, spent.Number));
        var events = Assert.IsType<SegmentRuleCondition>(group.Children[1]);
        Assert.Equal(("2.2", "page_view", 3m, 30), (events.Path, events.EventType, events.Number, events.Days));
    }
}
