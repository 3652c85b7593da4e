using System.Globalization;
using System.Text;

namespace Jpki.Verification.Pades;

/// <summary>A PDF object (ISO 32000-1 §7.3) as read by <see cref="PdfParser"/>; only what signing and validating need.</summary>
internal abstract record PdfObject;

/// <summary>The null object (also what a free or missing object resolves to).</summary>
internal sealed record PdfNull : PdfObject
{
    public static readonly PdfNull Instance = new();
}

internal sealed record PdfBoolean(bool Value) : PdfObject;

/// <summary>An integer or real, kept as written so that an object copied into an update is written back unchanged.</summary>
internal sealed record PdfNumber(string Raw) : PdfObject
{
    /// <summary>The value as a 64-bit integer, or null for a real or an out-of-range integer.</summary>
    public long? AsLong => long.TryParse(Raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;

    public static PdfNumber Of(long value) => new(value.ToString(CultureInfo.InvariantCulture));
}

internal sealed record PdfName(string Value) : PdfObject;

/// <summary>A string; <see cref="Start"/> and <see cref="End"/> are the byte offsets of its token in the file (the delimiters included).</summary>
internal sealed record PdfString(byte[] Bytes, long Start, long End, bool Hex) : PdfObject
{
    public string Text => Encoding.Latin1.GetString(Bytes);
}

internal sealed record PdfArray(IReadOnlyList<PdfObject> Items) : PdfObject;

/// <summary>A dictionary; keys without the slash, in the order written.</summary>
internal sealed record PdfDictionary(IReadOnlyList<KeyValuePair<string, PdfObject>> Entries) : PdfObject
{
    public PdfObject? this[string key]
    {
        get
        {
            foreach (var entry in Entries)
            {
                if (entry.Key == key)
                {
                    return entry.Value;
                }
            }

            return null;
        }
    }

    /// <summary>A copy with <paramref name="key"/> set to <paramref name="value"/> (replaced in place, or appended).</summary>
    public PdfDictionary With(string key, PdfObject value)
    {
        var entries = new List<KeyValuePair<string, PdfObject>>(Entries.Count + 1);
        var replaced = false;
        foreach (var entry in Entries)
        {
            if (entry.Key == key)
            {
                if (!replaced)
                {
                    entries.Add(new(key, value));
                    replaced = true;
                }
            }
            else
            {
                entries.Add(entry);
            }
        }

        if (!replaced)
        {
            entries.Add(new(key, value));
        }

        return new PdfDictionary(entries);
    }

    public string? NameOf(string key) => this[key] is PdfName name ? name.Value : null;
}

/// <summary>An indirect reference <c>n g R</c>.</summary>
internal sealed record PdfReference(int Number, int Generation) : PdfObject
{
    public override string ToString() => $"{Number} {Generation} R";
}

/// <summary>A stream: its dictionary and where its data starts in the file (the data is read on demand).</summary>
internal sealed record PdfStream(PdfDictionary Dictionary, long DataOffset) : PdfObject;
