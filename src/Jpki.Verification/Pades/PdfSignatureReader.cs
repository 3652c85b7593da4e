using System.Formats.Asn1;
using System.Security.Cryptography;

namespace Jpki.Verification.Pades;

/// <summary>
/// Finds the signature dictionaries of a PDF — in the AcroForm of every revision, so a signature later removed from the
/// form is still seen — and checks each one's <c>/ByteRange</c> strictly: <c>[0 b c d]</c> with the gap
/// <c>[b, c)</c> exactly the hex <c>/Contents</c> token of that dictionary, and <c>c + d</c> the end of a revision
/// (just after a <c>%%EOF</c>). What is wrong is in <see cref="PdfSignatureField.Problem"/>, never an exception.
/// </summary>
internal static class PdfSignatureReader
{
    private const int MaxFields = 10_000;

    /// <summary>The signature fields, oldest revision first.</summary>
    /// <exception cref="PdfFormatException">The file's structure (xref chain, catalog) is unreadable.</exception>
    public static IReadOnlyList<PdfSignatureField> Read(PdfFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var revisionEnds = file.Sections.Select(file.RevisionEnd).ToList();
        var found = new Dictionary<long, PdfSignatureField>();
        for (var revision = file.Sections.Count - 1; revision >= 0; revision--)
        {
            var trailer = file.Sections[revision].Trailer;
            if (file.Resolve(trailer["Root"], revision) is not PdfDictionary catalog)
            {
                throw new PdfFormatException($"The catalog of revision {file.Sections.Count - revision} cannot be read.");
            }

            if (file.Resolve(catalog["AcroForm"], revision) is not PdfDictionary acroForm)
            {
                continue;
            }

            var visited = new HashSet<int>();
            var queue = new Queue<(PdfObject Field, string? InheritedType, int Depth)>();
            foreach (var field in (file.Resolve(acroForm["Fields"], revision) as PdfArray)?.Items ?? [])
            {
                queue.Enqueue((field, null, 0));
            }

            while (queue.Count > 0)
            {
                var (value, inherited, depth) = queue.Dequeue();
                if (value is PdfReference r && !visited.Add(r.Number))
                {
                    continue;
                }

                if (visited.Count > MaxFields || depth > 32)
                {
                    throw new PdfFormatException("The AcroForm has too many fields, or fields nested too deep.");
                }

                if (file.Resolve(value, revision) is not PdfDictionary field)
                {
                    continue;
                }

                var type = field.NameOf("FT") ?? inherited;
                foreach (var kid in (file.Resolve(field["Kids"], revision) as PdfArray)?.Items ?? [])
                {
                    queue.Enqueue((kid, type, depth + 1));
                }

                if (type != "Sig" || field["V"] is not PdfReference signatureReference)
                {
                    continue;
                }

                var dictionary = file.GetObject(signatureReference.Number, revision, out var offset);
                if (offset >= 0 && found.ContainsKey(offset))
                {
                    continue;
                }

                var name = PdfFile.Text(field["T"]) ?? $"object {signatureReference.Number}";
                var signatureField = Check(file, name, dictionary as PdfDictionary, offset, revisionEnds);
                found[offset >= 0 ? offset : -1 - found.Count] = signatureField;
            }
        }

        return [.. found.Values.OrderBy(f => f.RevisionEnd).ThenBy(f => f.Name, StringComparer.Ordinal)];
    }

    private static PdfSignatureField Check(PdfFile file, string name, PdfDictionary? dictionary, long offset, List<long> revisionEnds)
    {
        if (dictionary is null)
        {
            return PdfSignatureField.Broken(name, "The field's /V is not a signature dictionary.");
        }

        var subFilter = dictionary.NameOf("SubFilter");
        var type = dictionary.NameOf("Type") ?? "Sig";
        if (type is not ("Sig" or "DocTimeStamp"))
        {
            return PdfSignatureField.Broken(name, $"The signature dictionary has /Type /{type}.");
        }

        if (offset < 0)
        {
            return PdfSignatureField.Broken(name, "The signature dictionary is inside an object stream, so its /Contents has no place in the file the /ByteRange could exclude.");
        }

        if (dictionary["ByteRange"] is not PdfArray { Items.Count: 4 } array || !array.Items.All(i => i is PdfNumber { AsLong: >= 0 }))
        {
            return PdfSignatureField.Broken(name, "The /ByteRange is not four non-negative integers.");
        }

        var range = array.Items.Select(i => ((PdfNumber)i).AsLong!.Value).ToArray();
        if (dictionary["Contents"] is not PdfString { Hex: true } contents)
        {
            return PdfSignatureField.Broken(name, "The /Contents is not a hex string.");
        }

        var field = new PdfSignatureField
        {
            Name = name,
            Type = type,
            SubFilter = subFilter,
            ByteRange = range,
            RevisionEnd = range[2] + range[3],
            SigningTimeText = PdfFile.Text(dictionary["M"]),
            Reason = PdfFile.Text(dictionary["Reason"]),
            DictionaryOffset = offset,
        };
        if (range[0] != 0 || range[1] <= 0 || range[2] <= range[1] || range[2] + range[3] > file.Length)
        {
            return field with { Problem = $"The /ByteRange [{string.Join(' ', range)}] does not start at 0, has no gap, or runs past the end of the file ({file.Length} bytes)." };
        }

        if (contents.Start != range[1] || contents.End != range[2])
        {
            return field with { Problem = $"The gap of the /ByteRange (bytes {range[1]}–{range[2]}) is not exactly this signature's /Contents (bytes {contents.Start}–{contents.End}): the signed bytes may hide another /Contents." };
        }

        if (!revisionEnds.Contains(range[2] + range[3]))
        {
            return field with { Problem = $"The /ByteRange ends at byte {range[2] + range[3]}, which is not the end of a revision (after %%EOF): the signature does not cover a whole revision." };
        }

        var der = TrimPadding(contents.Bytes);
        return der is null
            ? field with { Problem = "The /Contents does not hold one DER structure followed only by zero padding." }
            : field with { Contents = der };
    }

    /// <summary>The DER value at the start of <paramref name="bytes"/> when only zero bytes follow it.</summary>
    private static byte[]? TrimPadding(byte[] bytes)
    {
        try
        {
            if (!AsnDecoder.TryReadEncodedValue(bytes, AsnEncodingRules.BER, out _, out _, out var length, out var consumed))
            {
                return null;
            }

            _ = length;
            return bytes.AsSpan(consumed).ContainsAnyExcept((byte)0) ? null : bytes[..consumed];
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    /// <summary>Hashes the byte ranges <paramref name="range"/> from <paramref name="stream"/> in blocks.</summary>
    public static byte[] HashRanges(Stream stream, IReadOnlyList<long> range, HashAlgorithmName algorithm)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(range);
        using var hash = IncrementalHash.CreateHash(algorithm);
        var buffer = new byte[81920];
        for (var i = 0; i < range.Count; i += 2)
        {
            stream.Position = range[i];
            var left = range[i + 1];
            while (left > 0)
            {
                var read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                if (read == 0)
                {
                    throw new PdfFormatException("The file ended inside a /ByteRange.");
                }

                hash.AppendData(buffer, 0, read);
                left -= read;
            }
        }

        return hash.GetHashAndReset();
    }
}

/// <summary>A signature field of a PDF and what its dictionary says.</summary>
internal sealed record PdfSignatureField
{
    public required string Name { get; init; }

    /// <summary><c>Sig</c> or <c>DocTimeStamp</c>.</summary>
    public string Type { get; init; } = "Sig";

    public string? SubFilter { get; init; }

    public IReadOnlyList<long> ByteRange { get; init; } = [];

    /// <summary>The end of the revision the signature covers (<c>c + d</c>).</summary>
    public long RevisionEnd { get; init; }

    /// <summary>The <c>/M</c> text.</summary>
    public string? SigningTimeText { get; init; }

    public string? Reason { get; init; }

    public long DictionaryOffset { get; init; } = -1;

    /// <summary>The DER CMS (or time-stamp token), padding removed; null when <see cref="Problem"/> is set.</summary>
    public byte[]? Contents { get; init; }

    /// <summary>Why the field is not a well-formed signature; null when it is.</summary>
    public string? Problem { get; init; }

    public static PdfSignatureField Broken(string name, string problem) => new() { Name = name, Problem = problem };

    /// <summary>The <c>/M</c> date as a time, when it parses (D:YYYYMMDDHHmmSS with Z or ±HH'mm').</summary>
    public DateTimeOffset? SigningTime
    {
        get
        {
            var text = SigningTimeText;
            if (text is null || !text.StartsWith("D:", StringComparison.Ordinal) || text.Length < 16)
            {
                return null;
            }

            var core = text[2..16];
            var zone = text[16..].Replace("'", string.Empty, StringComparison.Ordinal);
            var offset = zone is "" or "Z" or "Z00" or "Z0000" ? "+00:00" : zone.Length >= 5 ? $"{zone[..3]}:{zone[3..5]}" : null;
            return offset is not null && DateTimeOffset.TryParseExact(core + offset, "yyyyMMddHHmmsszzz", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var time) ? time : null;
        }
    }
}
