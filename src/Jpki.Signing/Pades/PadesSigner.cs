using System.Security.Cryptography;
using Jpki.Signing.Cades;
using Jpki.Signing.Signers;
using Jpki.Verification.Pades;

namespace Jpki.Signing.Pades;

/// <summary>
/// Signs a PDF as PAdES (ETSI EN 319 142-1): an incremental update appended to the original bytes with an invisible
/// signature field (a widget on the first page) in the AcroForm, a <c>/Sig</c> dictionary with <c>/SubFilter
/// /ETSI.CAdES.detached</c> (or <c>adbe.pkcs7.detached</c>), <c>/M</c>, a <c>/ByteRange</c> covering the whole file
/// except <c>/Contents</c>, and in <c>/Contents</c> a detached CMS made by <see cref="CadesSigner.SignDigest(ReadOnlySpan{byte}, ISigner, DateTimeOffset?)"/>
/// (signing-certificate-v2, no signing-time). The file is streamed: the byte ranges are hashed while copying.
/// </summary>
public static class PadesSigner
{
    /// <summary>Room for <c>/Contents</c> by default: a CMS with two certificates and a signature time-stamp (with the TSA certificate) fits with margin.</summary>
    public const int DefaultContentsBytes = 24 * 1024;

    /// <summary>Signs <paramref name="input"/> into <paramref name="output"/> at B-B (the card signs once).</summary>
    /// <exception cref="PdfFormatException">The input is not a PDF this signer can update.</exception>
    /// <exception cref="CryptographicException">The signer refused.</exception>
    public static void Sign(string input, string output, ISigner signer, DateTimeOffset signingTime, PadesSignOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(signer);
        using var prepared = Prepare(input, output, signingTime, options);
        prepared.Complete(CadesSigner.SignDigest(prepared.Hash(SignerKeys.HashFor(signer)), signer));
        CadesSigner.LogMade(options?.Logger, "PAdES", signer);
    }

    /// <summary>
    /// Writes the signature field and a <c>/Contents</c> placeholder (to a temporary file beside <paramref name="output"/>);
    /// the caller signs <see cref="PdfSignaturePreparation.Sha256"/> (e.g. <see cref="CadesSigner.SignDigest(ReadOnlySpan{byte}, ISigner, DateTimeOffset?)"/>, then
    /// a signature time-stamp for B-T) and calls <see cref="PdfSignaturePreparation.Complete"/>.
    /// </summary>
    /// <exception cref="PdfFormatException">The input is not a PDF this signer can update.</exception>
    public static PdfSignaturePreparation Prepare(string input, string output, DateTimeOffset signingTime, PadesSignOptions? options = null)
    {
        options ??= new PadesSignOptions();
        if (options.SubFilter is not ("ETSI.CAdES.detached" or "adbe.pkcs7.detached"))
        {
            throw new ArgumentException($"SubFilter {options.SubFilter}: use ETSI.CAdES.detached or adbe.pkcs7.detached.", nameof(options));
        }

        var entries = new List<KeyValuePair<string, PdfObject>>
        {
            new("Type", new PdfName("Sig")),
            new("Filter", new PdfName("Adobe.PPKLite")),
            new("SubFilter", new PdfName(options.SubFilter)),
            new("M", Text(PdfSerializer.Date(signingTime))),
        };
        if (options.Reason is { Length: > 0 } reason)
        {
            entries.Add(new("Reason", Text(reason)));
        }

        if (options.Location is { Length: > 0 } location)
        {
            entries.Add(new("Location", Text(location)));
        }

        return PdfSignaturePreparation.Create(input, output, (file, update) => AddField(file, update, new PdfDictionary(entries), options.ContentsBytes, "Signature"), options.ContentsBytes);
    }

    /// <summary>A PDF text string: PDFDocEncoding-safe ASCII as is, anything else UTF-16BE with a byte order mark.</summary>
    internal static PdfString Text(string value)
    {
        var ascii = value.All(c => c is >= ' ' and <= '~');
        var bytes = ascii ? System.Text.Encoding.ASCII.GetBytes(value) : [0xFE, 0xFF, .. System.Text.Encoding.BigEndianUnicode.GetBytes(value)];
        return new PdfString(bytes, -1, -1, Hex: true);
    }

    /// <summary>
    /// Adds a signature field whose value is a new dictionary (<paramref name="signature"/> + ByteRange/Contents
    /// placeholders): the field is also the widget (invisible, on the first page), added to the page's <c>/Annots</c>
    /// and the AcroForm's <c>/Fields</c> with <c>/SigFlags 3</c>. Returns the field name.
    /// </summary>
    internal static string AddField(PdfFile file, PdfIncrementalUpdate update, PdfDictionary signature, int contentsBytes, string namePrefix)
    {
        if (file.Trailer["Root"] is not PdfReference rootReference || file.Resolve(rootReference) is not PdfDictionary catalog)
        {
            throw new PdfFormatException("The trailer's /Root is not a reference to the document catalog.");
        }

        if (file.Trailer["Encrypt"] is not null)
        {
            throw new PdfFormatException("The PDF is encrypted; signing encrypted PDFs is not supported.");
        }

        var (pageReference, page) = FirstPage(file, catalog);
        var acroFormValue = catalog["AcroForm"];
        var acroForm = file.Resolve(acroFormValue) as PdfDictionary ?? new PdfDictionary([]);
        var fields = file.Resolve(acroForm["Fields"]) is PdfArray existing ? existing.Items : [];
        var names = fields.Select(f => PdfFile.Text((file.Resolve(f) as PdfDictionary)?["T"])).Where(n => n is not null).ToHashSet(StringComparer.Ordinal);
        var name = Enumerable.Range(1, int.MaxValue).Select(i => $"{namePrefix}{i}").First(n => !names.Contains(n));

        var signatureNumber = update.Allocate();
        var widgetNumber = update.Allocate();
        update.PutSignature(signatureNumber, signature, contentsBytes);
        update.Put(widgetNumber, 0, new PdfDictionary([
            new("Type", new PdfName("Annot")),
            new("Subtype", new PdfName("Widget")),
            new("FT", new PdfName("Sig")),
            new("T", Text(name)),
            new("V", new PdfReference(signatureNumber, 0)),
            new("F", PdfNumber.Of(132)),
            new("Rect", new PdfArray([PdfNumber.Of(0), PdfNumber.Of(0), PdfNumber.Of(0), PdfNumber.Of(0)])),
            new("P", pageReference),
        ]));

        var annots = file.Resolve(page["Annots"]) is PdfArray a ? a.Items : [];
        update.Put(pageReference.Number, pageReference.Generation, page.With("Annots", new PdfArray([.. annots, new PdfReference(widgetNumber, 0)])));

        var newAcroForm = acroForm
            .With("Fields", new PdfArray([.. fields, new PdfReference(widgetNumber, 0)]))
            .With("SigFlags", PdfNumber.Of(3));
        if (acroFormValue is PdfReference acroFormReference)
        {
            update.Put(acroFormReference.Number, acroFormReference.Generation, newAcroForm);
        }
        else
        {
            var acroFormNumber = update.Allocate();
            update.Put(acroFormNumber, 0, newAcroForm);
            update.Put(rootReference.Number, rootReference.Generation, catalog.With("AcroForm", new PdfReference(acroFormNumber, 0)));
        }

        return name;
    }

    /// <summary>The first leaf of the page tree (depth and loops bounded).</summary>
    private static (PdfReference Reference, PdfDictionary Page) FirstPage(PdfFile file, PdfDictionary catalog)
    {
        var node = catalog["Pages"] as PdfReference ?? throw new PdfFormatException("The catalog's /Pages is not a reference.");
        for (var depth = 0; depth < 64; depth++)
        {
            if (file.Resolve(node) is not PdfDictionary dictionary)
            {
                throw new PdfFormatException($"Page tree node {node} is not a dictionary.");
            }

            if (dictionary.NameOf("Type") == "Page")
            {
                return (node, dictionary);
            }

            if (file.Resolve(dictionary["Kids"]) is not PdfArray { Items.Count: > 0 } kids || kids.Items[0] is not PdfReference first)
            {
                throw new PdfFormatException("The page tree has no page.");
            }

            node = first;
        }

        throw new PdfFormatException("The page tree is deeper than 64 levels.");
    }
}

/// <summary>Options of <see cref="PadesSigner"/>.</summary>
public sealed record PadesSignOptions
{
    /// <summary><c>ETSI.CAdES.detached</c> (PAdES baseline, the default) or <c>adbe.pkcs7.detached</c> (PDF 1.x, "PAdES basic").</summary>
    public string SubFilter { get; init; } = "ETSI.CAdES.detached";

    /// <summary>The <c>/Reason</c>, or null.</summary>
    public string? Reason { get; init; }

    /// <summary>The <c>/Location</c>, or null.</summary>
    public string? Location { get; init; }

    /// <summary>Room reserved for the CMS in <c>/Contents</c>, in bytes.</summary>
    public int ContentsBytes { get; init; } = PadesSigner.DefaultContentsBytes;

    /// <summary>Where <see cref="PadesSigner.Sign"/> logs the signature (event 6101: format, level, the signer certificate's serial and issuer). Default null: nowhere.</summary>
    public Microsoft.Extensions.Logging.ILogger? Logger { get; init; }
}
