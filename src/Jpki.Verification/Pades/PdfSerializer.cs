using System.Text;

namespace Jpki.Verification.Pades;

/// <summary>Writes PDF objects back as bytes: numbers as read, names escaped, strings as hex (binary-safe).</summary>
internal static class PdfSerializer
{
    public static void Write(StringBuilder output, PdfObject value)
    {
        ArgumentNullException.ThrowIfNull(output);
        switch (value)
        {
            case PdfNull:
                output.Append("null");
                break;
            case PdfBoolean b:
                output.Append(b.Value ? "true" : "false");
                break;
            case PdfNumber n:
                output.Append(n.Raw);
                break;
            case PdfName name:
                WriteName(output, name.Value);
                break;
            case PdfString s:
                output.Append('<').Append(Convert.ToHexString(s.Bytes)).Append('>');
                break;
            case PdfReference r:
                output.Append(r.Number).Append(' ').Append(r.Generation).Append(" R");
                break;
            case PdfArray a:
                output.Append('[');
                for (var i = 0; i < a.Items.Count; i++)
                {
                    if (i > 0)
                    {
                        output.Append(' ');
                    }

                    Write(output, a.Items[i]);
                }

                output.Append(']');
                break;
            case PdfDictionary d:
                output.Append("<<");
                foreach (var (key, item) in d.Entries)
                {
                    WriteName(output, key);
                    output.Append(' ');
                    Write(output, item);
                }

                output.Append(">>");
                break;
            default:
                throw new ArgumentException($"{value.GetType().Name} cannot be written inline (a stream is written with its data).", nameof(value));
        }
    }

    public static void WriteName(StringBuilder output, string name)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(name);
        output.Append('/');
        foreach (var c in name)
        {
            if (c is < '!' or > '~' || c == '#' || PdfParser.IsDelimiter((byte)c))
            {
                output.Append('#').Append(((int)c & 0xFF).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                output.Append(c);
            }
        }
    }

    /// <summary>A PDF date (§7.9.4) in UTC: <c>D:YYYYMMDDHHmmSSZ</c>.</summary>
    public static string Date(DateTimeOffset time) => "D:" + time.UtcDateTime.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture) + "Z";

    public static byte[] Latin1(StringBuilder text) => Encoding.Latin1.GetBytes(text.ToString());
}
