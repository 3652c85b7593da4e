using System.Globalization;
using System.Text;
using Jpki.Verification.Pades;

namespace Jpki.Signing.Pades;

/// <summary>
/// An incremental update (ISO 32000-1 §7.5.6) appended after the last byte of a PDF: new and changed objects, then a
/// cross-reference section of the same kind the file's last section is (a table, or an xref stream for PDF 1.5+
/// files) with <c>/Prev</c> naming it, the trailer's <c>/Root</c>, <c>/Info</c> and <c>/ID</c> carried over, and
/// <c>startxref</c> / <c>%%EOF</c>. Earlier bytes are never touched, so earlier signatures stay valid. At most one
/// object may be a signature dictionary whose <c>/ByteRange</c> and <c>/Contents</c> are placeholders filled later.
/// </summary>
internal sealed class PdfIncrementalUpdate
{
    /// <summary>Room reserved for <c>[0 b c d]</c>: four numbers of up to 15 digits.</summary>
    private const int ByteRangeWidth = 66;

    private readonly PdfFile _file;
    private readonly List<(int Number, int Generation, Action<StringBuilder, Marks> Write)> _objects = [];
    private int _next;

    public PdfIncrementalUpdate(PdfFile file)
    {
        _file = file;
        _next = file.Trailer["Size"] is PdfNumber { AsLong: { } size } && size > 0 && size < 8_000_000 ? (int)size : throw new PdfFormatException("The trailer lacks a valid /Size.");
    }

    /// <summary>A new object number.</summary>
    public int Allocate() => _next++;

    /// <summary>Writes <paramref name="value"/> as object <paramref name="number"/> (new, or a new version of an existing one).</summary>
    public void Put(int number, int generation, PdfObject value)
        => _objects.Add((number, generation, (text, _) => PdfSerializer.Write(text, value)));

    /// <summary>Writes a stream (no filter) with <paramref name="data"/>, which must be Latin-1 safe bytes (written as is).</summary>
    public void PutStream(int number, PdfDictionary dictionary, byte[] data)
        => _objects.Add((number, 0, (text, _) =>
        {
            PdfSerializer.Write(text, dictionary.With("Length", PdfNumber.Of(data.Length)));
            text.Append("\nstream\n").Append(Encoding.Latin1.GetString(data)).Append("\nendstream");
        }));

    /// <summary>Writes the signature dictionary: <paramref name="dictionary"/>'s entries, then a <c>/ByteRange</c> placeholder and <c>/Contents</c> of <paramref name="contentsBytes"/> zero bytes.</summary>
    public void PutSignature(int number, PdfDictionary dictionary, int contentsBytes)
        => _objects.Add((number, 0, (text, marks) =>
        {
            text.Append("<<");
            foreach (var (key, value) in dictionary.Entries)
            {
                PdfSerializer.WriteName(text, key);
                text.Append(' ');
                PdfSerializer.Write(text, value);
            }

            text.Append("/ByteRange ");
            marks.ByteRange = text.Length;
            text.Append(' ', ByteRangeWidth).Append("/Contents ");
            marks.ContentsStart = text.Length;
            text.Append('<').Append('0', contentsBytes * 2).Append('>');
            marks.ContentsEnd = text.Length;
            text.Append(">>");
        }));

    /// <summary>
    /// The update's bytes for a file of <paramref name="originalLength"/> bytes (an end of line first when the file does
    /// not end with one), and the positions (relative to the update) of the signature's placeholders, if any.
    /// </summary>
    public (byte[] Bytes, Marks Marks) Build(long originalLength, bool endsWithEol)
    {
        var text = new StringBuilder();
        if (!endsWithEol)
        {
            text.Append('\n');
        }

        var marks = new Marks();
        var offsets = new SortedDictionary<int, (long Offset, int Generation)>();
        foreach (var (number, generation, write) in _objects)
        {
            offsets[number] = (originalLength + text.Length, generation);
            text.Append(number).Append(' ').Append(generation).Append(" obj\n");
            var local = new Marks();
            write(text, local);
            if (local.ContentsStart > 0)
            {
                marks = new Marks { ByteRange = local.ByteRange, ContentsStart = local.ContentsStart, ContentsEnd = local.ContentsEnd };
            }

            text.Append("\nendobj\n");
        }

        var last = _file.Sections[0];
        var trailer = new List<KeyValuePair<string, PdfObject>>();
        foreach (var key in (string[])["Root", "Info", "ID"])
        {
            if (_file.Trailer[key] is { } value)
            {
                trailer.Add(new(key, value));
            }
        }

        trailer.Add(new("Prev", PdfNumber.Of(last.Offset)));
        var xrefOffset = originalLength + text.Length;
        if (last.IsStream)
        {
            var number = Allocate();
            offsets[number] = (xrefOffset, 0);
            var width = offsets.Values.Max(o => o.Offset) < uint.MaxValue ? 4 : 8;
            var data = new List<byte>();
            var index = new List<PdfObject>();
            foreach (var run in Runs(offsets.Keys))
            {
                index.Add(PdfNumber.Of(run.First));
                index.Add(PdfNumber.Of(run.Count));
                for (var n = run.First; n < run.First + run.Count; n++)
                {
                    var (offset, generation) = offsets[n];
                    data.Add(1);
                    for (var b = width - 1; b >= 0; b--)
                    {
                        data.Add(unchecked((byte)(offset >> (8 * b))));
                    }

                    data.Add(unchecked((byte)(generation >> 8)));
                    data.Add(unchecked((byte)generation));
                }
            }

            var dictionary = new PdfDictionary([
                new("Type", new PdfName("XRef")),
                new("Size", PdfNumber.Of(_next)),
                new("W", new PdfArray([PdfNumber.Of(1), PdfNumber.Of(width), PdfNumber.Of(2)])),
                new("Index", new PdfArray(index)),
                .. trailer,
                new("Length", PdfNumber.Of(data.Count)),
            ]);
            text.Append(number).Append(" 0 obj\n");
            PdfSerializer.Write(text, dictionary);
            text.Append("\nstream\n").Append(Encoding.Latin1.GetString([.. data])).Append("\nendstream\nendobj\n");
        }
        else
        {
            text.Append("xref\n");
            foreach (var run in Runs(offsets.Keys))
            {
                text.Append(run.First).Append(' ').Append(run.Count).Append('\n');
                for (var n = run.First; n < run.First + run.Count; n++)
                {
                    var (offset, generation) = offsets[n];
                    text.Append(offset.ToString("D10", CultureInfo.InvariantCulture)).Append(' ').Append(generation.ToString("D5", CultureInfo.InvariantCulture)).Append(" n\r\n");
                }
            }

            text.Append("trailer\n");
            PdfSerializer.Write(text, new PdfDictionary([new("Size", PdfNumber.Of(_next)), .. trailer]));
            text.Append('\n');
        }

        text.Append("startxref\n").Append(xrefOffset).Append("\n%%EOF\n");
        return (Encoding.Latin1.GetBytes(text.ToString()), marks);
    }

    /// <summary>The ByteRange text for the placeholder, padded to its width.</summary>
    public static byte[] ByteRangeText(long[] range)
    {
        var text = $"[{range[0]} {range[1]} {range[2]} {range[3]}]";
        return Encoding.ASCII.GetBytes(text.PadRight(ByteRangeWidth));
    }

    private static IEnumerable<(int First, int Count)> Runs(IEnumerable<int> numbers)
    {
        int? first = null;
        var count = 0;
        foreach (var n in numbers)
        {
            if (first is { } f && n == f + count)
            {
                count++;
                continue;
            }

            if (first is { } done)
            {
                yield return (done, count);
            }

            first = n;
            count = 1;
        }

        if (first is { } end)
        {
            yield return (end, count);
        }
    }

    /// <summary>Positions in the update text (Latin-1, so characters are bytes).</summary>
    internal sealed class Marks
    {
        public int ByteRange { get; set; }

        public int ContentsStart { get; set; }

        public int ContentsEnd { get; set; }
    }
}
