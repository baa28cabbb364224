using System.ComponentModel.DataAnnotations;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Templates;
using CrmMarketing.Web.ViewModels.Templates;

namespace CrmMarketing.UnitTests.Templates;

public class TemplateRendererTests
{
    private static MergeValues Values(string? name = "王芳", string? city = "上海") =>
        new MergeValues().Set(MergeFields.Name, name).Set(MergeFields.City, city);

    [Fact]
    public void Render_KnownFields_AreReplaced() =>
        Assert.Equal("Hi 王芳 from 上海!", TemplateRenderer.Render("Hi {{name}} from {{ city }}!", Values(), html: false));

    [Fact]
    public void Render_ResolvedValues_AreComputedOnlyForFieldsTheTemplateUses()
    {
        var asked = new List<string>();
        var values = new MergeValues(field =>
        {
            asked.Add(field);
            return field == MergeFields.Name ? "王芳" : "x";
        }).Set(MergeFields.City, "上海");

        var text = TemplateRenderer.Render("{{name}} in {{city}}, {{name}} {{nonsense}}", values, html: false);

        Assert.Equal("王芳 in 上海, 王芳 ", text);
        // Set values win; each used field is resolved once; a name outside the allow-list never reaches the resolver.
        Assert.Equal([MergeFields.Name], asked);
    }

    [Fact]
    public void Render_EmptyValue_UsesDefault() =>
        Assert.Equal("Hi Customer, welcome", TemplateRenderer.Render("Hi {{name|Customer}}, welcome{{city|}}", Values(name: " ", city: null), html: false));

    [Fact]
    public void Render_ValuePresent_IgnoresDefault() =>
        Assert.Equal("Hi 王芳", TemplateRenderer.Render("Hi {{name|Customer}}", Values(), html: false));

    [Fact]
    public void Render_MissingValueWithoutDefault_RendersNothing() =>
        Assert.Equal("Link: .", TemplateRenderer.Render("Link: {{survey_url}}.", Values(), html: false));

    [Fact]
    public void Render_HtmlBody_EncodesValuesAndDefaults()
    {
        var values = Values(name: "<script>alert(1)</script>", city: null);
        var html = TemplateRenderer.Render("<p>{{name}}</p><p>{{city|A & <B>}}</p>", values, html: true);
        Assert.Equal("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p><p>A &amp; &lt;B&gt;</p>", html);
    }

    [Fact]
    public void Render_Attribute_QuotesAreEncoded()
    {
        var html = TemplateRenderer.Render("<a href=\"{{survey_url}}\">x</a>", new MergeValues().Set(MergeFields.SurveyUrl, "https://x.test/\" onclick=\"evil()"), html: true);
        Assert.DoesNotContain("\" onclick", html, StringComparison.Ordinal);
        Assert.Contains("&quot;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderSubject_LineBreaksInValues_BecomeSpaces() =>
        Assert.Equal("Hello Li Bcc: x@evil.test", TemplateRenderer.RenderSubject("Hello {{name}}", Values(name: "Li\r\nBcc: x@evil.test")));

    [Fact]
    public void MergeValues_UnknownField_Throws() =>
        Assert.Throws<ArgumentException>(() => new MergeValues().Set("password", "x"));

    [Fact]
    public void MergeValues_CallerExtra_SurveyUrlIsAccepted()
    {
        var values = new MergeValues().With(new Dictionary<string, string?> { [MergeFields.SurveyUrl] = "https://s.test/1" });
        Assert.Equal("Tell us: https://s.test/1", TemplateRenderer.Render("Tell us: {{survey_url}}", values, html: false));
    }

    [Fact]
    public void UnknownIn_NamesEachUnknownFieldOnce() =>
        Assert.Equal(["nam", "coupon"], MergeFields.UnknownIn("Hi {{nam}} {{name}}", "{{coupon|X}} {{nam}}"));

    [Fact]
    public void Validate_UnknownField_RejectedWithItsName()
    {
        var form = new TemplateFormModel { Name = "Welcome", Channel = MessageChannel.Email, Subject = "Hi {{frist_name}}", HtmlBody = "<p>x</p>" };
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(form, new ValidationContext(form), results, validateAllProperties: true);
        var error = Assert.Single(results);
        Assert.Contains("{{frist_name}}", error.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal([nameof(TemplateFormModel.Subject)], error.MemberNames);
    }

    [Fact]
    public void Validate_KnownFieldsOnly_IsValid()
    {
        var form = new TemplateFormModel { Name = "Welcome", Channel = MessageChannel.Sms, TextBody = "{{name|Customer}}, see {{unsubscribe_url}}" };
        var results = new List<ValidationResult>();
        Assert.True(Validator.TryValidateObject(form, new ValidationContext(form), results, validateAllProperties: true));
    }

    [Fact]
    public void Compose_EmailWithoutText_GeneratesPlainTextFromHtml()
    {
        var template = new MessageTemplate
        {
            Channel = MessageChannel.Email,
            Subject = "For {{name}}",
            HtmlBody = "<h1>Hello {{name}}</h1><p>New in <b>{{city}}</b>:</p><ul><li>Tea</li><li>Cups</li></ul><p><a href=\"https://shop.test/new\">See all</a></p>",
        };
        var rendered = MessageComposer.Render(template, Values());
        Assert.Equal("For 王芳", rendered.Subject);
        Assert.Equal("Hello 王芳\n\nNew in 上海:\n\n- Tea\n- Cups\n\nSee all (https://shop.test/new)", rendered.TextBody);
    }

    [Fact]
    public void Compose_AdHocEmail_TextIsEncodedIntoParagraphs()
    {
        var content = new MessageContent(MessageChannel.Email, "Hi", null, "Dear {{name}},\nthanks <3\n\nBye", false, false);
        var rendered = MessageComposer.Render(content, Values(name: "A&B"));
        Assert.Equal("<p>Dear A&amp;B,<br>thanks &lt;3</p><p>Bye</p>", rendered.HtmlBody);
        Assert.Equal("Dear A&B,\nthanks <3\n\nBye", rendered.TextBody);
    }
}
