using System.Collections.Concurrent;
using System.Security.Cryptography;
using Jpki.Load.Running;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.X509;

namespace Jpki.Load.Scenarios;

/// <summary>
/// Checks an OCSP answer (BouncyCastle, a second implementation): successful, basic response signed by the CA or by a
/// delegated responder the CA issued (EKU OCSPSigning), exactly the certID asked about, the expected status, fresh at
/// the tool's clock, and the nonce echoed when one was sent. Answers byte-identical to one already checked for the same
/// target (pre-signed responses) are recognised by their SHA-256 and only re-checked for freshness. For a certID that
/// names no issued certificate, the unsigned <c>unauthorized</c> status is right too: RFC 5019 §2.2.3 allows it, and our
/// responder answers it once its budget of signed "unknown" answers per second is spent.
/// </summary>
internal sealed class OcspChecker(TimeProvider clock)
{
    private const int MaxRemembered = 100_000;
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _checked = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _responders = new(StringComparer.Ordinal);

    /// <summary>Null when the answer is right, else a fixed short reason.</summary>
    public string? Check(OcspTarget target, ReadOnlySpan<byte> body, byte[]? nonce)
    {
        ArgumentNullException.ThrowIfNull(target);
        string? key = null;
        if (nonce is null)
        {
            key = target.GetPath + ":" + Convert.ToHexString(SHA256.HashData(body));
            if (_checked.TryGetValue(key, out var nextUpdate))
            {
                return clock.GetUtcNow() <= nextUpdate + Skew ? null : "stale answer";
            }
        }

        var (reason, next) = FullCheck(target, body.ToArray(), nonce);
        if (reason is null && key is not null)
        {
            if (_checked.Count >= MaxRemembered)
            {
                _checked.Clear();
            }

            _checked[key] = next;
        }

        return reason;
    }

    private (string? Reason, DateTimeOffset NextUpdate) FullCheck(OcspTarget target, byte[] body, byte[]? nonce)
    {
        OcspResp response;
        BasicOcspResp basic;
        try
        {
            response = new OcspResp(body);
            if (response.Status == OcspRespStatus.Unauthorized && target.Expected == ExpectedStatus.Unknown)
            {
                return (null, clock.GetUtcNow().AddMinutes(1));
            }

            if (response.Status != OcspRespStatus.Successful)
            {
                return ("not successful (status " + response.Status + ")", default);
            }

            basic = response.GetResponseObject() as BasicOcspResp ?? throw new OcspException("not basic");
        }
        catch (Exception e) when (e is OcspException or IOException or ArgumentException or InvalidCastException or Org.BouncyCastle.Asn1.Asn1Exception)
        {
            return ("does not parse", default);
        }

        var signer = Responder(target.Issuer, basic);
        if (signer is null)
        {
            return ("no responder the CA issued", default);
        }

        if (!basic.Verify(signer.GetPublicKey()))
        {
            return ("bad signature", default);
        }

        var responses = basic.Responses;
        if (responses.Length != 1 || !responses[0].GetCertID().Equals(target.Id))
        {
            return ("wrong certID", default);
        }

        var single = responses[0];
        var status = single.GetCertStatus() switch
        {
            null => ExpectedStatus.Good,
            RevokedStatus => ExpectedStatus.Revoked,
            UnknownStatus => ExpectedStatus.Unknown,
            _ => (ExpectedStatus)(-1),
        };
        if (status != target.Expected)
        {
            return ("status " + status.ToString().ToLowerInvariant() + " instead of " + target.Expected.ToString().ToLowerInvariant(), default);
        }

        var now = clock.GetUtcNow();
        var thisUpdate = new DateTimeOffset(single.ThisUpdate, TimeSpan.Zero);
        var nextUpdate = single.NextUpdate is { } n ? new DateTimeOffset(n, TimeSpan.Zero) : thisUpdate;
        if (thisUpdate > now + Skew || nextUpdate + Skew < now)
        {
            return ("not fresh", default);
        }

        if (nonce is not null)
        {
            var echoed = basic.GetExtensionValue(OcspObjectIdentifiers.PkixOcspNonce);
            if (echoed is null || !echoed.GetOctets().AsSpan().EndsWith(nonce))
            {
                return ("nonce not echoed", default);
            }
        }

        return (null, nextUpdate);
    }

    /// <summary>The CA itself, or a delegated responder certificate in the answer that the CA signed and that has the OCSP EKU.</summary>
    private X509Certificate? Responder(X509Certificate issuer, BasicOcspResp basic)
    {
        foreach (var certificate in basic.GetCerts())
        {
            var key = Convert.ToHexString(SHA256.HashData(certificate.GetEncoded()));
            var ok = _responders.GetOrAdd(key, _ =>
            {
                try
                {
                    certificate.Verify(issuer.GetPublicKey());
                    return certificate.GetExtendedKeyUsage()?.Contains(KeyPurposeID.id_kp_OCSPSigning) == true;
                }
                catch (Exception e) when (e is Org.BouncyCastle.Security.InvalidKeyException or Org.BouncyCastle.Security.Certificates.CertificateException or Org.BouncyCastle.Security.SignatureException)
                {
                    return false;
                }
            });
            if (ok && Names(basic.ResponderId, certificate))
            {
                return certificate;
            }
        }

        return Names(basic.ResponderId, issuer) ? issuer : null;
    }

    private static bool Names(RespID responder, X509Certificate certificate) =>
        responder.Equals(new RespID(certificate.GetPublicKey())) || responder.Equals(new RespID(certificate.SubjectDN));
}
