using CrmMarketing.Web.Services.Feedback;

namespace CrmMarketing.UnitTests.Feedback;

public sealed class CommentThemesTests
{
    [Fact]
    public void Terms_English_LowerCasesWordsAndDropsStopWords()
    {
        var terms = CommentThemes.Terms("The delivery was VERY late, and the box was damaged!").ToList();

        Assert.Equal(["delivery", "late", "box", "damaged"], terms);
    }

    [Fact]
    public void Terms_Chinese_CharacterBigramsWithoutFunctionCharacters()
    {
        // 送货太慢了 → 送货, 货太, 太慢 (慢了 holds 了 and is dropped); 质量很好 → 质量, 量很, 很好.
        var terms = CommentThemes.Terms("送货太慢了，质量很好").ToList();

        Assert.Equal(["送货", "货太", "太慢", "质量", "量很", "很好"], terms);
    }

    [Fact]
    public void Terms_Chinese_StopBigramsRemoved()
    {
        var terms = CommentThemes.Terms("觉得非常满意").ToList();

        Assert.DoesNotContain("觉得", terms);
        Assert.DoesNotContain("非常", terms);
        Assert.Contains("满意", terms);
    }

    [Fact]
    public void Terms_MixedScripts_SplitsAtScriptBoundary()
    {
        var terms = CommentThemes.Terms("App很卡顿 crash").ToList();

        Assert.Equal(["app", "很卡", "卡顿", "crash"], terms);
    }

    [Fact]
    public void Terms_NumbersAndSingleLetters_Ignored()
    {
        Assert.Empty(CommentThemes.Terms("5 x 12 a"));
    }

    [Fact]
    public void Extract_CountsEachTermOncePerComment_OrdersByCount()
    {
        var comments = new[]
        {
            "Late delivery, late again",
            "Delivery damaged",
            "Damaged box",
            "送货太慢",
            "送货很慢，送货员态度差",
        };

        var themes = CommentThemes.Extract(comments, top: 3);

        Assert.Equal(new ThemeTerm("damaged", 2), themes[0]);
        Assert.Equal(new ThemeTerm("delivery", 2), themes[1]);
        Assert.Equal(new ThemeTerm("送货", 2), themes[2]);
    }

    [Fact]
    public void Extract_NoComments_IsEmpty()
    {
        Assert.Empty(CommentThemes.Extract([], 10));
        Assert.Empty(CommentThemes.Extract(["", "the and of"], 10));
    }
}
