using System.Text;

namespace CrmMarketing.Web.Services.Import;

/// <summary>A streaming RFC 4180 reader (quoted fields, doubled quotes, line breaks inside quotes; CRLF, LF or CR)
/// with hard limits, so that a hostile or broken file ends in a clear <see cref="ImportFileException"/> instead of
/// unbounded memory: at most <see cref="MaxColumns"/> columns per line and <see cref="MaxFieldLength"/> characters
/// per value. Text that is not valid in the chosen encoding is reported with its line.</summary>
public sealed class CsvRecordReader : IDisposable
{
    public const int MaxColumns = 500;
    public const int MaxFieldLength = 100_000;

    private readonly TextReader _reader;
    private readonly char _delimiter;
    private readonly char[] _buffer = new char[64 * 1024];
    private readonly StringBuilder _field = new();
    private readonly List<string> _fields = [];
    private int _length;
    private int _position;
    private bool _eof;

    public CsvRecordReader(Stream stream, Encoding encoding, char delimiter)
    {
        _reader = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024);
        _delimiter = delimiter;
        SkipPreamble(encoding);
    }

    /// <summary>Physical line (1-based) at which the last record returned started.</summary>
    public int RecordLine { get; private set; }

    /// <summary>Physical line the reader is on.</summary>
    public int Line { get; private set; } = 1;

    /// <summary>The next record, or null at the end. Blank lines are skipped. The list is reused between calls.</summary>
    public IReadOnlyList<string>? Read()
    {
        while (true)
        {
            var record = ReadRecord();
            if (record is null)
            {
                return null;
            }

            if (record.Count == 1 && record[0].Length == 0)
            {
                continue;
            }

            return record;
        }
    }

    private List<string>? ReadRecord()
    {
        _fields.Clear();
        _field.Clear();
        RecordLine = Line;
        var inQuotes = false;
        var quoted = false;
        var quoteLine = 0;
        var any = false;
        while (true)
        {
            var c = Next();
            if (c < 0)
            {
                if (inQuotes)
                {
                    throw new ImportFileException("Line {0}: a quoted value is not closed before the end of the file.", quoteLine);
                }

                if (!any)
                {
                    return null;
                }

                EndField();
                return _fields;
            }

            any = true;
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (Peek() == '"')
                    {
                        Next();
                        Append('"', quoteLine);
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    if (c == '\n' || (c == '\r' && Peek() != '\n'))
                    {
                        Line++;
                    }

                    Append((char)c, quoteLine);
                }

                continue;
            }

            if (c == _delimiter)
            {
                EndField();
                quoted = false;
            }
            else if (c == '\r' || c == '\n')
            {
                if (c == '\r' && Peek() == '\n')
                {
                    Next();
                }

                Line++;
                EndField();
                return _fields;
            }
            else if (c == '"' && _field.Length == 0 && !quoted)
            {
                inQuotes = true;
                quoted = true;
                quoteLine = Line;
            }
            else
            {
                Append((char)c, 0);
            }
        }
    }

    private void Append(char c, int quoteLine)
    {
        if (_field.Length >= MaxFieldLength)
        {
            throw quoteLine > 0
                ? new ImportFileException("Line {0}: a quoted value is longer than {1} characters; a closing quote may be missing.", quoteLine, MaxFieldLength)
                : new ImportFileException("Line {0}: a value is longer than {1} characters.", Line, MaxFieldLength);
        }

        _field.Append(c);
    }

    private void EndField()
    {
        if (_fields.Count >= MaxColumns)
        {
            throw new ImportFileException("Line {0} has more than {1} columns.", RecordLine, MaxColumns);
        }

        _fields.Add(_field.ToString());
        _field.Clear();
    }

    private int Next()
    {
        if (_position >= _length && !Fill())
        {
            return -1;
        }

        return _buffer[_position++];
    }

    private int Peek()
    {
        if (_position >= _length && !Fill())
        {
            return -1;
        }

        return _buffer[_position];
    }

    private bool Fill()
    {
        if (_eof)
        {
            return false;
        }

        try
        {
            _length = _reader.Read(_buffer, 0, _buffer.Length);
        }
        catch (DecoderFallbackException)
        {
            throw new ImportFileException("Near line {0} the file is not valid text in the chosen encoding. Choose another encoding.", Line);
        }

        _position = 0;
        _eof = _length == 0;
        return !_eof;
    }

    private void SkipPreamble(Encoding encoding)
    {
        // StreamReader was told not to detect a BOM (it would override the chosen encoding), so drop U+FEFF here.
        if (encoding.GetPreamble().Length > 0 || encoding is UTF8Encoding)
        {
            if (Peek() == '\uFEFF')
            {
                _position++;
            }
        }
    }

    public void Dispose() => _reader.Dispose();
}
