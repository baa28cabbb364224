using System.Text;

namespace CrmMarketing.Web.Services.Import;

/// <summary>The encodings an import file may be in, by web name.</summary>
public static class ImportEncodings
{
    public const string Utf8 = "utf-8";
    public const string Gb18030 = "gb18030";
    public const string Windows1252 = "windows-1252";
    public const string Utf16 = "utf-16";
    public const string Utf16BigEndian = "utf-16BE";

    public static IReadOnlyList<string> Choices { get; } = [Utf8, Gb18030, Windows1252, Utf16, Utf16BigEndian];

    /// <summary>A decoder that throws on invalid bytes (Windows-1252 maps every byte, so it cannot fail).</summary>
    public static Encoding Get(string name) => name switch
    {
        Utf8 => new UTF8Encoding(false, throwOnInvalidBytes: true),
        Gb18030 => CodePagesEncodingProvider.Instance.GetEncoding(54936, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback)!,
        Windows1252 => CodePagesEncodingProvider.Instance.GetEncoding(1252, EncoderFallback.ReplacementFallback, DecoderFallback.ReplacementFallback)!,
        Utf16 => new UnicodeEncoding(bigEndian: false, byteOrderMark: true, throwOnInvalidBytes: true),
        Utf16BigEndian => new UnicodeEncoding(bigEndian: true, byteOrderMark: true, throwOnInvalidBytes: true),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown import encoding."),
    };
}

public sealed record CsvSniffResult(string Encoding, char Delimiter);

/// <summary>Guesses a file's encoding and delimiter from its first bytes.</summary>
/// <remarks>A byte order mark decides. Otherwise text that is valid UTF-8 is UTF-8; text that decodes as GB18030
/// into mostly Chinese characters is GB18030 (which covers GBK and GB2312); anything else is Windows-1252.
/// NUL or many control bytes without a UTF-16 mark mean the file is not text at all.</remarks>
public static class CsvSniffer
{
    public const int SampleBytes = 1024 * 1024;
    // On a tie the rarer character in ordinary text wins: tab, then semicolon, then comma.
    public static readonly char[] Delimiters = ['\t', ';', ','];

    public static async Task<CsvSniffResult> DetectAsync(Stream stream, CancellationToken ct)
    {
        var sample = new byte[SampleBytes];
        var length = 0;
        int read;
        while (length < sample.Length && (read = await stream.ReadAsync(sample.AsMemory(length), ct)) > 0)
        {
            length += read;
        }

        return Detect(sample.AsSpan(0, length), complete: length < sample.Length);
    }

    /// <param name="complete">The sample is the whole file (so a multi-byte sequence cut at its end is an error).</param>
    public static CsvSniffResult Detect(ReadOnlySpan<byte> sample, bool complete)
    {
        if (sample.Length == 0 || (sample.Length == 3 && sample.StartsWith("\uFEFF"u8)))
        {
            throw new ImportFileException("The file is empty.");
        }

        var encoding = DetectEncoding(sample, complete);
        var text = Decode(sample, encoding);
        if (text.Trim('\uFEFF', ' ', '\r', '\n', '\t').Length == 0)
        {
            throw new ImportFileException("The file is empty.");
        }

        return new CsvSniffResult(encoding, DetectDelimiter(text));
    }

    public static string DetectEncoding(ReadOnlySpan<byte> sample, bool complete)
    {
        if (sample.StartsWith("\xEF\xBB\xBF"u8))
        {
            return ImportEncodings.Utf8;
        }

        if (sample.StartsWith(stackalloc byte[] { 0xFF, 0xFE }))
        {
            return ImportEncodings.Utf16;
        }

        if (sample.StartsWith(stackalloc byte[] { 0xFE, 0xFF }))
        {
            return ImportEncodings.Utf16BigEndian;
        }

        var controls = 0;
        foreach (var b in sample)
        {
            if (b == 0)
            {
                throw new ImportFileException("The file is not a text (CSV) file.");
            }

            if (b < 0x20 && b is not (byte)'\t' and not (byte)'\n' and not (byte)'\r' and not 0x0C)
            {
                controls++;
            }
        }

        if (controls > sample.Length / 100)
        {
            throw new ImportFileException("The file is not a text (CSV) file.");
        }

        if (IsUtf8(sample, complete))
        {
            return ImportEncodings.Utf8;
        }

        return LooksLikeGb18030(sample) ? ImportEncodings.Gb18030 : ImportEncodings.Windows1252;
    }

    private static bool IsUtf8(ReadOnlySpan<byte> sample, bool complete)
    {
        var decoder = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
        var chars = new char[sample.Length + 1];
        try
        {
            decoder.GetChars(sample, chars, flush: complete);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static bool LooksLikeGb18030(ReadOnlySpan<byte> sample)
    {
        string text;
        try
        {
            var decoder = ImportEncodings.Get(ImportEncodings.Gb18030).GetDecoder();
            var chars = new char[sample.Length + 1];
            var count = decoder.GetChars(sample, chars, flush: false);
            text = new string(chars, 0, count);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        var chinese = 0;
        var other = 0;
        foreach (var c in text)
        {
            if (c < 0x80)
            {
                continue;
            }

            if (c is (>= '\u4E00' and <= '\u9FFF') or (>= '\u3000' and <= '\u303F') or (>= '\uFF00' and <= '\uFFEF'))
            {
                chinese++;
            }
            else
            {
                other++;
            }
        }

        return chinese > 0 && chinese >= other * 4;
    }

    private static string Decode(ReadOnlySpan<byte> sample, string encoding)
    {
        var decoder = ImportEncodings.Get(encoding).GetDecoder();
        var chars = new char[sample.Length + 1];
        try
        {
            var count = decoder.GetChars(sample, chars, flush: false);
            return new string(chars, 0, count);
        }
        catch (DecoderFallbackException)
        {
            throw new ImportFileException("Near line {0} the file is not valid text in the chosen encoding. Choose another encoding.", 1);
        }
    }

    /// <summary>The candidate that splits the first lines into the same number (&gt; 0) of parts most often,
    /// preferring more columns; comma when nothing splits.</summary>
    public static char DetectDelimiter(string text)
    {
        var lines = FirstLines(text, 20);
        var best = ',';
        var bestScore = 0;
        foreach (var delimiter in Delimiters)
        {
            var counts = lines.Select(l => CountOutsideQuotes(l, delimiter)).ToList();
            if (counts.Count == 0 || counts[0] == 0)
            {
                continue;
            }

            var consistent = counts.Count(c => c == counts[0]);
            var score = consistent * 1000 + counts[0];
            if (score > bestScore)
            {
                bestScore = score;
                best = delimiter;
            }
        }

        return best;
    }

    private static List<string> FirstLines(string text, int max)
    {
        var lines = new List<string>();
        var start = 0;
        var inQuotes = false;
        for (var i = 0; i < text.Length && lines.Count < max; i++)
        {
            var c = text[i];
            if (c == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (!inQuotes && (c == '\n' || c == '\r'))
            {
                if (i > start)
                {
                    lines.Add(text[start..i]);
                }

                start = i + 1;
            }
        }

        if (lines.Count < max && start < text.Length && !inQuotes)
        {
            lines.Add(text[start..]);
        }

        return lines.Where(l => l.Trim().Length > 0).ToList();
    }

    private static int CountOutsideQuotes(string line, char delimiter)
    {
        var count = 0;
        var inQuotes = false;
        foreach (var c in line)
        {
            if (c == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (c == delimiter && !inQuotes)
            {
                count++;
            }
        }

        return count;
    }
}
