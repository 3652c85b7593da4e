using System.Security.Cryptography.X509Certificates;

namespace Jpki.Verification.Signatures;

/// <summary>
/// The format-neutral facts of one signature, which a format extracts and <see cref="SignatureValidationContext.EvaluateAsync"/>
/// judges: whether the signature value and the signed data hold (the format checked them), the signing certificate,
/// the certificates and revocation data the signature embeds, the claimed signing time and the time-stamps.
/// </summary>
public sealed record SignatureEvidence
{
    /// <summary>An identifier of the signature within the document.</summary>
    public required string Id { get; init; }

    /// <summary>The family: <c>CAdES</c>, <c>XAdES</c>, <c>PAdES</c>.</summary>
    public required string Format { get; init; }

    /// <summary>The baseline level the structure has (<c>B-B</c> … <c>B-LTA</c>, or <c>none</c>).</summary>
    public required string Level { get; init; }

    /// <summary>
    /// Null when the format's own checks passed (signed data hash, signature value, signing-certificate binding);
    /// otherwise the failure, which decides the report without further checks.
    /// </summary>
    public SignatureFailure? Failure { get; init; }

    /// <summary>The signing certificate, when found.</summary>
    public X509Certificate2? SigningCertificate { get; init; }

    /// <summary>Every other certificate the signature carries (intermediates, CA, TSA, OCSP responder certificates).</summary>
    public IReadOnlyList<X509Certificate2> Certificates { get; init; } = [];

    /// <summary>DER CRLs the signature embeds (B-LT).</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Crls { get; init; } = [];

    /// <summary>DER OCSPResponses the signature embeds (B-LT).</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> OcspResponses { get; init; } = [];

    /// <summary>The signing time the signer claims, if any.</summary>
    public DateTimeOffset? ClaimedSigningTime { get; init; }

    /// <summary>The time-stamps, in any order: they are judged by genTime (an archive time-stamp covers the signature and every earlier time-stamp).</summary>
    public IReadOnlyList<TimestampEvidence> Timestamps { get; init; } = [];

    /// <summary>The signed content of an enveloping signature, handed back in the report.</summary>
    public ReadOnlyMemory<byte>? SignedContent { get; init; }

    /// <summary>
    /// What the signature covers, in words a reviewer can check against what an application shows (XAdES: "the whole
    /// document", an element path with its Id, a detached file name); empty when the format does not say.
    /// </summary>
    public IReadOnlyList<string> SignedObjects { get; init; } = [];

    /// <summary>Warnings the format wants in the report.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
