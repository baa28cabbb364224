using System.Globalization;
using System.Text;

namespace CrmMarketing.Web.Services.Feedback;

public sealed record ThemeTerm(string Term, int Comments);

/// <summary>The most frequent terms in a set of comments: lower-cased words for Latin script, character
/// bigrams for Chinese (which has no spaces), with stop words removed. A term counts once per comment.</summary>
public static class CommentThemes
{
    private static readonly HashSet<string> EnglishStopWords = new(StringComparer.Ordinal)
    {
        "a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "because",
        "been", "before", "being", "but", "by", "can", "could", "did", "do", "does", "doing", "don", "dont", "for",
        "from", "get", "got", "had", "has", "have", "having", "he", "her", "here", "him", "his", "how", "i", "if",
        "in", "into", "is", "it", "its", "just", "me", "more", "most", "my", "no", "not", "now", "of", "on", "one",
        "only", "or", "other", "our", "out", "over", "really", "she", "so", "some", "still", "such", "than", "that",
        "the", "their", "them", "then", "there", "these", "they", "this", "those", "to", "too", "up", "us", "very",
        "was", "we", "were", "what", "when", "which", "while", "who", "why", "will", "with", "would", "you", "your",
        "ll", "ve", "re", "im", "ive", "thanks", "thank",
    };

    // Function characters that make a bigram meaningless ("的质", "了吗"); negations such as 不 and 没 stay.
    private static readonly HashSet<char> ChineseStopChars =
    [
        '的', '了', '吗', '呢', '吧', '啊', '呀', '着', '过', '是', '在', '和', '与', '及', '也', '都', '就', '还',
        '我', '你', '他', '她', '它', '们', '这', '那', '个', '么', '之', '其', '把', '被', '给', '让', '得', '地',
    ];

    private static readonly HashSet<string> ChineseStopBigrams = new(StringComparer.Ordinal)
    {
        "一个", "一下", "一些", "一点", "有点", "觉得", "感觉", "可以", "已经", "因为", "所以", "但是", "而且", "如果",
        "非常", "比较", "什么", "怎么", "自己", "时候", "没有", "还是", "就是", "谢谢", "以后", "然后", "一直",
    };

    /// <summary>The <paramref name="top"/> terms by number of comments mentioning them, ties by term.</summary>
    public static IReadOnlyList<ThemeTerm> Extract(IEnumerable<string> comments, int top)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var comment in comments)
        {
            seen.Clear();
            foreach (var term in Terms(comment))
            {
                if (seen.Add(term))
                {
                    counts[term] = counts.GetValueOrDefault(term) + 1;
                }
            }
        }

        return counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Take(top).Select(kv => new ThemeTerm(kv.Key, kv.Value)).ToList();
    }

    /// <summary>The terms of one comment, in order, repeats included.</summary>
    public static IEnumerable<string> Terms(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            yield break;
        }

        var word = new StringBuilder();
        var han = new StringBuilder();
        foreach (var ch in text.Normalize(NormalizationForm.FormKC))
        {
            if (IsHan(ch))
            {
                foreach (var t in FlushWord(word))
                {
                    yield return t;
                }

                han.Append(ch);
            }
            else if (char.IsLetterOrDigit(ch) || ch == '\'')
            {
                foreach (var t in FlushHan(han))
                {
                    yield return t;
                }

                if (ch != '\'')
                {
                    word.Append(char.ToLowerInvariant(ch));
                }
            }
            else
            {
                foreach (var t in FlushWord(word))
                {
                    yield return t;
                }

                foreach (var t in FlushHan(han))
                {
                    yield return t;
                }
            }
        }

        foreach (var t in FlushWord(word))
        {
            yield return t;
        }

        foreach (var t in FlushHan(han))
        {
            yield return t;
        }
    }

    private static IEnumerable<string> FlushWord(StringBuilder word)
    {
        if (word.Length == 0)
        {
            return [];
        }

        var w = word.ToString();
        word.Clear();
        return w.Length < 2 || EnglishStopWords.Contains(w) || w.All(char.IsDigit) ? [] : [w];
    }

    private static List<string> FlushHan(StringBuilder run)
    {
        var result = new List<string>();
        for (var i = 0; i + 1 < run.Length; i++)
        {
            var a = run[i];
            var b = run[i + 1];
            if (ChineseStopChars.Contains(a) || ChineseStopChars.Contains(b))
            {
                continue;
            }

            var bigram = new string([a, b]);
            if (!ChineseStopBigrams.Contains(bigram))
            {
                result.Add(bigram);
            }
        }

        run.Clear();
        return result;
    }

    private static bool IsHan(char ch) =>
        CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.OtherLetter
        && ch is (>= '\u4E00' and <= '\u9FFF') or (>= '\u3400' and <= '\u4DBF') or (>= '\uF900' and <= '\uFAFF');
}
