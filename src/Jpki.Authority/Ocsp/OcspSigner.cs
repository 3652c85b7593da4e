using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Authority.Ca;
using Jpki.Authority.Profiles;

namespace Jpki.Authority.Ocsp;

/// <summary>
/// The delegated OCSP responder of one CA (RFC 6960 §4.2.2.2): a process-local RSA-2048 key with a short-lived
/// certificate issued by the CA (id-kp-OCSPSigning, ocsp-nocheck). Renewed when a quarter of its validity remains, so
/// the CA key is used once per renewal, not per response. The key is never written to disk.
/// </summary>
internal sealed class OcspSigner : IDisposable
{
    private readonly IssuingCa _ca;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _validity;
    private readonly IIdentifierSource _ids;
    private readonly Action<byte[], DateTimeOffset, DateTimeOffset, DateTimeOffset, byte[]>? _issued;
    private readonly object _gate = new();
    private Identity? _current;

    /// <param name="ca">The CA that issues the signer certificates.</param>
    /// <param name="clock">The clock.</param>
    /// <param name="validity">Signer certificate validity.</param>
    /// <param name="ids">Serial source.</param>
    /// <param name="issued">Told of every new signer certificate (serial, issuance instant, notBefore, notAfter, DER), to record it.</param>
    public OcspSigner(IssuingCa ca, TimeProvider clock, TimeSpan validity, IIdentifierSource ids, Action<byte[], DateTimeOffset, DateTimeOffset, DateTimeOffset, byte[]>? issued = null)
    {
        _issued = issued;
        _ca = ca;
        _clock = clock;
        _validity = validity;
        _ids = ids;
    }

    public Identity Current
    {
        get
        {
            var now = _clock.GetUtcNow();
            var current = Volatile.Read(ref _current);
            if (current is not null && now < current.RenewAt)
            {
                return current;
            }

            lock (_gate)
            {
                current = _current;
                if (current is null || now >= current.RenewAt)
                {
                    var renewed = Issue(now);
                    Volatile.Write(ref _current, renewed);

                    // The old key may still be signing a response on another thread; it is left to the GC.
                    current = renewed;
                }

                return current;
            }
        }
    }

    public void Dispose() => _current?.Key.Dispose();

    private Identity Issue(DateTimeOffset now)
    {
        // The responder key follows the CA: RSA-2048, or P-384 under a next-generation CA.
        AsymmetricAlgorithm key = _ca.Key.SignatureAlgorithm == Keys.CaSignatureAlgorithm.EcdsaWithSha384
            ? ECDsa.Create(ECCurve.NamedCurves.nistP384)
            : RSA.Create(2048);
        var publicKey = new PublicKey(key);
        var notBefore = now - TimeSpan.FromMinutes(5);
        var notAfter = now + _validity;
        var serial = _ids.NextSerial();
        var der = EndEntityProfile.BuildOcspSigner(_ca, publicKey, serial, notBefore, notAfter);
        _issued?.Invoke(serial, now, notBefore, notAfter, der);
#pragma warning disable CA5350 // ResponderID byKey is defined as the SHA-1 of the key (RFC 6960 §4.2.1).
        var keyHash = SHA1.HashData(publicKey.EncodedKeyValue.RawData);
#pragma warning restore CA5350
        return new Identity(key, der, keyHash, now + (_validity * 3 / 4));
    }

    internal sealed record Identity(AsymmetricAlgorithm Key, byte[] CertificateDer, byte[] KeyHash, DateTimeOffset RenewAt)
    {
        /// <summary><c>[0] EXPLICIT SEQUENCE OF Certificate</c> with the signer's certificate, encoded once.</summary>
        private readonly byte[] _certs = Certs(CertificateDer);

        /// <summary>
        /// Signs the ResponseData in <paramref name="responseData"/> and wraps it into an OCSPResponse (successful,
        /// id-pkix-ocsp-basic, sha256WithRSAEncryption or ecdsa-with-SHA384 by the responder key, the signer certificate included).
        /// </summary>
        public byte[] Envelope(AsnWriter responseData)
        {
            var tbs = responseData.Encode();
            var ecdsa = Key as ECDsa;
            var signature = ecdsa is not null
                ? ecdsa.SignData(tbs, HashAlgorithmName.SHA384, DSASignatureFormat.Rfc3279DerSequence)
                : ((RSA)Key).SignData(tbs, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var basic = new AsnWriter(AsnEncodingRules.DER, initialCapacity: tbs.Length + signature.Length + _certs.Length + 64);
            using (basic.PushSequence())
            {
                basic.WriteEncodedValue(tbs);
                basic.WriteEncodedValue(ecdsa is not null ? Keys.CaSignatureAlgorithms.EcdsaWithSha384Identifier : Keys.CaSignatureAlgorithms.Sha256WithRsaIdentifier);
                basic.WriteBitString(signature);
                basic.WriteEncodedValue(_certs);
            }

            var response = new AsnWriter(AsnEncodingRules.DER, initialCapacity: basic.GetEncodedLength() + 32);
            using (response.PushSequence())
            {
                response.WriteEnumeratedValue(OcspStatus.Successful);
                using (response.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                using (response.PushSequence())
                {
                    response.WriteObjectIdentifier(Oids.OcspBasic);
                    using (response.PushOctetString())
                    {
                        basic.CopyTo(response);
                    }
                }
            }

            return response.Encode();
        }

        private static byte[] Certs(byte[] certificate)
        {
            var writer = new AsnWriter(AsnEncodingRules.DER);
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            using (writer.PushSequence())
            {
                writer.WriteEncodedValue(certificate);
            }

            return writer.Encode();
        }
    }
}
