namespace CrmMarketing.Web.Services.Templates;

public enum SmsEncoding
{
    Gsm7,
    Ucs2,
}

/// <param name="Characters">Characters as a reader counts them (Unicode code points).</param>
/// <param name="Units">GSM-7 septets (extension characters count two) or UCS-2 code units.</param>
/// <param name="Segments">Messages the text is split into; 0 for an empty text.</param>
/// <param name="PerSegment">Units one segment holds at this length: 160/70 for one, 153/67 when concatenated.</param>
public sealed record SmsLength(SmsEncoding Encoding, int Characters, int Units, int Segments, int PerSegment);

/// <summary>How many SMS segments a text needs. The same computation runs in wwwroot/js/sms-counter.js for the
/// live counter; keep the two in step. A text is GSM-7 when every character is in the GSM 03.38 default alphabet
/// or its extension table (which costs two septets); anything else (Chinese, emoji) makes the whole text UCS-2.
/// Concatenated messages lose room to the user data header (153 septets / 67 code units), and a segment never
/// splits an escape pair or a surrogate pair.</summary>
public static class SmsSegments
{
    public const int GsmSingle = 160;
    public const int GsmMulti = 153;
    public const int Ucs2Single = 70;
    public const int Ucs2Multi = 67;

    private const string GsmBasic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
        "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    private const string GsmExtension = "^{}\\[~]|€\f";

    private static readonly HashSet<char> Basic = [.. GsmBasic];
    private static readonly HashSet<char> Extension = [.. GsmExtension];

    public static SmsLength Measure(string? text)
    {
        text ??= string.Empty;
        var characters = text.EnumerateRunes().Count();
        var gsm = text.All(c => Basic.Contains(c) || Extension.Contains(c));
        if (gsm)
        {
            var units = text.Sum(c => Extension.Contains(c) ? 2 : 1);
            if (units <= GsmSingle)
            {
                return new SmsLength(SmsEncoding.Gsm7, characters, units, units == 0 ? 0 : 1, GsmSingle);
            }

            return new SmsLength(SmsEncoding.Gsm7, characters, units, Split(text.Select(c => Extension.Contains(c) ? 2 : 1), GsmMulti), GsmMulti);
        }

        var codeUnits = text.Length;
        if (codeUnits <= Ucs2Single)
        {
            return new SmsLength(SmsEncoding.Ucs2, characters, codeUnits, 1, Ucs2Single);
        }

        return new SmsLength(SmsEncoding.Ucs2, characters, codeUnits, Split(text.EnumerateRunes().Select(r => r.Utf16SequenceLength), Ucs2Multi), Ucs2Multi);
    }

    /// <summary>Greedy packing of indivisible pieces (an escape pair, a surrogate pair) into segments.</summary>
    private static int Split(IEnumerable<int> pieces, int capacity)
    {
        var segments = 1;
        var used = 0;
        foreach (var size in pieces)
        {
            if (used + size > capacity)
            {
                segments++;
                used = 0;
            }

            used += size;
        }

        return segments;
    }
}
