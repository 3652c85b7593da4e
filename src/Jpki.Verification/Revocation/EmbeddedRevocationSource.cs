using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Ocsp;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace Jpki.Verification.Revocation;

/// <summary>
/// Revocation status from the CRLs and OCSP answers a signature embeds (CAdES/XAdES/PAdES B-LT): what lets a
/// signature be validated years later, when the CA's responders have moved on. An answer is used for the time
/// asked about (the best signature time) when it is authentic — a CRL signed by the issuer's key, an OCSP answer
/// signed by the issuer or a delegated responder it certified — and speaks for that time: issued at or after it, or
/// valid at it (thisUpdate ≤ time ≤ nextUpdate). A revocation after that time leaves the answer good for it: the
/// signature was made before (ETSI EN 319 102-1 §5.6.2.1).
/// </summary>
public sealed class EmbeddedRevocationSource : IRevocationSource
{
    private readonly List<CertificateRevocationList> _crls = [];
    private readonly List<BasicOcspResp> _ocsp = [];

    /// <summary>Decodes the embedded data; undecodable items are skipped and listed in <see cref="Problems"/>.</summary>
    public EmbeddedRevocationSource(IEnumerable<ReadOnlyMemory<byte>> crls, IEnumerable<ReadOnlyMemory<byte>> ocspResponses)
    {
        ArgumentNullException.ThrowIfNull(crls);
        ArgumentNullException.ThrowIfNull(ocspResponses);
        var problems = new List<string>();
        foreach (var crl in crls)
        {
            try
            {
                _crls.Add(CertificateRevocationList.Decode(crl));
            }
            catch (RevocationDataException e)
            {
                problems.Add($"An embedded CRL was ignored: {e.Message}");
            }
        }

        foreach (var response in ocspResponses)
        {
            try
            {
                var decoded = new OcspResp(response.ToArray());
                if (decoded.Status == OcspRespStatus.Successful && decoded.GetResponseObject() is BasicOcspResp basic)
                {
                    _ocsp.Add(basic);
                }
                else
                {
                    problems.Add("An embedded OCSP answer was ignored: it is not a successful basic response.");
                }
            }
            catch (Exception e) when (e is IOException or OcspException or ArgumentException or InvalidCastException or Asn1Exception or InvalidOperationException)
            {
                problems.Add("An embedded OCSP answer was ignored: it is not valid DER.");
            }
        }

        Problems = problems;
    }

    /// <summary>Embedded items that could not be decoded, for the report's warnings.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>How many CRLs and OCSP answers were decoded.</summary>
    public int Count => _crls.Count + _ocsp.Count;

    /// <inheritdoc/>
    public ValueTask<RevocationStatus> CheckAsync(X509Certificate2 certificate, X509Certificate2 issuer, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(issuer);
        return ValueTask.FromResult(FromOcsp(certificate, issuer, at) ?? FromCrl(certificate, issuer, at) ?? RevocationStatus.Unknown($"The signature embeds no CRL or OCSP answer for {certificate.Subject} that speaks for {Format(at)}."));
    }

    private RevocationStatus? FromCrl(X509Certificate2 certificate, X509Certificate2 issuer, DateTimeOffset at)
    {
        foreach (var crl in _crls)
        {
            // A delta CRL alone says nothing of certificates it does not list, and a partition speaks only for its own.
            if (crl.IsDelta || (crl.Scope is { } scope && !scope.Covers(certificate, out _)) || !SpeaksFor(crl.ThisUpdate, crl.NextUpdate, at) || !crl.IsSignedBy(issuer))
            {
                continue;
            }

            var source = $"embedded CRL of {crl.IssuerName.Name} issued {Format(crl.ThisUpdate)}";
            try
            {
                if (crl.TryGetEntry(certificate.SerialNumberBytes.Span, out var entry) && entry.Reason != RevocationReason.RemoveFromCrl && entry.RevokedAt <= at)
                {
                    return RevocationStatus.Revoked(source, entry.RevokedAt, entry.Reason);
                }
            }
            catch (RevocationDataException e)
            {
                return RevocationStatus.Unknown($"{source}: {e.Message}");
            }

            return RevocationStatus.Good(source);
        }

        return null;
    }

    private RevocationStatus? FromOcsp(X509Certificate2 certificate, X509Certificate2 issuer, DateTimeOffset at)
    {
        if (_ocsp.Count == 0)
        {
            return null;
        }

        BcCertificate bcIssuer;
        try
        {
            bcIssuer = new BcCertificate(issuer.RawData);
        }
        catch (Exception e) when (IsUnreadable(e))
        {
            return null;
        }

        var serial = new Org.BouncyCastle.Math.BigInteger(1, certificate.SerialNumberBytes.ToArray());
        foreach (var basic in _ocsp)
        {
            try
            {
                if (FromOcsp(basic, serial, issuer, bcIssuer, at) is { } status)
                {
                    return status;
                }
            }
            catch (Exception e) when (IsUnreadable(e))
            {
                // An embedded answer (or a certificate inside it) that BouncyCastle cannot read speaks for nothing.
            }
        }

        return null;
    }

    private static RevocationStatus? FromOcsp(BasicOcspResp basic, Org.BouncyCastle.Math.BigInteger serial, X509Certificate2 issuer, BcCertificate bcIssuer, DateTimeOffset at)
    {
        foreach (var single in basic.Responses)
        {
            var id = single.GetCertID();
            if (!id.SerialNumber.Equals(serial) || !MatchesIssuer(id, bcIssuer))
            {
                continue;
            }

            var thisUpdate = Utc(single.ThisUpdate);
            DateTimeOffset? nextUpdate = single.NextUpdate is { } n ? Utc(n) : null;
            if (!SpeaksFor(thisUpdate, nextUpdate, at) || !OcspRevocationSource.IsSignedByIssuerOrDelegate(basic, issuer, bcIssuer, Utc(basic.ProducedAt)))
            {
                continue;
            }

            var source = $"embedded OCSP answer of {Format(thisUpdate)}";
            switch (single.GetCertStatus())
            {
                case null:
                    return RevocationStatus.Good(source);
                case RevokedStatus revoked:
                    var revokedAt = Utc(revoked.RevocationTime);
                    var reason = revoked.HasRevocationReason ? (RevocationReason?)revoked.RevocationReason : null;
                    return revokedAt <= at ? RevocationStatus.Revoked(source, revokedAt, reason) : RevocationStatus.Good($"{source} (revoked later, at {Format(revokedAt)})");
            }
        }

        return null;
    }

    private static bool IsUnreadable(Exception e) => e is ArgumentException or InvalidCastException or IOException or OcspException or Asn1Exception
        or Org.BouncyCastle.Security.Certificates.CertificateException or Org.BouncyCastle.Security.SecurityUtilityException or InvalidOperationException
        or System.Security.Cryptography.CryptographicException;

    /// <summary>An answer speaks for <paramref name="at"/> when issued at or after it, or valid at it.</summary>
    private static bool SpeaksFor(DateTimeOffset thisUpdate, DateTimeOffset? nextUpdate, DateTimeOffset at)
        => thisUpdate >= at || (nextUpdate is { } next && thisUpdate <= at && at <= next);

    private static bool MatchesIssuer(CertificateID id, BcCertificate issuer)
    {
        try
        {
            return id.MatchesIssuer(issuer);
        }
        catch (OcspException)
        {
            return false;
        }
    }

    private static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
