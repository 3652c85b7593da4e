using System.Formats.Asn1;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Core.Identity;
using Jpki.Core.Signatures;
using Jpki.Verification.Certificates;
using Jpki.Verification.Cms;
using Jpki.Verification.Paths;
using Jpki.Verification.Revocation;
using Jpki.Verification.Trust;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Jpki.Verification;

/// <summary>
/// The relying party's entry point: verifies CMS signatures, raw PKCS#1 signatures over a DigestInfo (what the card's
/// <c>80 2A 00 80</c> produces) and certificates, and returns a <see cref="Verdict"/> value. Thread-safe; create one
/// per trust configuration and reuse it (it caches verified certificate signatures and CRLs).
/// </summary>
/// <remarks>
/// Revocation policy: the certificate must not be revoked at the verification time (by default the injected clock's
/// now), as JPKI law art. 21 asks the verifier to check at verification time; a signature made before a revocation
/// and checked after it is therefore reported <see cref="VerdictCode.Revoked"/> with the revocation time. Sources are
/// asked in order; the first good or revoked answer wins; when none answers, the verdict is
/// <see cref="VerdictCode.NoRevocationData"/> unless <see cref="VerifierOptions.UnsafeSkipRevocationCheck"/> is set.
/// </remarks>
public sealed class JpkiVerifier
{
    private static readonly ConditionalWeakTable<X509Certificate2, CertifiedBasicFourInfo> BasicFourInfoCache = [];

    private readonly IRevocationSource[] _revocation;
    private readonly TimeProvider _clock;
    private readonly CertificateCache _certificates = new();

    /// <summary>Creates a verifier.</summary>
    /// <param name="trust">The trust anchors.</param>
    /// <param name="revocationSources">Revocation sources, asked in order (e.g. OCSP, then CRL).</param>
    /// <param name="clock">The clock that gives the default verification time.</param>
    /// <param name="options">Options; null for the safe defaults.</param>
    /// <param name="logger">Where decisions are logged (events 5110–5117: serials, issuers, verdict codes; null: nowhere).</param>
    public JpkiVerifier(TrustStore trust, IEnumerable<IRevocationSource> revocationSources, TimeProvider clock, VerifierOptions? options = null, ILogger<JpkiVerifier>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(trust);
        ArgumentNullException.ThrowIfNull(revocationSources);
        ArgumentNullException.ThrowIfNull(clock);
        Options = options ?? new VerifierOptions();
        Paths = new PathValidator(trust, Options.Path);
        _revocation = [.. revocationSources];
        _clock = clock;
        Logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Where the verifier and the signature validators over it log.</summary>
    internal ILogger Logger { get; }

    /// <summary>The options.</summary>
    public VerifierOptions Options { get; }

    /// <summary>The path validator (exposed for callers that need only path checks).</summary>
    public PathValidator Paths { get; }

    /// <summary>The clock that gives the default verification time.</summary>
    public TimeProvider Clock => _clock;

    /// <summary>
    /// The shared instance for a certificate's DER bytes (imported once; its public key, hashes, decoded fields and
    /// verified issuer signature are then cached with it). Callers must not dispose it.
    /// </summary>
    /// <exception cref="CryptographicException">Not a certificate.</exception>
    internal X509Certificate2 Certificate(ReadOnlySpan<byte> der) => _certificates.Get(der);

    /// <summary>Verifies an attached CMS signature (the content is inside); the content is returned in the result.</summary>
    public Task<SignatureVerification> VerifyAttachedAsync(ReadOnlyMemory<byte> cms, DateTimeOffset? at = null, CancellationToken cancellationToken = default)
        => VerifyCmsAsync(cms, null, at, cancellationToken);

    /// <summary>Verifies a detached CMS signature (<c>.p7s</c>) over <paramref name="content"/>.</summary>
    public Task<SignatureVerification> VerifyDetachedAsync(ReadOnlyMemory<byte> cms, ReadOnlyMemory<byte> content, DateTimeOffset? at = null, CancellationToken cancellationToken = default)
        => VerifyCmsAsync(cms, content, at, cancellationToken);

    /// <summary>
    /// Verifies a CMS SignedData signature made with a JPKI signature certificate: attached when
    /// <paramref name="detachedContent"/> is null, detached otherwise.
    /// </summary>
    /// <param name="cms">The DER (or BER) ContentInfo of the signature (<c>.p7s</c>).</param>
    /// <param name="detachedContent">
    /// The signed file for a detached signature; null for an attached one. Beware: a null <c>byte[]</c> converts to an
    /// empty, non-null memory — prefer <see cref="VerifyAttachedAsync"/> and <see cref="VerifyDetachedAsync"/>.
    /// </param>
    /// <param name="at">The verification time; null for the clock's now.</param>
    /// <param name="cancellationToken">Cancels revocation look-ups.</param>
    public async Task<SignatureVerification> VerifyCmsAsync(ReadOnlyMemory<byte> cms, ReadOnlyMemory<byte>? detachedContent, DateTimeOffset? at = null, CancellationToken cancellationToken = default)
    {
        var when = at ?? _clock.GetUtcNow();
        var inspection = CmsChecker.Check(cms, detachedContent, Options.RequireSigningCertificateV2, _certificates);
        if (inspection.Failure is { } failure)
        {
            return Logged(new SignatureVerification { Verdict = failure, SignerCertificate = inspection.Signer, SigningTime = inspection.SigningTime, VerifiedAt = when });
        }

        var extra = inspection.Certificates.Where(c => !ReferenceEquals(c, inspection.Signer)).ToArray();
        var certificate = await VerifyCertificateAsync(inspection.Signer!, CertificateKind.Signature, extra, when, cancellationToken).ConfigureAwait(false);
        return Logged(WithIdentity(
            new SignatureVerification
            {
                Verdict = certificate.Verdict,
                SignerCertificate = inspection.Signer,
                Path = certificate.Path,
                SigningTime = inspection.SigningTime,
                Content = inspection.Content,
                VerifiedAt = when,
            },
            certificate.Path));
    }

    /// <summary>
    /// Verifies a raw RSA PKCS#1 v1.5 signature over <paramref name="digestInfo"/> (DER DigestInfo with SHA-256/384/512),
    /// as the card's COMPUTE DIGITAL SIGNATURE returns it, then the certificate's path, kind and revocation.
    /// </summary>
    public async Task<SignatureVerification> VerifyDigestInfoSignatureAsync(
        ReadOnlyMemory<byte> digestInfo,
        ReadOnlyMemory<byte> signature,
        X509Certificate2 certificate,
        CertificateKind expectedKind,
        IReadOnlyCollection<X509Certificate2>? intermediates = null,
        DateTimeOffset? at = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var when = at ?? _clock.GetUtcNow();
        if (!TryReadDigestInfo(digestInfo.Span, out var algorithm, out var hash))
        {
            return Logged(new SignatureVerification { Verdict = Verdict.Fail(VerdictCode.Malformed, "The signed data is not a DER DigestInfo with SHA-256, SHA-384 or SHA-512."), SignerCertificate = certificate, VerifiedAt = when });
        }

        if (PublicKeys.Of(certificate) is not RSA rsa)
        {
            return Logged(new SignatureVerification { Verdict = Verdict.Fail(VerdictCode.Malformed, "The certificate does not hold an RSA key."), SignerCertificate = certificate, VerifiedAt = when });
        }

        bool verified;
        try
        {
            verified = rsa.VerifyHash(hash, signature.Span, algorithm, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException)
        {
            verified = false;
        }

        return await AfterRawSignatureAsync(verified, certificate, expectedKind, intermediates, when, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Verifies a raw ECDSA P-384 signature r‖s over SHA-384 of <paramref name="data"/>, as the next-generation card's
    /// COMPUTE DIGITAL SIGNATURE answers it over a host SHA-384 (JWS ES384, RFC 7518 §3.4), then the certificate's path,
    /// kind and revocation. Only the canonical form is accepted (<see cref="P384Signature.IsCanonical"/>: 96 bytes,
    /// non-zero r and s below the order, low-S); the certificate must hold a P-384 key.
    /// </summary>
    public async Task<SignatureVerification> VerifyEcdsaSha384Async(
        ReadOnlyMemory<byte> data,
        ReadOnlyMemory<byte> signature,
        X509Certificate2 certificate,
        CertificateKind expectedKind,
        IReadOnlyCollection<X509Certificate2>? intermediates = null,
        DateTimeOffset? at = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var when = at ?? _clock.GetUtcNow();
        if (PublicKeys.Of(certificate) is not ECDsa ecdsa || !P384Signature.IsP384(ecdsa))
        {
            return Logged(new SignatureVerification { Verdict = Verdict.Fail(VerdictCode.Malformed, "The certificate does not hold an ECDSA P-384 key."), SignerCertificate = certificate, VerifiedAt = when });
        }

        if (!P384Signature.IsCanonical(signature.Span, out var reason))
        {
            return Logged(new SignatureVerification { Verdict = Verdict.Fail(VerdictCode.Malformed, reason!), SignerCertificate = certificate, VerifiedAt = when });
        }

        bool verified;
        try
        {
            verified = ecdsa.VerifyData(data.Span, signature.Span, HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (CryptographicException)
        {
            verified = false;
        }

        return await AfterRawSignatureAsync(verified, certificate, expectedKind, intermediates, when, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What a raw card signature (RSA or ECDSA) leads to once its cryptographic check is done: a bad signature, or the certificate's path, kind and revocation.</summary>
    private async Task<SignatureVerification> AfterRawSignatureAsync(
        bool verified, X509Certificate2 certificate, CertificateKind expectedKind, IReadOnlyCollection<X509Certificate2>? intermediates, DateTimeOffset when, CancellationToken cancellationToken)
    {
        if (!verified)
        {
            return Logged(new SignatureVerification { Verdict = Verdict.Fail(VerdictCode.BadSignature, "The signature does not verify with the certificate's key over this data."), SignerCertificate = certificate, VerifiedAt = when });
        }

        var result = await VerifyCertificateAsync(certificate, expectedKind, intermediates, when, cancellationToken).ConfigureAwait(false);
        return Logged(WithIdentity(new SignatureVerification { Verdict = result.Verdict, SignerCertificate = certificate, Path = result.Path, VerifiedAt = when }, result.Path));
    }

    /// <summary>Verifies a raw PKCS#1 v1.5 signature over the SHA-256 DigestInfo of <paramref name="data"/>.</summary>
    public Task<SignatureVerification> VerifyPkcs1Async(
        ReadOnlyMemory<byte> data,
        ReadOnlyMemory<byte> signature,
        X509Certificate2 certificate,
        CertificateKind expectedKind,
        IReadOnlyCollection<X509Certificate2>? intermediates = null,
        DateTimeOffset? at = null,
        CancellationToken cancellationToken = default)
        => VerifyDigestInfoSignatureAsync(DigestInfo.Sha256Of(data.Span), signature, certificate, expectedKind, intermediates, at, cancellationToken);

    /// <summary>Verifies a certificate: path to a trust anchor, JPKI profile and kind, then revocation.</summary>
    public Task<CertificateVerification> VerifyCertificateAsync(
        X509Certificate2 certificate,
        CertificateKind? expectedKind,
        IReadOnlyCollection<X509Certificate2>? intermediates = null,
        DateTimeOffset? at = null,
        CancellationToken cancellationToken = default)
        => VerifyCertificateWithSourcesAsync(certificate, expectedKind, intermediates, at, [], cancellationToken);

    /// <summary>
    /// As <see cref="VerifyCertificateAsync(X509Certificate2, CertificateKind?, IReadOnlyCollection{X509Certificate2}?, DateTimeOffset?, CancellationToken)"/>,
    /// asking <paramref name="firstSources"/> (e.g. the revocation data a signature embeds) before the configured sources.
    /// </summary>
    internal async Task<CertificateVerification> VerifyCertificateWithSourcesAsync(
        X509Certificate2 certificate,
        CertificateKind? expectedKind,
        IReadOnlyCollection<X509Certificate2>? intermediates,
        DateTimeOffset? at,
        IReadOnlyList<IRevocationSource> firstSources,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(firstSources);
        var when = at ?? _clock.GetUtcNow();
        var path = Paths.Validate(certificate, intermediates, expectedKind, when);
        if (!path.Verdict.IsValid)
        {
            return Logged(certificate, expectedKind, new CertificateVerification(path.Verdict, path.Path));
        }

        var chain = path.Path!.Chain;
        for (var i = 0; i < chain.Count - 1; i++)
        {
            var verdict = await CheckRevocationAsync(chain[i], chain[i + 1], when, firstSources, cancellationToken).ConfigureAwait(false);
            if (!verdict.IsValid)
            {
                return Logged(certificate, expectedKind, new CertificateVerification(verdict, path.Path));
            }
        }

        return Logged(certificate, expectedKind, new CertificateVerification(Verdict.Valid, path.Path));
    }

    /// <summary>Logs a certificate decision (5110/5111) by serial, issuer and verdict code; the verdict's sentence may name the subject and stays out.</summary>
    private CertificateVerification Logged(X509Certificate2 certificate, CertificateKind? expectedKind, CertificateVerification result)
    {
        var kind = expectedKind?.ToString() ?? "any";
        if (result.Verdict.IsValid)
        {
            Log.CertificateAccepted(Logger, certificate.SerialNumber, certificate.Issuer, kind);
        }
        else
        {
            Log.CertificateRefused(Logger, certificate.SerialNumber, certificate.Issuer, kind, result.Verdict.MachineCode);
        }

        return result;
    }

    /// <summary>Logs a signature decision (5112/5113) by the signer's serial and the verdict code.</summary>
    private SignatureVerification Logged(SignatureVerification result)
    {
        var serial = result.SignerCertificate?.SerialNumber ?? "(none)";
        if (result.Verdict.IsValid)
        {
            Log.SignatureAccepted(Logger, serial);
        }
        else
        {
            Log.SignatureRefused(Logger, serial, result.Verdict.MachineCode);
        }

        return result;
    }

    private async ValueTask<Verdict> CheckRevocationAsync(X509Certificate2 certificate, X509Certificate2 issuer, DateTimeOffset at, IReadOnlyList<IRevocationSource> firstSources, CancellationToken cancellationToken)
    {
        var reasons = new List<string>();
        foreach (var source in firstSources.Count == 0 ? _revocation : [.. firstSources, .. _revocation])
        {
            var status = await source.CheckAsync(certificate, issuer, at, cancellationToken).ConfigureAwait(false);
            switch (status.State)
            {
                case RevocationState.Good:
                    return Verdict.Valid;
                case RevocationState.Revoked:
                    return Verdict.Revoked(status.RevokedAt!.Value, status.Reason, certificate.Subject);
                default:
                    reasons.Add(status.Message);
                    // The sources' sentences name URLs and CAs, and some the certificate's subject: that one stays out of the log.
                    Log.RevocationSourceFailed(Logger, source.GetType().Name, certificate.SerialNumber, issuer.Subject, status.Message.Replace(certificate.Subject, "(the certificate)", StringComparison.Ordinal));
                    break;
            }
        }

        if (Options.UnsafeSkipRevocationCheck)
        {
            Log.RevocationSkipped(Logger, certificate.SerialNumber, issuer.Subject);
            return Verdict.Valid;
        }

        Log.NoRevocationData(Logger, certificate.SerialNumber, issuer.Subject);

        var detail = reasons.Count == 0 ? "No revocation source (OCSP or CRL) is configured." : string.Join(" ", reasons);
        return Verdict.Fail(VerdictCode.NoRevocationData, $"The revocation status of {certificate.Subject} could not be established, so it is not accepted (fail closed). {detail}");
    }

    private static SignatureVerification WithIdentity(SignatureVerification result, CertificatePath? path)
    {
        var (info, failure) = IdentityOf(path);
        return failure is null ? result with { BasicFourInfo = info } : result with { Verdict = failure };
    }

    /// <summary>The basic 4 info of a signature-certificate path (null for an authentication path), or the malformed verdict.</summary>
    internal static (CertifiedBasicFourInfo? Info, Verdict? Failure) IdentityOf(CertificatePath? path)
    {
        if (path is null || path.Kind != CertificateKind.Signature)
        {
            return (null, null);
        }

        try
        {
            return (DecodeOnce(path.Leaf), null);
        }
        catch (JpkiCertificateFormatException e)
        {
            return (null, Verdict.Fail(VerdictCode.Malformed, e.Message));
        }
    }

    /// <summary>The basic 4 info of a certificate instance, decoded once (instances are shared by <see cref="CertificateCache"/>).</summary>
    private static CertifiedBasicFourInfo? DecodeOnce(X509Certificate2 certificate)
    {
        if (BasicFourInfoCache.TryGetValue(certificate, out var known))
        {
            return known;
        }

        var decoded = BasicFourInfoDecoder.Decode(certificate);
        return decoded is null ? null : BasicFourInfoCache.GetValue(certificate, _ => decoded);
    }

    private static bool TryReadDigestInfo(ReadOnlySpan<byte> der, out HashAlgorithmName algorithm, out byte[] hash)
    {
        algorithm = default;
        hash = [];
        try
        {
            var outer = new AsnReader(der.ToArray(), AsnEncodingRules.DER);
            var digestInfo = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            var (oid, _) = SignedDer.ReadAlgorithm(digestInfo);
            hash = digestInfo.ReadOctetString();
            digestInfo.ThrowIfNotEmpty();
            return DigestAlgorithms.TryGet(oid, out algorithm) && hash.Length == DigestAlgorithms.Hash(algorithm, []).Length;
        }
        catch (AsnContentException)
        {
            return false;
        }
    }
}
