namespace Jpki.Signing.Xades;

/// <summary>How <see cref="XadesSigner"/> builds a signature.</summary>
public sealed record XadesSignOptions
{
    /// <summary>Enveloped (default), enveloping or detached.</summary>
    public XmlSignaturePlacement Placement { get; init; } = XmlSignaturePlacement.Enveloped;

    /// <summary>
    /// Enveloped only: sign the element carrying this Id instead of the whole document. The signature is appended to
    /// the root element; when that is outside the signed element, other signatures can be added beside it later
    /// (parallel signatures), each valid on its own. Null: the whole document.
    /// </summary>
    public string? ReferenceId { get; init; }

    /// <summary>Detached only: the URI the reference names — the signed file's name, as the verifier will be given it. Default <c>document</c>.</summary>
    public string? DetachedUri { get; init; }

    /// <summary>True for inclusive Canonical XML 1.0 of SignedInfo and the signed data; false (default) for exclusive C14N, which keeps a signed element valid when it is moved into another document.</summary>
    public bool InclusiveCanonicalization { get; init; }

    /// <summary>The MIME type xades:DataObjectFormat states for the signed data; default <c>text/xml</c> (enveloped, enveloping) or <c>application/octet-stream</c> (detached).</summary>
    public string? MimeType { get; init; }

    /// <summary>False for plain XMLDSig: no xades:QualifyingProperties (no signed signing time, no signing-certificate binding). Default true (XAdES B-B).</summary>
    public bool Xades { get; init; } = true;

    /// <summary>Where the signature is logged (event 6101: format, level, the signer certificate's serial and issuer). Default null: nowhere.</summary>
    public Microsoft.Extensions.Logging.ILogger? Logger { get; init; }
}
