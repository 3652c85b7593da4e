using System.Globalization;
using System.Text;

namespace Jpki.Verification.Pades;

/// <summary>
/// A strict, bounded reader of PDF objects (ISO 32000-1 §7.2–7.3) over a window of the file: numbers, names, literal and
/// hex strings, arrays, dictionaries, references, the <c>n g obj … endobj</c> wrapper and the start of a stream.
/// Nesting is limited to <see cref="MaxDepth"/>; running off the window is <see cref="WindowExhaustedException"/> (the
/// caller may retry with a larger window), anything else malformed is <see cref="PdfFormatException"/>.
/// </summary>
internal sealed class PdfParser
{
    public const int MaxDepth = 64;

    private readonly ReadOnlyMemory<byte> _buffer;
    private readonly long _base;
    private readonly bool _atEndOfFile;
    private int _position;

    /// <param name="buffer">The window.</param>
    /// <param name="baseOffset">The file offset of the window's first byte.</param>
    /// <param name="atEndOfFile">True when the window reaches the end of the file (running off it is then malformed, not a reason to retry).</param>
    public PdfParser(ReadOnlyMemory<byte> buffer, long baseOffset, bool atEndOfFile)
    {
        _buffer = buffer;
        _base = baseOffset;
        _atEndOfFile = atEndOfFile;
    }

    /// <summary>The file offset of the next byte.</summary>
    public long Offset => _base + _position;

    private ReadOnlySpan<byte> Span => _buffer.Span;

    public static bool IsWhite(byte b) => b is 0 or 9 or 10 or 12 or 13 or 32;

    public static bool IsDelimiter(byte b) => b is (byte)'(' or (byte)')' or (byte)'<' or (byte)'>' or (byte)'[' or (byte)']' or (byte)'{' or (byte)'}' or (byte)'/' or (byte)'%';

    /// <summary>Reads <c>n g obj</c>, the object, and for a stream the <c>stream</c> keyword and its end of line.</summary>
    public (int Number, int Generation, PdfObject Value) ReadIndirectObject()
    {
        var number = ReadInteger("object number");
        var generation = ReadInteger("generation number");
        ExpectKeyword("obj");
        var value = ReadObject(0);
        SkipWhite();
        if (value is PdfDictionary dictionary && TryKeyword("stream"))
        {
            // "stream" is followed by CRLF or LF (§7.3.8.1); a lone CR is tolerated by readers and by us.
            if (Peek() == '\r')
            {
                _position++;
            }

            if (Peek() == '\n')
            {
                _position++;
            }

            return (number, generation, new PdfStream(dictionary, Offset));
        }

        ExpectKeyword("endobj");
        return (number, generation, value);
    }

    /// <summary>Reads one direct object (a reference <c>n g R</c> included).</summary>
    public PdfObject ReadObject() => ReadObject(0);

    /// <summary>Reads an unsigned integer token.</summary>
    public long ReadLong(string what)
    {
        SkipWhite();
        var start = _position;
        while (_position < Span.Length && Span[_position] is >= (byte)'0' and <= (byte)'9')
        {
            _position++;
        }

        if (_position == Span.Length && !_atEndOfFile)
        {
            throw new WindowExhaustedException();
        }

        if (_position == start || _position - start > 18)
        {
            throw new PdfFormatException($"Expected the {what} (an unsigned integer) at byte {_base + start}.");
        }

        return long.Parse(Span[start.._position], NumberStyles.None, CultureInfo.InvariantCulture);
    }

    public int ReadInteger(string what)
    {
        var value = ReadLong(what);
        return value <= int.MaxValue ? (int)value : throw new PdfFormatException($"The {what} at byte {Offset} is too large.");
    }

    /// <summary>True (and consumed) when the next token is the keyword <paramref name="keyword"/>.</summary>
    public bool TryKeyword(string keyword)
    {
        SkipWhite();
        var bytes = Encoding.ASCII.GetBytes(keyword);
        if (_position + bytes.Length > Span.Length)
        {
            if (!_atEndOfFile)
            {
                throw new WindowExhaustedException();
            }

            return false;
        }

        if (!Span.Slice(_position, bytes.Length).SequenceEqual(bytes))
        {
            return false;
        }

        var after = _position + bytes.Length;
        if (after < Span.Length && !IsWhite(Span[after]) && !IsDelimiter(Span[after]))
        {
            return false;
        }

        _position = after;
        return true;
    }

    public void ExpectKeyword(string keyword)
    {
        if (!TryKeyword(keyword))
        {
            throw new PdfFormatException($"Expected '{keyword}' at byte {Offset}.");
        }
    }

    public void SkipWhite()
    {
        while (true)
        {
            if (_position >= Span.Length)
            {
                return;
            }

            var b = Span[_position];
            if (IsWhite(b))
            {
                _position++;
            }
            else if (b == '%')
            {
                while (_position < Span.Length && Span[_position] is not (byte)'\r' and not (byte)'\n')
                {
                    _position++;
                }
            }
            else
            {
                return;
            }
        }
    }

    private int Peek()
    {
        if (_position >= Span.Length)
        {
            return _atEndOfFile ? -1 : throw new WindowExhaustedException();
        }

        return Span[_position];
    }

    private PdfObject ReadObject(int depth)
    {
        if (depth > MaxDepth)
        {
            throw new PdfFormatException($"Objects are nested deeper than {MaxDepth} levels at byte {Offset}.");
        }

        SkipWhite();
        var c = Peek();
        switch (c)
        {
            case -1:
                throw new PdfFormatException("The file ends inside an object.");
            case '/':
                return ReadName();
            case '(':
                return ReadLiteralString();
            case '[':
                {
                    _position++;
                    var items = new List<PdfObject>();
                    while (true)
                    {
                        SkipWhite();
                        if (Peek() == ']')
                        {
                            _position++;
                            return new PdfArray(items);
                        }

                        items.Add(ReadObject(depth + 1));
                    }
                }

            case '<':
                if (_position + 1 >= Span.Length && !_atEndOfFile)
                {
                    throw new WindowExhaustedException();
                }

                if (_position + 1 < Span.Length && Span[_position + 1] == '<')
                {
                    return ReadDictionary(depth);
                }

                return ReadHexString();
            default:
                if (c is '+' or '-' or '.' or (>= '0' and <= '9'))
                {
                    return ReadNumberOrReference();
                }

                if (TryKeyword("true"))
                {
                    return new PdfBoolean(true);
                }

                if (TryKeyword("false"))
                {
                    return new PdfBoolean(false);
                }

                if (TryKeyword("null"))
                {
                    return PdfNull.Instance;
                }

                throw new PdfFormatException($"Unexpected byte 0x{c:X2} at byte {Offset}.");
        }
    }

    private PdfDictionary ReadDictionary(int depth)
    {
        _position += 2;
        var entries = new List<KeyValuePair<string, PdfObject>>();
        while (true)
        {
            SkipWhite();
            var c = Peek();
            if (c == '>')
            {
                if (_position + 1 >= Span.Length)
                {
                    throw _atEndOfFile ? new PdfFormatException("The file ends inside a dictionary.") : new WindowExhaustedException();
                }

                if (Span[_position + 1] != '>')
                {
                    throw new PdfFormatException($"Expected '>>' at byte {Offset}.");
                }

                _position += 2;
                return new PdfDictionary(entries);
            }

            if (c != '/')
            {
                throw new PdfFormatException($"Expected a name as dictionary key at byte {Offset}.");
            }

            var key = ReadName().Value;
            var value = ReadObject(depth + 1);
            if (entries.Any(e => e.Key == key))
            {
                throw new PdfFormatException($"The dictionary ending near byte {Offset} has the key /{key} twice.");
            }

            entries.Add(new(key, value));
            if (entries.Count > 100_000)
            {
                throw new PdfFormatException("A dictionary has too many entries.");
            }
        }
    }

    private PdfName ReadName()
    {
        _position++;
        var name = new StringBuilder();
        while (true)
        {
            var c = Peek();
            if (c == -1 || IsWhite((byte)c) || IsDelimiter((byte)c))
            {
                break;
            }

            _position++;
            if (c == '#')
            {
                if (_position + 2 > Span.Length)
                {
                    throw _atEndOfFile ? new PdfFormatException("The file ends inside a name.") : new WindowExhaustedException();
                }

                if (!byte.TryParse(Span.Slice(_position, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var escaped))
                {
                    throw new PdfFormatException($"A bad #xx escape in a name at byte {Offset}.");
                }

                name.Append((char)escaped);
                _position += 2;
            }
            else
            {
                name.Append((char)c);
            }

            if (name.Length > 4096)
            {
                throw new PdfFormatException("A name is too long.");
            }
        }

        return new PdfName(name.ToString());
    }

    private PdfString ReadLiteralString()
    {
        var start = Offset;
        _position++;
        var bytes = new List<byte>();
        var open = 1;
        while (true)
        {
            var c = Peek();
            if (c == -1)
            {
                throw new PdfFormatException("The file ends inside a string.");
            }

            _position++;
            switch (c)
            {
                case '(':
                    open++;
                    bytes.Add((byte)c);
                    break;
                case ')':
                    if (--open == 0)
                    {
                        return new PdfString([.. bytes], start, Offset, Hex: false);
                    }

                    bytes.Add((byte)c);
                    break;
                case '\\':
                    var e = Peek();
                    if (e == -1)
                    {
                        throw new PdfFormatException("The file ends inside a string.");
                    }

                    _position++;
                    switch (e)
                    {
                        case 'n': bytes.Add(10); break;
                        case 'r': bytes.Add(13); break;
                        case 't': bytes.Add(9); break;
                        case 'b': bytes.Add(8); break;
                        case 'f': bytes.Add(12); break;
                        case '\r':
                            if (Peek() == '\n')
                            {
                                _position++;
                            }

                            break;
                        case '\n': break;
                        case >= '0' and <= '7':
                            var value = e - '0';
                            for (var i = 0; i < 2 && Peek() is >= '0' and <= '7'; i++)
                            {
                                value = (value * 8) + (Span[_position++] - '0');
                            }

                            bytes.Add(unchecked((byte)value)); // \ddd above \377: the high-order bits are ignored (§7.3.4.2)
                            break;
                        default: bytes.Add((byte)e); break;
                    }

                    break;
                default:
                    bytes.Add((byte)c);
                    break;
            }
        }
    }

    private PdfString ReadHexString()
    {
        var start = Offset;
        _position++;
        var bytes = new List<byte>();
        var high = -1;
        while (true)
        {
            var c = Peek();
            if (c == -1)
            {
                throw new PdfFormatException("The file ends inside a hex string.");
            }

            _position++;
            if (c == '>')
            {
                if (high >= 0)
                {
                    bytes.Add((byte)(high << 4));
                }

                return new PdfString([.. bytes], start, Offset, Hex: true);
            }

            if (IsWhite((byte)c))
            {
                continue;
            }

            var digit = HexValue(c);
            if (digit < 0)
            {
                throw new PdfFormatException($"A hex string holds a non-hex byte at byte {Offset - 1}.");
            }

            if (high < 0)
            {
                high = digit;
            }
            else
            {
                bytes.Add((byte)((high << 4) | digit));
                high = -1;
            }
        }
    }

    public static int HexValue(int c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    private PdfObject ReadNumberOrReference()
    {
        var first = ReadNumberToken();
        if (first.Contains('.', StringComparison.Ordinal) || first.StartsWith('+') || first.StartsWith('-'))
        {
            return new PdfNumber(first);
        }

        // "n g R": look ahead without consuming when it is not a reference.
        var save = _position;
        SkipWhite();
        if (Peek() is >= '0' and <= '9')
        {
            var second = ReadNumberToken();
            SkipWhite();
            if (!second.Contains('.', StringComparison.Ordinal) && TryKeyword("R"))
            {
                if (!int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || !int.TryParse(second, NumberStyles.None, CultureInfo.InvariantCulture, out var generation) || generation > 65535)
                {
                    throw new PdfFormatException($"A reference {first} {second} R out of range near byte {Offset}.");
                }

                return new PdfReference(number, generation);
            }
        }

        _position = save;
        return new PdfNumber(first);
    }

    private string ReadNumberToken()
    {
        var start = _position;
        if (Peek() is '+' or '-')
        {
            _position++;
        }

        while (Peek() is (>= '0' and <= '9') or '.')
        {
            _position++;
            if (_position - start > 32)
            {
                throw new PdfFormatException($"A number is too long at byte {Offset}.");
            }
        }

        var text = Encoding.ASCII.GetString(Span[start.._position]);
        if (text is "" or "+" or "-" or "." || text.Count(ch => ch == '.') > 1)
        {
            throw new PdfFormatException($"A malformed number at byte {_base + start}.");
        }

        return text;
    }
}

/// <summary>The parser ran off its window before the file's end: retry with a larger one.</summary>
internal sealed class WindowExhaustedException : Exception
{
    public WindowExhaustedException()
        : base("The object runs past the window read.")
    {
    }

    public WindowExhaustedException(string message)
        : base(message)
    {
    }

    public WindowExhaustedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
