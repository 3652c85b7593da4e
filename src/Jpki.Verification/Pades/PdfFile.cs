using System.IO.Compression;
using System.Text;

namespace Jpki.Verification.Pades;

/// <summary>
/// A strict, bounded reader of a PDF's structure over a seekable stream — never the whole file in memory: the last
/// <c>startxref</c>, the chain of cross-reference sections (classic tables, xref streams of PDF 1.5, and hybrid files'
/// <c>/XRefStm</c>) through <c>/Prev</c>, and objects by number (also inside object streams) as of any revision. What
/// signing (the catalog, the AcroForm, the first page) and validating (every signature field of every revision) need,
/// and nothing more. Limits: <see cref="MaxSections"/> sections, objects up to <see cref="MaxObjectBytes"/>, decoded
/// streams up to <see cref="MaxStreamBytes"/>. Malformed input is <see cref="PdfFormatException"/>.
/// </summary>
internal sealed class PdfFile
{
    public const int MaxSections = 4096;
    public const int MaxObjectBytes = 16 << 20;
    public const int MaxStreamBytes = 64 << 20;
    private const int TailBytes = 2048;

    private readonly Stream _stream;
    private readonly List<XrefSection> _sections = [];
    private readonly Dictionary<int, (PdfDictionary Dictionary, byte[] Data, int First)> _objectStreams = [];

    private PdfFile(Stream stream)
    {
        _stream = stream;
        Length = stream.Length;
    }

    /// <summary>The length of the file.</summary>
    public long Length { get; }

    /// <summary>The cross-reference sections, newest first; section 0 is the file's last revision.</summary>
    public IReadOnlyList<XrefSection> Sections => _sections;

    /// <summary>Reads the structure of <paramref name="stream"/> (seekable; left open).</summary>
    /// <exception cref="PdfFormatException">Not a PDF, or its xref chain is broken.</exception>
    public static PdfFile Open(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
        {
            throw new ArgumentException("The stream must be seekable.", nameof(stream));
        }

        var file = new PdfFile(stream);
        var head = file.ReadAt(0, (int)Math.Min(1024, file.Length));
        if (head.AsSpan().IndexOf("%PDF-"u8) is < 0 or > 1016)
        {
            throw new PdfFormatException("The file does not start with a %PDF- header.");
        }

        long? offset = file.LastStartXref();
        var seen = new HashSet<long>();
        while (offset is { } at)
        {
            if (!seen.Add(at) || seen.Count > MaxSections)
            {
                throw new PdfFormatException($"The /Prev chain of cross-reference sections loops or is longer than {MaxSections} sections.");
            }

            var section = file.ReadSection(at);
            file._sections.Add(section);
            var prev = section.Trailer["Prev"];
            offset = prev switch
            {
                null => (long?)null,
                PdfNumber n when n.AsLong is { } p && p >= 0 && p < at => p,
                _ => throw new PdfFormatException($"The /Prev of the cross-reference section at byte {at} is not an earlier offset."),
            };
        }

        return file;
    }

    /// <summary>The trailer of the newest section (for an xref stream, its dictionary).</summary>
    public PdfDictionary Trailer => _sections[0].Trailer;

    /// <summary>Resolves <paramref name="value"/> when it is a reference, as of the revision of section <paramref name="revision"/> (0 = the last).</summary>
    public PdfObject Resolve(PdfObject? value, int revision = 0, int depth = 0)
    {
        if (value is not PdfReference reference)
        {
            return value ?? PdfNull.Instance;
        }

        if (depth > 16)
        {
            throw new PdfFormatException("References chain deeper than 16 levels.");
        }

        return Resolve(GetObject(reference.Number, revision, out _), revision, depth + 1);
    }

    /// <summary>The object <paramref name="number"/> as of the revision of section <paramref name="revision"/>; null object when absent or free.</summary>
    /// <param name="number">The object number.</param>
    /// <param name="revision">The section index (0 = newest).</param>
    /// <param name="offset">The file offset of a plain indirect object; -1 for one in an object stream or absent.</param>
    public PdfObject GetObject(int number, int revision, out long offset)
    {
        offset = -1;
        if (FindEntry(number, revision) is not { } entry)
        {
            return PdfNull.Instance;
        }

        switch (entry.Type)
        {
            case 1:
                offset = entry.Field2;
                var (n, _, value) = ParseAt(entry.Field2, number);
                return n == number ? value : throw new PdfFormatException($"The cross-reference entry of object {number} points at object {n}.");
            case 2:
                return ReadFromObjectStream(number, (int)entry.Field2, (int)entry.Field3, revision);
            default:
                return PdfNull.Instance;
        }
    }

    /// <summary>The entry of object <paramref name="number"/> as of section <paramref name="revision"/>.</summary>
    public XrefEntry? FindEntry(int number, int revision)
    {
        for (var i = revision; i < _sections.Count; i++)
        {
            if (_sections[i].Entries.TryGetValue(number, out var entry))
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>Reads <paramref name="count"/> bytes at <paramref name="offset"/> (fewer at the end of the file).</summary>
    public byte[] ReadAt(long offset, int count)
    {
        if (offset < 0 || offset > Length)
        {
            throw new PdfFormatException($"Offset {offset} lies outside the file.");
        }

        var buffer = new byte[(int)Math.Min(count, Length - offset)];
        _stream.Position = offset;
        _stream.ReadExactly(buffer);
        return buffer;
    }

    /// <summary>The decoded data of <paramref name="stream"/> (FlateDecode with PNG/TIFF predictor 1/2/10–15, or no filter).</summary>
    public byte[] ReadStreamData(PdfStream stream, int revision)
    {
        var length = Resolve(stream.Dictionary["Length"], revision) is PdfNumber { AsLong: { } l } && l >= 0 && l <= MaxStreamBytes
            ? l
            : throw new PdfFormatException("A stream lacks a valid /Length.");
        if (stream.DataOffset + length > Length)
        {
            throw new PdfFormatException("A stream's /Length runs past the end of the file.");
        }

        var raw = ReadAt(stream.DataOffset, (int)length);
        var filter = Resolve(stream.Dictionary["Filter"], revision);
        var parameters = Resolve(stream.Dictionary["DecodeParms"], revision);
        if (filter is PdfArray { Items.Count: 1 } single)
        {
            filter = single.Items[0];
            parameters = parameters is PdfArray { Items.Count: 1 } p ? p.Items[0] : parameters;
        }

        return filter switch
        {
            PdfNull => raw,
            PdfName { Value: "FlateDecode" } => Unpredict(Inflate(raw), parameters as PdfDictionary),
            _ => throw new PdfFormatException($"A structural stream uses a filter this reader does not decode ({filter}); only FlateDecode is read."),
        };
    }

    private static byte[] Inflate(byte[] raw)
    {
        try
        {
            using var input = new ZLibStream(new MemoryStream(raw), CompressionMode.Decompress);
            using var output = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = input.Read(buffer)) > 0)
            {
                output.Write(buffer, 0, read);
                if (output.Length > MaxStreamBytes)
                {
                    throw new PdfFormatException($"A stream inflates to more than {MaxStreamBytes} bytes.");
                }
            }

            return output.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new PdfFormatException("A FlateDecode stream is corrupt.", e);
        }
    }

    private static byte[] Unpredict(byte[] data, PdfDictionary? parameters)
    {
        var predictor = parameters?["Predictor"] is PdfNumber { AsLong: { } p } ? p : 1;
        if (predictor == 1)
        {
            return data;
        }

        var columns = parameters?["Columns"] is PdfNumber { AsLong: { } c } ? c : 1;
        if (predictor < 10 || predictor > 15 || columns is < 1 or > 4096 || parameters?["Colors"] is PdfNumber { AsLong: not 1 } || parameters?["BitsPerComponent"] is PdfNumber { AsLong: not 8 })
        {
            throw new PdfFormatException($"An xref stream uses predictor {predictor} with parameters this reader does not support (PNG predictors, 8-bit, 1 colour).");
        }

        var width = (int)columns;
        var rows = data.Length / (width + 1);
        if (data.Length % (width + 1) != 0)
        {
            throw new PdfFormatException("A PNG-predicted stream's length is not a whole number of rows.");
        }

        var output = new byte[rows * width];
        var previous = new byte[width];
        for (var r = 0; r < rows; r++)
        {
            var type = data[r * (width + 1)];
            var row = output.AsSpan(r * width, width);
            var source = data.AsSpan((r * (width + 1)) + 1, width);
            for (var i = 0; i < width; i++)
            {
                var left = i > 0 ? row[i - 1] : 0;
                var up = previous[i];
                var upLeft = i > 0 ? previous[i - 1] : 0;
                row[i] = unchecked(type switch
                {
                    0 => source[i],
                    1 => (byte)(source[i] + left),
                    2 => (byte)(source[i] + up),
                    3 => (byte)(source[i] + ((left + up) / 2)),
                    4 => (byte)(source[i] + Paeth(left, up, upLeft)),
                    _ => throw new PdfFormatException($"A PNG-predicted row has filter type {type}."),
                });
            }

            row.CopyTo(previous);
        }

        return output;

        static int Paeth(int a, int b, int c)
        {
            var p = a + b - c;
            var pa = Math.Abs(p - a);
            var pb = Math.Abs(p - b);
            var pc = Math.Abs(p - c);
            return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
        }
    }

    /// <summary>The offset the last <c>startxref</c> names.</summary>
    private long LastStartXref()
    {
        var tailStart = Math.Max(0, Length - TailBytes);
        var tail = ReadAt(tailStart, (int)(Length - tailStart));
        var at = tail.AsSpan().LastIndexOf("startxref"u8);
        if (at < 0)
        {
            throw new PdfFormatException("No 'startxref' near the end of the file (truncated, or not a PDF).");
        }

        if (tail.AsSpan(at).IndexOf("%%EOF"u8) < 0)
        {
            throw new PdfFormatException("No '%%EOF' after the last 'startxref' (the file is truncated).");
        }

        var parser = new PdfParser(tail.AsMemory(at + 9), tailStart + at + 9, atEndOfFile: true);
        var offset = parser.ReadLong("startxref offset");
        return offset < Length ? offset : throw new PdfFormatException($"startxref names byte {offset}, past the end of the file.");
    }

    /// <summary>Parses the indirect object at <paramref name="offset"/>, growing the window when it is larger than the first read.</summary>
    private (int Number, int Generation, PdfObject Value) ParseAt(long offset, int? expected = null)
    {
        if (offset < 0 || offset >= Length)
        {
            throw new PdfFormatException($"An object offset {offset} lies outside the file" + (expected is { } e ? $" (object {e})." : "."));
        }

        for (var window = 4096; ; window *= 8)
        {
            var bytes = ReadAt(offset, window);
            var atEnd = offset + bytes.Length >= Length;
            try
            {
                return new PdfParser(bytes, offset, atEnd).ReadIndirectObject();
            }
            catch (WindowExhaustedException) when (!atEnd && window < MaxObjectBytes)
            {
            }
            catch (WindowExhaustedException)
            {
                throw new PdfFormatException($"The object at byte {offset} is larger than {MaxObjectBytes} bytes.");
            }
        }
    }

    private XrefSection ReadSection(long offset)
    {
        // Some writers (e.g. @signpdf's placeholder-plain) point startxref at the end of line just before "xref":
        // white space there is skipped, as every mainstream reader does; nothing else is guessed.
        var head = ReadAt(offset, 36);
        var skip = 0;
        while (skip < head.Length - 4 && PdfParser.IsWhite(head[skip]))
        {
            skip++;
        }

        return head.AsSpan(skip).StartsWith("xref"u8) ? ReadTable(offset + skip) : ReadXrefStream(offset, hybrid: false);
    }

    /// <summary>A classic table (§7.5.4) and its trailer; a hybrid file's /XRefStm entries are added where the table has none.</summary>
    private XrefSection ReadTable(long offset)
    {
        var entries = new Dictionary<int, XrefEntry>();
        for (var window = 65536; ; window *= 4)
        {
            var bytes = ReadAt(offset, window);
            var atEnd = offset + bytes.Length >= Length;
            try
            {
                entries.Clear();
                var parser = new PdfParser(bytes, offset, atEnd);
                parser.ExpectKeyword("xref");
                while (!parser.TryKeyword("trailer"))
                {
                    var first = parser.ReadInteger("first object number of a subsection");
                    var count = parser.ReadInteger("entry count of a subsection");
                    if (count > 10_000_000 || (long)first + count > int.MaxValue)
                    {
                        throw new PdfFormatException($"A cross-reference subsection at byte {parser.Offset} is too large.");
                    }

                    for (var i = 0; i < count; i++)
                    {
                        var field = parser.ReadLong("entry offset");
                        var generation = parser.ReadLong("entry generation");
                        var kind = parser.TryKeyword("n") ? 1 : parser.TryKeyword("f") ? 0 : throw new PdfFormatException($"A cross-reference entry lacks 'n' or 'f' at byte {parser.Offset}.");
                        entries[first + i] = new XrefEntry(kind, field, generation);
                    }
                }

                if (parser.ReadObject() is not PdfDictionary trailer)
                {
                    throw new PdfFormatException($"The trailer after the table at byte {offset} is not a dictionary.");
                }

                var section = new XrefSection(offset, trailer, entries, IsStream: false, parser.Offset);
                if (trailer["XRefStm"] is { } hybrid)
                {
                    var at = hybrid is PdfNumber { AsLong: { } h } && h >= 0 && h < Length ? h : throw new PdfFormatException("The trailer's /XRefStm is not a valid offset.");
                    var stream = ReadXrefStream(at, hybrid: true);
                    foreach (var (number, entry) in stream.Entries)
                    {
                        entries.TryAdd(number, entry);
                    }
                }

                return section;
            }
            catch (WindowExhaustedException) when (!atEnd && window < MaxStreamBytes)
            {
            }
            catch (WindowExhaustedException)
            {
                throw new PdfFormatException($"The cross-reference table at byte {offset} is larger than {MaxStreamBytes} bytes.");
            }
        }
    }

    /// <summary>An xref stream (§7.5.8).</summary>
    private XrefSection ReadXrefStream(long offset, bool hybrid)
    {
        PdfObject value;
        long end;
        try
        {
            (_, _, value) = ParseAt(offset);
        }
        catch (PdfFormatException e)
        {
            throw new PdfFormatException((hybrid ? $"The /XRefStm of a hybrid file names byte {offset}, where no cross-reference stream is" : $"No cross-reference table or stream at byte {offset}") + $": {e.Message}", e);
        }

        if (value is not PdfStream { Dictionary: var dictionary } stream || dictionary.NameOf("Type") != "XRef")
        {
            throw new PdfFormatException($"The object at byte {offset} is not a cross-reference stream" + (hybrid ? " (/XRefStm of a hybrid file)." : "."));
        }

        // The section's end (for the %%EOF search) is after the stream's data.
        end = stream.DataOffset + (dictionary["Length"] is PdfNumber { AsLong: { } l } ? l : 0);
        var data = ReadStreamData(stream, _sections.Count);
        var widths = dictionary["W"] is PdfArray { Items.Count: 3 } w && w.Items.All(i => i is PdfNumber { AsLong: >= 0 and <= 8 })
            ? w.Items.Select(i => (int)((PdfNumber)i).AsLong!.Value).ToArray()
            : throw new PdfFormatException("An xref stream's /W is not three widths of 0–8 bytes.");
        var size = dictionary["Size"] is PdfNumber { AsLong: { } s } && s >= 0 && s <= 10_000_000 ? (int)s : throw new PdfFormatException("An xref stream lacks a valid /Size.");
        var index = dictionary["Index"] switch
        {
            null => [0L, size],
            PdfArray a when a.Items.Count % 2 == 0 && a.Items.All(i => i is PdfNumber { AsLong: >= 0 }) => a.Items.Select(i => ((PdfNumber)i).AsLong!.Value).ToArray(),
            _ => throw new PdfFormatException("An xref stream's /Index is not pairs of non-negative integers."),
        };
        var rowLength = widths.Sum();
        if (rowLength == 0)
        {
            throw new PdfFormatException("An xref stream's /W sums to zero.");
        }

        var entries = new Dictionary<int, XrefEntry>();
        var position = 0;
        for (var i = 0; i < index.Length; i += 2)
        {
            var (first, count) = (index[i], index[i + 1]);
            if (first + count > int.MaxValue || count > 10_000_000)
            {
                throw new PdfFormatException("An xref stream's /Index names objects out of range.");
            }

            for (var k = 0; k < count; k++)
            {
                if (position + rowLength > data.Length)
                {
                    throw new PdfFormatException("An xref stream holds fewer entries than its /Index names.");
                }

                var row = data.AsSpan(position, rowLength);
                position += rowLength;
                var type = widths[0] == 0 ? 1 : Field(row[..widths[0]]);
                var f2 = Field(row.Slice(widths[0], widths[1]));
                var f3 = Field(row.Slice(widths[0] + widths[1], widths[2]));
                entries[(int)(first + k)] = new XrefEntry((int)Math.Min(type, 3), f2, f3);
            }
        }

        return new XrefSection(offset, dictionary, entries, IsStream: true, end);

        static long Field(ReadOnlySpan<byte> bytes)
        {
            long v = 0;
            foreach (var b in bytes)
            {
                if (v > (long.MaxValue >> 8))
                {
                    throw new PdfFormatException("An xref stream field overflows.");
                }

                v = (v << 8) | b;
            }

            return v;
        }
    }

    private PdfObject ReadFromObjectStream(int number, int streamNumber, int index, int revision)
    {
        if (!_objectStreams.TryGetValue(streamNumber, out var objectStream))
        {
            if (FindEntry(streamNumber, revision) is not { Type: 1 } entry)
            {
                throw new PdfFormatException($"Object {number} is said to be in object stream {streamNumber}, which is not a plain object.");
            }

            var (_, _, value) = ParseAt(entry.Field2, streamNumber);
            if (value is not PdfStream { Dictionary: var dictionary } stream || dictionary.NameOf("Type") != "ObjStm")
            {
                throw new PdfFormatException($"Object {streamNumber} is not an object stream.");
            }

            var first = dictionary["First"] is PdfNumber { AsLong: { } f } && f >= 0 ? (int)f : throw new PdfFormatException($"Object stream {streamNumber} lacks /First.");
            objectStream = (dictionary, ReadStreamData(stream, revision), first);
            _objectStreams[streamNumber] = objectStream;
        }

        var (header, data, firstOffset) = objectStream;
        var n = header["N"] is PdfNumber { AsLong: { } count } && count >= 0 && count <= 1_000_000 ? (int)count : throw new PdfFormatException($"Object stream {streamNumber} lacks /N.");
        if (index >= n || firstOffset > data.Length)
        {
            throw new PdfFormatException($"Object {number} is entry {index} of object stream {streamNumber}, which has {n}.");
        }

        var pairs = new PdfParser(data.AsMemory(0, firstOffset), 0, atEndOfFile: true);
        long objectOffset = -1;
        for (var i = 0; i <= index; i++)
        {
            var objectNumber = pairs.ReadLong("object number in an object stream");
            var relative = pairs.ReadLong("offset in an object stream");
            if (i == index)
            {
                if (objectNumber != number)
                {
                    throw new PdfFormatException($"Entry {index} of object stream {streamNumber} is object {objectNumber}, not {number}.");
                }

                objectOffset = firstOffset + relative;
            }
        }

        if (objectOffset < 0 || objectOffset >= data.Length)
        {
            throw new PdfFormatException($"Object {number} lies outside object stream {streamNumber}.");
        }

        // Objects in an object stream carry no file offsets: their strings' Start/End are relative to the stream.
        return new PdfParser(data.AsMemory((int)objectOffset), 0, atEndOfFile: true).ReadObject();
    }

    /// <summary>The end of the revision whose xref section is <paramref name="section"/>: just after the <c>%%EOF</c> that follows it (and its end of line).</summary>
    public long RevisionEnd(XrefSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var from = section.End;
        var window = ReadAt(from, (int)Math.Min(64 * 1024, Length - from));
        var at = window.AsSpan().IndexOf("%%EOF"u8);
        if (at < 0)
        {
            throw new PdfFormatException($"No %%EOF after the cross-reference section at byte {section.Offset}.");
        }

        var end = from + at + 5;
        if (end < Length && window[at + 5] == '\r')
        {
            end++;
        }

        if (end < Length && window[(int)(end - from)] == '\n')
        {
            end++;
        }

        return end;
    }

    /// <summary>Text of a name or string value.</summary>
    public static string? Text(PdfObject? value) => value switch
    {
        PdfName n => n.Value,
        PdfString s => s.Bytes.Length >= 2 && s.Bytes[0] == 0xFE && s.Bytes[1] == 0xFF ? Encoding.BigEndianUnicode.GetString(s.Bytes, 2, s.Bytes.Length - 2) : s.Text,
        _ => null,
    };
}

/// <summary>One cross-reference entry: type 0 free, 1 at file offset <see cref="Field2"/>, 2 in object stream <see cref="Field2"/> at index <see cref="Field3"/>.</summary>
internal sealed record XrefEntry(int Type, long Field2, long Field3);

/// <summary>A cross-reference section (a table with its trailer, or an xref stream) and the entries it defines.</summary>
/// <param name="Offset">Where it starts (what startxref or /Prev names).</param>
/// <param name="Trailer">The trailer dictionary (for a stream, its dictionary).</param>
/// <param name="Entries">The entries it defines.</param>
/// <param name="IsStream">True for an xref stream.</param>
/// <param name="End">The offset just after the trailer (or the stream's data).</param>
internal sealed record XrefSection(long Offset, PdfDictionary Trailer, IReadOnlyDictionary<int, XrefEntry> Entries, bool IsStream, long End);
