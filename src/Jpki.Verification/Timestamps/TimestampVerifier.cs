using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Jpki.Verification.Certificates;
using Jpki.Verification.Signatures;

namespace Jpki.Verification.Timestamps;

/// <summary>
/// Checks an RFC 3161 time-stamp token: one DER token, a SHA-2 imprint equal to the hash of the data it should
/// cover, a signature that verifies (with the ESS signing-certificate binding, RFC 5816), a signer certificate that
/// is a TSA certificate (extendedKeyUsage id-kp-timeStamping alone, critical — RFC 3161 §2.3) and chains to one of
/// the configured TSA trust anchors, valid at genTime. Revocation of TSA certificates is not checked (see
/// docs/signatures.md): trust in a TSA is configured explicitly. Thread-safe.
/// </summary>
public sealed class TimestampVerifier
{
    /// <summary>id-kp-timeStamping.</summary>
    public const string TimeStampingOid = "1.3.6.1.5.5.7.3.8";

    private const string TstInfoContentType = "1.2.840.113549.1.9.16.1.4";

    private readonly X509Certificate2[] _anchors;

    /// <summary>Creates a verifier trusting <paramref name="trustAnchors"/> (TSA roots) for time-stamps.</summary>
    public TimestampVerifier(IEnumerable<X509Certificate2> trustAnchors)
    {
        ArgumentNullException.ThrowIfNull(trustAnchors);
        _anchors = [.. trustAnchors];
    }

    /// <summary>The trust anchors.</summary>
    public IReadOnlyList<X509Certificate2> TrustAnchors => _anchors;

    /// <summary>Checks <paramref name="token"/> against the data hash <paramref name="imprint"/> computes. Never throws for bad input.</summary>
    /// <param name="token">The DER TimeStampToken.</param>
    /// <param name="imprint">Computes the expected imprint with the token's hash algorithm (null: cannot).</param>
    /// <param name="extraCertificates">Certificates to look for the TSA's in when the token does not carry it.</param>
    public TimestampCheck Verify(ReadOnlyMemory<byte> token, Func<HashAlgorithmName, byte[]?> imprint, IEnumerable<X509Certificate2>? extraCertificates = null)
    {
        ArgumentNullException.ThrowIfNull(imprint);

        // Read the token with SignedCms and the TSTInfo first: the BCL's Rfc3161TimestampToken.TryDecode also refuses a
        // token whose signer is not a TSA certificate, and that deserves its own verdict, not "malformed".
        var cms = new SignedCms();
        Rfc3161TimestampTokenInfo? info;
        try
        {
            cms.Decode(token.Span);
            _ = cms.SignerInfos;
            _ = cms.Certificates;
            if (cms.ContentInfo.ContentType.Value != TstInfoContentType
                || !Rfc3161TimestampTokenInfo.TryDecode(cms.ContentInfo.Content, out info, out var infoLength)
                || info is null
                || infoLength != cms.ContentInfo.Content.Length)
            {
                return Failed(SubIndication.FormatFailure, "The time-stamp is not a DER RFC 3161 time-stamp token (no TSTInfo).");
            }
        }
        catch (Exception e) when (e is CryptographicException or AsnContentException)
        {
            return Failed(SubIndication.FormatFailure, "The time-stamp is not a DER RFC 3161 time-stamp token.");
        }

        var serial = Convert.ToHexString(info.GetSerialNumber().Span);
        var genTime = info.Timestamp;
        var policy = info.PolicyId.Value;
        var algorithm = info.HashAlgorithmId.Value switch
        {
            "2.16.840.1.101.3.4.2.1" => HashAlgorithmName.SHA256,
            "2.16.840.1.101.3.4.2.2" => HashAlgorithmName.SHA384,
            "2.16.840.1.101.3.4.2.3" => HashAlgorithmName.SHA512,
            _ => default,
        };
        TimestampCheck Result(Indication indication, SubIndication? sub, string message, X509Certificate2? tsa = null, DateTimeOffset? notAfter = null) => new()
        {
            Indication = indication,
            SubIndication = sub,
            Message = message,
            GenTime = genTime,
            SerialNumber = serial,
            Policy = policy,
            HashAlgorithm = algorithm.Name is null ? null : algorithm,
            TsaCertificate = tsa,
            ChainNotAfter = notAfter,
        };

        if (algorithm.Name is null)
        {
            return Result(Indication.Indeterminate, SubIndication.CryptoConstraintsFailure, $"The time-stamp's imprint uses {info.HashAlgorithmId.Value}; only SHA-256, SHA-384 and SHA-512 are accepted.");
        }

        var expected = imprint(algorithm);
        if (expected is null || !CryptographicOperations.FixedTimeEquals(info.GetMessageHash().Span, expected))
        {
            return Result(Indication.TotalFailed, SubIndication.HashFailure, "The time-stamp's imprint does not match the data it should cover: it stamps something else (or that data was altered).");
        }

        if (cms.SignerInfos.Count != 1)
        {
            return Result(Indication.TotalFailed, SubIndication.FormatFailure, $"The time-stamp token has {cms.SignerInfos.Count} signers; RFC 3161 requires one.");
        }

        var extra = new X509Certificate2Collection();
        foreach (var certificate in extraCertificates ?? [])
        {
            extra.Add(certificate);
        }

        var signer = cms.SignerInfos[0];
        var tsa = signer.Certificate ?? FindBySid(signer.SignerIdentifier, extra);
        if (tsa is null)
        {
            return Result(Indication.Indeterminate, SubIndication.NoSigningCertificateFound, "The time-stamp does not carry its TSA certificate, and it was not found among the signature's certificates.");
        }

        if (!IsTsaCertificate(tsa))
        {
            return Result(Indication.Indeterminate, SubIndication.ChainConstraintsFailure, $"The time-stamp is signed by {tsa.Subject}, which is not a TSA certificate (extendedKeyUsage id-kp-timeStamping alone, critical: RFC 3161 §2.3).", tsa);
        }

        bool verified;
        try
        {
            verified = Rfc3161TimestampToken.TryDecode(token, out var decoded, out var consumed) && decoded is not null && consumed == token.Length
                && decoded.VerifySignatureForHash(expected, algorithm, out _, extra);
        }
        catch (CryptographicException)
        {
            verified = false;
        }

        if (!verified)
        {
            return Result(Indication.TotalFailed, SubIndication.SigCryptoFailure, $"The time-stamp's signature does not verify with the key of {tsa.Subject}, or its signing-certificate attribute names another certificate.", tsa);
        }

        return CheckChain(tsa, cms.Certificates, extra, genTime) is { } failure
            ? Result(Indication.Indeterminate, failure.Sub, failure.Message, tsa)
            : Result(Indication.TotalPassed, null, $"Time-stamp by {tsa.Subject} at {genTime.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}.", tsa, ChainNotAfter(tsa, cms.Certificates, extra, genTime));
    }

    /// <summary>True when <paramref name="certificate"/> carries extendedKeyUsage id-kp-timeStamping alone, critical.</summary>
    public static bool IsTsaCertificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return certificate.Extensions[JpkiOids.ExtendedKeyUsage] is X509EnhancedKeyUsageExtension { Critical: true } usage
            && usage.EnhancedKeyUsages.Count == 1
            && usage.EnhancedKeyUsages[0].Value == TimeStampingOid;
    }

    private (SubIndication Sub, string Message)? CheckChain(X509Certificate2 tsa, X509Certificate2Collection embedded, X509Certificate2Collection extra, DateTimeOffset at)
    {
        if (_anchors.Length == 0)
        {
            return (SubIndication.NoCertificateChainFound, "No TSA trust anchor is configured, so no time-stamp is trusted (give the TSA root, e.g. jpki verify --tsa-trust tsa-root.cer).");
        }

        using var chain = Build(tsa, embedded, extra, at);
        if (chain.Build(tsa))
        {
            return null;
        }

        var flags = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
        if ((flags & X509ChainStatusFlags.NotTimeValid) != 0)
        {
            return (SubIndication.OutOfBoundsNoPoe, $"The TSA certificate {tsa.Subject} (or its CA) was not valid at the time-stamp's genTime {at.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}.");
        }

        if ((flags & (X509ChainStatusFlags.NotValidForUsage | X509ChainStatusFlags.InvalidExtension)) != 0)
        {
            return (SubIndication.ChainConstraintsFailure, $"The certificate chain of {tsa.Subject} is not valid for time-stamping.");
        }

        if ((flags & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain)) != 0)
        {
            return (SubIndication.NoCertificateChainFound, $"The TSA certificate {tsa.Subject} does not chain to a trusted TSA root.");
        }

        return (SubIndication.CertificateChainGeneralFailure, $"The certificate chain of {tsa.Subject} is not valid ({flags}).");
    }

    private DateTimeOffset ChainNotAfter(X509Certificate2 tsa, X509Certificate2Collection embedded, X509Certificate2Collection extra, DateTimeOffset at)
    {
        using var chain = Build(tsa, embedded, extra, at);
        chain.Build(tsa);
        var notAfter = DateTimeOffset.MaxValue;
        foreach (var element in chain.ChainElements)
        {
            var end = new DateTimeOffset(element.Certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
            notAfter = end < notAfter ? end : notAfter;
            element.Certificate.Dispose();
        }

        return notAfter;
    }

    private X509Chain Build(X509Certificate2 tsa, X509Certificate2Collection embedded, X509Certificate2Collection extra, DateTimeOffset at)
    {
        _ = tsa;
        var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_anchors);
        chain.ChainPolicy.ExtraStore.AddRange(embedded);
        chain.ChainPolicy.ExtraStore.AddRange(extra);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTime = at.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(TimeStampingOid));
        return chain;
    }

    private static X509Certificate2? FindBySid(SubjectIdentifier sid, X509Certificate2Collection candidates)
    {
        foreach (var candidate in candidates)
        {
            switch (sid.Value)
            {
                case System.Security.Cryptography.Xml.X509IssuerSerial issuerSerial when candidate.IssuerName.Name == issuerSerial.IssuerName && string.Equals(candidate.SerialNumber, issuerSerial.SerialNumber, StringComparison.OrdinalIgnoreCase):
                case string keyId when sid.Type == SubjectIdentifierType.SubjectKeyIdentifier
                    && candidate.Extensions["2.5.29.14"] is X509SubjectKeyIdentifierExtension ski
                    && string.Equals(ski.SubjectKeyIdentifier, keyId, StringComparison.OrdinalIgnoreCase):
                    return candidate;
            }
        }

        return null;
    }

    private static TimestampCheck Failed(SubIndication sub, string message) => new() { Indication = Indication.TotalFailed, SubIndication = sub, Message = message };
}
