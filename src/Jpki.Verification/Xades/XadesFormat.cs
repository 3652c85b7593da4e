using System.Xml;
using Jpki.Verification.Signatures;

namespace Jpki.Verification.Xades;

/// <summary>
/// XML signatures as XAdES (ETSI EN 319 132-1, JIS X 5093): every ds:Signature of an XML document — enveloped,
/// enveloping, or a detached signature file given with its signed file — with its references checked by
/// <see cref="XmlReferenceResolver"/> (System.Security.Cryptography.Xml's canonicalisers), its SignedInfo signature
/// value, and the XAdES properties up to B-LTA. The XML is read without DTDs or external resources; signature-wrapping
/// tricks (ambiguous Ids, an enveloped reference that does not contain its signature) are refused.
/// </summary>
internal sealed class XadesFormat : ISignatureFormat
{
    /// <summary>At most this many ds:Signature elements are checked in one document (a document with more is refused).</summary>
    internal const int MaxSignatures = 64;

    public string Name => "XAdES";

    public bool Detect(SignedDocument document, ReadOnlySpan<byte> head) => SecureXml.LooksLikeXml(head);

    public async Task<IReadOnlyList<SignatureReport>> ValidateAsync(SignedDocument document, SignatureValidationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(context);
        ReadOnlyMemory<byte> xml;
        byte[]? detached = null;
        try
        {
            xml = await document.SignatureSource.ReadAllAsync(context.Options.MaxSignatureBytes, cancellationToken).ConfigureAwait(false);
            if (document.DetachedSignature is not null)
            {
                detached = (await document.Document.ReadAllAsync(context.Options.MaxSignatureBytes, cancellationToken).ConfigureAwait(false)).ToArray();
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return [await context.EvaluateAsync(XmlSignatureInspector.Failed("signature-1", SignatureFailure.Format(e.Message)), cancellationToken).ConfigureAwait(false)];
        }

        var gathered = Gather(xml, detached, document.Document.Name, context.Options.MaxSignatureBytes);
        if (gathered.Count == 0)
        {
            gathered = [XmlSignatureInspector.Failed("signature-1", SignatureFailure.Format("The XML document holds no ds:Signature (XML Signature namespace http://www.w3.org/2000/09/xmldsig#): there is nothing to verify."))];
        }

        var reports = new List<SignatureReport>();
        foreach (var evidence in gathered)
        {
            cancellationToken.ThrowIfCancellationRequested();
            reports.Add(await context.EvaluateAsync(evidence, cancellationToken).ConfigureAwait(false));
        }

        return reports;
    }

    /// <summary>The evidence of every ds:Signature of <paramref name="xml"/>; one FORMAT_FAILURE evidence when the XML itself is refused.</summary>
    /// <param name="xml">The XML holding the signatures.</param>
    /// <param name="detached">The signed file of a detached signature, or null.</param>
    /// <param name="detachedName">Its file name, matched against the references' URIs.</param>
    /// <param name="maxCharacters">The largest document read.</param>
    internal static IReadOnlyList<SignatureEvidence> Gather(ReadOnlyMemory<byte> xml, byte[]? detached, string? detachedName, long maxCharacters)
    {
        XmlDocument parsed;
        try
        {
            parsed = SecureXml.Load(xml, maxCharacters);
        }
        catch (XmlException e)
        {
            var message = e.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase)
                ? "The XML has a document type declaration (DTD); DTDs and entities are refused, so no external entity is ever resolved."
                : $"The input is not well-formed XML: {e.Message}";
            return [XmlSignatureInspector.Failed("signature-1", SignatureFailure.Format(message))];
        }

        var signatures = parsed.GetElementsByTagName("Signature", XmlDsigNames.Ds).Cast<XmlElement>().ToList();
        if (signatures.Count > MaxSignatures)
        {
            return [XmlSignatureInspector.Failed("signature-1", SignatureFailure.Format($"The document holds {signatures.Count} signatures; at most {MaxSignatures} are checked."))];
        }

        var ids = new XmlIdIndex(parsed);
        var resolver = new XmlReferenceResolver(parsed, ids, Detached(detached, detachedName, signatures));
        return [.. signatures.Select((s, i) => XmlSignatureInspector.Inspect(s, $"signature-{i + 1}", resolver))];
    }

    /// <summary>
    /// Resolves a detached reference's URI to the given file: by its name, or — when the signatures reference one
    /// external file only — whatever its name, since a file is often renamed after signing.
    /// </summary>
    private static Func<string, byte[]?> Detached(byte[]? detached, string? name, List<XmlElement> signatures)
    {
        if (detached is null)
        {
            return _ => null;
        }

        var external = signatures
            .SelectMany(s => s.GetElementsByTagName("Reference", XmlDsigNames.Ds).Cast<XmlElement>())
            .Select(r => r.GetAttribute("URI"))
            .Where(u => u.Length > 0 && u[0] != '#')
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return uri => external.Count == 1 || string.Equals(Uri.UnescapeDataString(uri), name, StringComparison.Ordinal) ? detached : null;
    }
}
