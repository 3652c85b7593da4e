using System.Xml;

namespace Jpki.Verification.Xades;

/// <summary>
/// Reads XML the way a signature verifier must: no DTD (a DOCTYPE is an error, so no entity expansion and no
/// external entities — XXE), no resolver (nothing is ever fetched), whitespace preserved (it is signed), and a bound on
/// the characters read.
/// </summary>
internal static class SecureXml
{
    /// <summary>Parses <paramref name="bytes"/>.</summary>
    /// <exception cref="XmlException">Not well-formed, has a DTD, or is longer than <paramref name="maxCharacters"/>.</exception>
    public static XmlDocument Load(ReadOnlyMemory<byte> bytes, long maxCharacters = 64L * 1024 * 1024)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersFromEntities = 1024,
            MaxCharactersInDocument = maxCharacters,
            IgnoreWhitespace = false,
            IgnoreComments = false,
            IgnoreProcessingInstructions = false,
            CloseInput = true,
        };
        var document = NewDocument();
        var segment = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(bytes, out var array) ? array : new ArraySegment<byte>(bytes.ToArray());
        using var stream = new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false);
        using var reader = XmlReader.Create(stream, settings);
        document.Load(reader);
        return document;
    }

    /// <summary>An empty document that preserves whitespace and resolves nothing.</summary>
    public static XmlDocument NewDocument() => new() { PreserveWhitespace = true, XmlResolver = null };

    /// <summary>True when <paramref name="head"/> (the first bytes of a file) looks like XML: optional BOM and whitespace, then <c>&lt;</c>.</summary>
    public static bool LooksLikeXml(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            head = head[3..];
        }

        foreach (var b in head)
        {
            switch (b)
            {
                case (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n':
                    continue;
                case (byte)'<':
                    return true;
                default:
                    return false;
            }
        }

        return false;
    }
}
