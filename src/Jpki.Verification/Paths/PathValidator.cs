using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Jpki.Core.Identity;
using Jpki.Verification.Certificates;
using Jpki.Verification.Trust;

namespace Jpki.Verification.Paths;

/// <summary>
/// RFC 5280 path validation at a given instant, without the wall clock and without network access, plus the JPKI
/// profile: certificate policy (sign <c>…1.1.20</c> / auth <c>…1.3.30</c>), key usage and the kind the caller expects.
/// Revocation is not checked here (see <c>Jpki.Verification.Revocation</c>).
/// </summary>
/// <remarks>
/// The issuer is found by name among the trust anchors and the supplied intermediates and chosen by signature, so
/// several CA generations with one DN (J-LIS signca01/02/03) are told apart. Verified (certificate, issuer) pairs
/// are remembered, since a signature over fixed bytes never changes its verdict.
/// </remarks>
public sealed class PathValidator
{
    private const int SignatureCacheLimit = 100_000;

    private static readonly HashSet<string> KnownExtensions = new(StringComparer.Ordinal)
    {
        JpkiOids.KeyUsage, JpkiOids.BasicConstraints, JpkiOids.CertificatePolicies, JpkiOids.SubjectAltName,
        JpkiOids.IssuerAltName, JpkiOids.AuthorityKeyIdentifier, JpkiOids.SubjectKeyIdentifier,
        JpkiOids.CrlDistributionPoints, JpkiOids.AuthorityInfoAccess, JpkiOids.ExtendedKeyUsage, JpkiOids.OcspNoCheck,
    };

    private readonly ConcurrentDictionary<string, bool> _signatures = new(StringComparer.Ordinal);

    /// <summary>Creates a validator over <paramref name="trust"/>.</summary>
    public PathValidator(TrustStore trust, PathValidationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(trust);
        Trust = trust;
        Options = options ?? new PathValidationOptions();
    }

    /// <summary>The trust anchors.</summary>
    public TrustStore Trust { get; }

    /// <summary>The options.</summary>
    public PathValidationOptions Options { get; }

    /// <summary>
    /// Validates the path of <paramref name="leaf"/> at <paramref name="at"/>. <paramref name="expectedKind"/> null
    /// accepts either JPKI kind (the leaf must still carry one of the JPKI policies).
    /// </summary>
    public PathValidationResult Validate(
        X509Certificate2 leaf,
        IReadOnlyCollection<X509Certificate2>? intermediates,
        CertificateKind? expectedKind,
        DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        foreach (var certificate in (IEnumerable<X509Certificate2>)[leaf, .. intermediates ?? []])
        {
            if (CertificateFields.Problem(certificate) is { } problem)
            {
                return new(Verdict.Fail(VerdictCode.Malformed, problem), null);
            }
        }

        var chain = BuildChain(leaf, intermediates ?? []);
        if (chain is null)
        {
            return new(Verdict.Fail(VerdictCode.Untrusted, $"The certificate {leaf.Subject} was not issued by a trusted root: no trust anchor of that issuer name verifies its signature."), null);
        }

        for (var i = 0; i < chain.Count; i++)
        {
            var verdict = CheckValidity(chain[i], at, i == 0) ?? CheckCriticalExtensions(chain[i]);
            if (verdict is not null)
            {
                return new(verdict, i == 0 && verdict.Code is VerdictCode.Expired or VerdictCode.NotYetValid ? new CertificatePath(chain, KindOf(leaf) ?? CertificateKind.Signature, Trust.IsPinned(chain[^1])) : null);
            }

            if (i > 0 && CheckCa(chain[i], intermediatesBelow: i - 1) is { } caVerdict)
            {
                return new(caVerdict, null);
            }
        }

        var kind = KindOf(leaf);
        if (kind is null)
        {
            return new(Verdict.Fail(VerdictCode.WrongKind, $"The certificate {leaf.Subject} carries neither the JPKI signature policy nor the authentication policy."), null);
        }

        var path = new CertificatePath(chain, kind.Value, Trust.IsPinned(chain[^1]));
        if (expectedKind is { } expected && expected != kind)
        {
            return new(Verdict.Fail(VerdictCode.WrongKind, WrongKindMessage(expected, kind.Value)), path);
        }

        if (CheckLeafKeyUsage(leaf, kind.Value) is { } usageVerdict)
        {
            return new(usageVerdict, path);
        }

        return new(Verdict.Valid, path);
    }

    /// <summary>The JPKI kind of a certificate from its policies, or null when it carries no JPKI policy.</summary>
    public CertificateKind? KindOf(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (certificate.Extensions[JpkiOids.CertificatePolicies] is not { } extension)
        {
            return null;
        }

        var policies = PolicyReader.Read(extension.RawData);
        if (policies is null)
        {
            return null;
        }

        if (policies.Contains(JpkiOids.SignPolicy) || (Options.AllowTestPolicy && policies.Contains(JpkiOids.TestSignPolicy)))
        {
            return CertificateKind.Signature;
        }

        if (policies.Contains(JpkiOids.AuthPolicy) || (Options.AllowTestPolicy && policies.Contains(JpkiOids.TestAuthPolicy)))
        {
            return CertificateKind.Authentication;
        }

        return null;
    }

    /// <summary>True when <paramref name="issuer"/>'s key verifies the signature on <paramref name="subject"/>.</summary>
    internal bool IsSignedBy(X509Certificate2 subject, X509Certificate2 issuer)
    {
        var key = string.Concat(CertificateHashes.Sha256Hex(subject), ":", CertificateHashes.Sha256Hex(issuer));
        if (_signatures.TryGetValue(key, out var known))
        {
            return known;
        }

        var publicKey = PublicKeys.Of(issuer);
        bool verified;
        try
        {
            verified = publicKey is not null && SignedDer.Decode(subject.RawDataMemory).VerifyWith(publicKey);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            verified = false;
        }

        if (_signatures.Count >= SignatureCacheLimit)
        {
            _signatures.Clear();
        }

        _signatures[key] = verified;
        return verified;
    }

    private List<X509Certificate2>? BuildChain(X509Certificate2 leaf, IReadOnlyCollection<X509Certificate2> intermediates)
    {
        var chain = new List<X509Certificate2> { leaf };
        var current = leaf;
        for (var depth = 0; depth <= Options.MaxIntermediates; depth++)
        {
            foreach (var anchor in Trust.CandidatesFor(current.IssuerName))
            {
                if (IsSignedBy(current, anchor))
                {
                    if (!ReferenceEquals(anchor, current) && !anchor.RawDataMemory.Span.SequenceEqual(current.RawDataMemory.Span))
                    {
                        chain.Add(anchor);
                    }

                    return chain.Count >= 2 ? chain : null;
                }
            }

            X509Certificate2? next = null;
            foreach (var candidate in intermediates)
            {
                if (candidate.SubjectName.RawData.AsSpan().SequenceEqual(current.IssuerName.RawData)
                    && !chain.Exists(c => c.RawDataMemory.Span.SequenceEqual(candidate.RawDataMemory.Span))
                    && IsSignedBy(current, candidate))
                {
                    next = candidate;
                    break;
                }
            }

            if (next is null)
            {
                return null;
            }

            chain.Add(next);
            current = next;
        }

        return null;
    }

    private static Verdict? CheckValidity(X509Certificate2 certificate, DateTimeOffset at, bool isLeaf)
    {
        var what = isLeaf ? "certificate" : "CA certificate";
        var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        if (at < notBefore)
        {
            return Verdict.Fail(VerdictCode.NotYetValid, string.Create(CultureInfo.InvariantCulture, $"The {what} {certificate.Subject} is valid only from {notBefore:yyyy-MM-ddTHH:mm:ssZ}; the verification time is {at.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ}."));
        }

        if (at > notAfter)
        {
            return Verdict.Fail(VerdictCode.Expired, string.Create(CultureInfo.InvariantCulture, $"The {what} {certificate.Subject} expired at {notAfter:yyyy-MM-ddTHH:mm:ssZ}; the verification time is {at.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ}."));
        }

        return null;
    }

    private static Verdict? CheckCriticalExtensions(X509Certificate2 certificate)
    {
        foreach (var extension in certificate.Extensions)
        {
            if (extension.Critical && extension.Oid?.Value is { } oid && !KnownExtensions.Contains(oid))
            {
                return Verdict.Fail(VerdictCode.Untrusted, $"The certificate {certificate.Subject} has the critical extension {oid}, which this verifier does not process (RFC 5280 §4.2).");
            }
        }

        return null;
    }

    private static Verdict? CheckCa(X509Certificate2 ca, int intermediatesBelow)
    {
        if (ca.Extensions[JpkiOids.BasicConstraints] is not X509BasicConstraintsExtension constraints || !constraints.CertificateAuthority)
        {
            return Verdict.Fail(VerdictCode.Untrusted, $"The issuer {ca.Subject} is not a CA (basicConstraints CA:TRUE missing).");
        }

        if (constraints.HasPathLengthConstraint && intermediatesBelow > constraints.PathLengthConstraint)
        {
            return Verdict.Fail(VerdictCode.Untrusted, $"The issuer {ca.Subject} allows at most {constraints.PathLengthConstraint} intermediate CAs below it.");
        }

        if (ca.Extensions[JpkiOids.KeyUsage] is X509KeyUsageExtension usage && !usage.KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign))
        {
            return Verdict.Fail(VerdictCode.Untrusted, $"The issuer {ca.Subject} may not sign certificates (keyUsage lacks keyCertSign).");
        }

        return null;
    }

    private static Verdict? CheckLeafKeyUsage(X509Certificate2 leaf, CertificateKind kind)
    {
        if (leaf.Extensions[JpkiOids.BasicConstraints] is X509BasicConstraintsExtension { CertificateAuthority: true })
        {
            return Verdict.Fail(VerdictCode.WrongKind, $"The certificate {leaf.Subject} is a CA certificate, not a JPKI end-entity certificate.");
        }

        if (leaf.Extensions[JpkiOids.KeyUsage] is not X509KeyUsageExtension usage)
        {
            return Verdict.Fail(VerdictCode.WrongKind, $"The certificate {leaf.Subject} has no keyUsage; JPKI certificates must allow digitalSignature.");
        }

        var needed = kind == CertificateKind.Signature
            ? X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation
            : X509KeyUsageFlags.DigitalSignature;
        return (usage.KeyUsages & needed) != 0
            ? null
            : Verdict.Fail(VerdictCode.WrongKind, $"The keyUsage of {leaf.Subject} does not allow {(kind == CertificateKind.Signature ? "signing documents (digitalSignature/nonRepudiation)" : "authentication (digitalSignature)")}.");
    }

    private static string WrongKindMessage(CertificateKind expected, CertificateKind actual) => (expected, actual) switch
    {
        (CertificateKind.Authentication, CertificateKind.Signature) => "A login needs the user-authentication certificate (利用者証明用電子証明書), but a signature certificate was presented.",
        (CertificateKind.Signature, CertificateKind.Authentication) => "A signed document needs the signature certificate (署名用電子証明書), but an authentication certificate signed it.",
        _ => $"Expected a {expected} certificate, got a {actual} certificate.",
    };
}
