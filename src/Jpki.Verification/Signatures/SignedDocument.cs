namespace Jpki.Verification.Signatures;

/// <summary>
/// What <see cref="SignatureValidator"/> validates: the document (<c>jpki verify --in</c>: an enveloping CMS, a signed
/// PDF or XML, or the signed file of a detached signature) and, for a detached signature, the signature
/// (<c>--sig</c>: a <c>.p7s</c>, a detached XAdES).
/// </summary>
/// <param name="Document">The document; for a detached signature, the signed data.</param>
/// <param name="DetachedSignature">The detached signature, or null when <paramref name="Document"/> holds its signatures.</param>
public sealed record SignedDocument(DocumentSource Document, DocumentSource? DetachedSignature = null)
{
    /// <summary>The source that holds the signature: <see cref="DetachedSignature"/> when given, else <see cref="Document"/>.</summary>
    public DocumentSource SignatureSource => DetachedSignature ?? Document;
}
