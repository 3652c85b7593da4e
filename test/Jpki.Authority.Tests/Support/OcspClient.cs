using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.X509;
using BcX509Extension = Org.BouncyCastle.Asn1.X509.X509Extension;
using BcX509Extensions = Org.BouncyCastle.Asn1.X509.X509Extensions;

namespace Jpki.Authority.Tests.Support;

/// <summary>Builds OCSP requests and reads responses with BouncyCastle: a second implementation, not our parser.</summary>
public static class OcspClient
{
    /// <summary>
    /// Public keys by certificate DER: BouncyCastle checks an RSA modulus with a Miller–Rabin test each time it makes a key,
    /// which made reading thousands of answers (the crash and multi-process runs) take minutes. Signatures are still checked on every read.
    /// </summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Org.BouncyCastle.Crypto.AsymmetricKeyParameter> Keys = new(StringComparer.Ordinal);

    private static Org.BouncyCastle.Crypto.AsymmetricKeyParameter KeyOf(X509Certificate certificate) =>
        Keys.GetOrAdd(Convert.ToBase64String(certificate.GetEncoded()), _ => certificate.GetPublicKey());

    public static byte[] Request(byte[] caDer, string serialHex, byte[]? nonce = null, bool sha256 = false)
    {
        var ca = new X509CertificateParser().ReadCertificate(caDer);
        var id = new CertificateID(sha256 ? new Org.BouncyCastle.Asn1.X509.AlgorithmIdentifier(Org.BouncyCastle.Asn1.Nist.NistObjectIdentifiers.IdSha256, DerNull.Instance) : CertificateID.DigestSha1, ca, new BigInteger(serialHex, 16));
        var generator = new OcspReqGenerator();
        generator.AddRequest(id);
        if (nonce is not null)
        {
            generator.SetRequestExtensions(new BcX509Extensions(new Dictionary<DerObjectIdentifier, BcX509Extension>
            {
                [OcspObjectIdentifiers.PkixOcspNonce] = new BcX509Extension(false, new DerOctetString(new DerOctetString(nonce).GetEncoded())),
            }));
        }

        return generator.Generate().GetEncoded();
    }

    public static int Status(byte[] response) => new OcspResp(response).Status;

    /// <summary>Checks the signature with the embedded signer certificate, and that the signer is issued by the CA; returns the single response.</summary>
    public static (SingleResp Single, BasicOcspResp Basic) Read(byte[] response, byte[] caDer)
    {
        var resp = new OcspResp(response);
        Assert.Equal(0, resp.Status);
        var basic = (BasicOcspResp)resp.GetResponseObject();
        var signer = Assert.Single(basic.GetCerts());
        Assert.True(basic.Verify(KeyOf(signer)), "response signature");
        signer.Verify(KeyOf(new X509CertificateParser().ReadCertificate(caDer)));
        Assert.Contains("1.3.6.1.5.5.7.3.9", signer.GetExtendedKeyUsage().Select(o => o.Id));
        return (Assert.Single(basic.Responses), basic);
    }

    public static byte[]? Nonce(BasicOcspResp basic)
    {
        var value = basic.GetExtensionValue(OcspObjectIdentifiers.PkixOcspNonce);
        return value is null ? null : ((Asn1OctetString)Asn1Object.FromByteArray(value.GetOctets())).GetOctets();
    }
}
