using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.Security;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace Jpki.Verification.Tests.Support;

/// <summary>An in-process OCSP responder behind an <see cref="HttpMessageHandler"/>, configurable to misbehave.</summary>
public sealed class FakeOcspResponder : HttpMessageHandler
{
    public enum NonceMode
    {
        Echo,
        Omit,
        Wrong,
    }

    public X509Certificate2 Issuer { get; init; } = TestPki.SignCa;

    /// <summary>The key that signs responses (default: the CA's).</summary>
    public RSA SigningKey { get; init; } = TestPki.SignCaKey;

    /// <summary>A delegated responder certificate to include, if any.</summary>
    public X509Certificate2? ResponderCertificate { get; init; }

    public DateTimeOffset ThisUpdate { get; init; } = TestPki.Now.AddMinutes(-5);

    public DateTimeOffset? NextUpdate { get; init; } = TestPki.Now.AddHours(1);

    public NonceMode Nonce { get; init; } = NonceMode.Echo;

    /// <summary>Serial (hex) → revocation time and reason.</summary>
    public Dictionary<string, (DateTimeOffset At, int Reason)> Revoked { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Answer about another serial than asked.</summary>
    public bool AnswerForOtherSerial { get; init; }

    public int Requests { get; private set; }

    /// <summary>Whether the last request carried a nonce extension.</summary>
    public bool LastRequestHadNonce { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests++;
        var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
        var ocspRequest = new OcspReq(body);
        var id = ocspRequest.GetRequestList()[0].GetCertID();
        if (AnswerForOtherSerial)
        {
            id = CertificateID.DeriveCertificateID(id, id.SerialNumber.Add(Org.BouncyCastle.Math.BigInteger.One));
        }

        var bcIssuer = new BcCertificate(Issuer.RawData);
        var generator = new BasicOcspRespGenerator(new RespID(bcIssuer.SubjectDN));
        var serialHex = id.SerialNumber.ToString(16);
        CertificateStatus? status = Revoked.TryGetValue(serialHex, out var revoked)
            ? new RevokedStatus(revoked.At.UtcDateTime, revoked.Reason)
            : CertificateStatus.Good;
        generator.AddResponse(id, status, ThisUpdate.UtcDateTime, NextUpdate?.UtcDateTime, null);
        var nonce = ocspRequest.GetExtensionValue(OcspObjectIdentifiers.PkixOcspNonce);
        LastRequestHadNonce = nonce is not null;
        if (Nonce != NonceMode.Omit && nonce is not null)
        {
            var value = Nonce == NonceMode.Wrong ? new DerOctetString(new DerOctetString(new byte[32]).GetEncoded()) : nonce;
            var extensions = new X509ExtensionsGenerator();
            extensions.AddExtension(OcspObjectIdentifiers.PkixOcspNonce, false, value.GetOctets());
            generator.SetResponseExtensions(extensions.Generate());
        }

        var key = DotNetUtilities.GetRsaKeyPair(SigningKey).Private;
        var chain = ResponderCertificate is null ? null : new[] { new BcCertificate(ResponderCertificate.RawData) };
        var basic = generator.Generate(new Asn1SignatureFactory("SHA256WITHRSA", key), chain, ThisUpdate.UtcDateTime);
        var encoded = new OCSPRespGenerator().Generate(OCSPRespGenerator.Successful, basic).GetEncoded();
        return new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new ByteArrayContent(encoded) };
    }

    /// <summary>A delegated responder certificate issued by <paramref name="issuer"/> for <paramref name="key"/>.</summary>
    public static X509Certificate2 Delegate(X509Certificate2 issuer, RSA issuerKey, RSA key, bool withOcspSigning)
    {
        var request = new CertificateRequest("C=JP, O=JPKI-TEST, CN=OCSP Responder", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        if (withOcspSigning)
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.9")], critical: false));
        }

        var generator = X509SignatureGenerator.CreateForRSA(issuerKey, RSASignaturePadding.Pkcs1);
        return request.Create(issuer.SubjectName, generator, TestPki.Now.AddDays(-1), TestPki.Now.AddDays(30), [0x77, 0x01]);
    }
}
