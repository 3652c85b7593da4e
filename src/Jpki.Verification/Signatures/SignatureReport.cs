using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Serialization;
using Jpki.Verification.Certificates;
using Jpki.Verification.Paths;

namespace Jpki.Verification.Signatures;

/// <summary>
/// The validation of one signature, shaped like the signature validation report of ETSI EN 319 102-1 §5.1.3 (and
/// TS 119 102-2): the indication, the sub-indication, the claimed signing time, the best signature time proven by
/// time-stamps, and the time-stamps themselves.
/// </summary>
public sealed record SignatureReport
{
    /// <summary>An identifier of the signature within the document (e.g. <c>signer-1</c>, an XML Id, a PDF field name).</summary>
    public required string Id { get; init; }

    /// <summary>The signature family: <c>CAdES</c>, <c>XAdES</c> or <c>PAdES</c> (plain CMS, XMLDSig and PDF signatures report the family they belong to).</summary>
    public required string Format { get; init; }

    /// <summary>
    /// The baseline level the signature's structure has (<c>B-B</c>, <c>B-T</c>, <c>B-LT</c>, <c>B-LTA</c>), or <c>none</c>
    /// when it lacks what B-B requires (e.g. a CMS signature without signing-certificate-v2). What is present, not what validated.
    /// </summary>
    public required string Level { get; init; }

    /// <summary>TOTAL-PASSED, TOTAL-FAILED or INDETERMINATE.</summary>
    public required Indication Indication { get; init; }

    /// <summary>Why not TOTAL-PASSED; null when passed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SubIndication? SubIndication { get; init; }

    /// <summary>The verdict code of <see cref="Verdict"/> (<c>valid</c>, <c>revoked</c>, <c>content-tampered</c>, …), the vocabulary of <c>jpki verify</c>.</summary>
    public required string Verdict { get; init; }

    /// <summary>A sentence a person can act on. Never contains a secret.</summary>
    public required string Message { get; init; }

    /// <summary>The signing certificate, when found.</summary>
    public CertificateSummary? Signer { get; init; }

    /// <summary>The signing time the signer claims (CAdES signing-time, XAdES SigningTime, PDF /M): not proven.</summary>
    public DateTimeOffset? ClaimedSigningTime { get; init; }

    /// <summary>
    /// The best signature time (EN 319 102-1 §5.6.2.1): the earliest time at which the signature is proven to have
    /// existed — the genTime of its earliest valid signature or archive time-stamp — or the validation time when nothing proves an earlier one.
    /// </summary>
    public required DateTimeOffset BestSignatureTime { get; init; }

    /// <summary>True when <see cref="BestSignatureTime"/> comes from a time-stamp (a proof of existence), not from the validation time.</summary>
    public bool BestSignatureTimeProven { get; init; }

    /// <summary>The time-stamps the signature carries, by genTime.</summary>
    public IReadOnlyList<TimestampReport> Timestamps { get; init; } = [];

    /// <summary>How many certificates, CRLs and OCSP answers the signature embeds (B-LT validation data).</summary>
    public EmbeddedData Embedded { get; init; } = new(0, 0, 0);

    /// <summary>
    /// What the signature covers (XAdES: "the whole document", the path and Id of each signed element, a detached file
    /// name) — what an application must show or process as signed, and nothing else. Empty when the format does not say.
    /// </summary>
    public IReadOnlyList<string> SignedObjects { get; init; } = [];

    /// <summary>Things a reviewer should know that did not decide the indication (an ignored time-stamp, data that was not used).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The basic 4 info of a JPKI signature certificate, decoded (null for others or when the signature failed before the chain).</summary>
    public CertifiedBasicFourInfo? BasicFourInfo { get; init; }

    /// <summary>The verdict value behind <see cref="Verdict"/> (for callers; not serialised).</summary>
    [JsonIgnore]
    public Verdict? VerdictValue { get; init; }

    /// <summary>The signing certificate (for callers; not serialised).</summary>
    [JsonIgnore]
    public X509Certificate2? SignerCertificate { get; init; }

    /// <summary>The validated path (for callers; not serialised).</summary>
    [JsonIgnore]
    public CertificatePath? Path { get; init; }

    /// <summary>The signed content of an enveloping signature (for callers; not serialised).</summary>
    [JsonIgnore]
    public ReadOnlyMemory<byte>? SignedContent { get; init; }

    /// <summary>True when <see cref="Indication"/> is TOTAL-PASSED.</summary>
    [JsonIgnore]
    public bool IsValid => Indication == Indication.TotalPassed;
}

/// <summary>Counts of the validation data a signature embeds.</summary>
/// <param name="Certificates">Certificates (CMS certificates, XAdES CertificateValues, PAdES DSS /Certs).</param>
/// <param name="Crls">CRLs.</param>
/// <param name="OcspResponses">OCSP answers.</param>
public sealed record EmbeddedData(int Certificates, int Crls, int OcspResponses);
