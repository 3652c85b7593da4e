using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Verification.Cades;
using Jpki.Verification.Certificates;

namespace Jpki.Verification.Cms;

/// <summary>
/// The cryptographic checks of a detached CMS signature whose content is too large to hold (a PDF's byte ranges): the
/// caller hashes the content as a stream and this class checks the rest as <see cref="CmsChecker"/> does — one
/// signer, its certificate embedded, SHA-2, messageDigest, contentType, ESS signing-certificate binding, and the RSA
/// signature over the signed attributes (or, without signed attributes, over the content digest).
/// </summary>
internal static class CmsDigestChecker
{
    private const string MessageDigestOid = "1.2.840.113549.1.9.4";
    private const string ContentTypeOid = "1.2.840.113549.1.9.3";
    private const string SigningTimeOid = "1.2.840.113549.1.9.5";
    private const string RsaEncryption = "1.2.840.113549.1.1.1";

    /// <param name="encoded">The CMS ContentInfo (detached).</param>
    /// <param name="contentDigest">Hashes the detached content with the algorithm the signer chose.</param>
    public static CmsInspection Check(ReadOnlyMemory<byte> encoded, Func<HashAlgorithmName, byte[]> contentDigest)
    {
        ArgumentNullException.ThrowIfNull(contentDigest);
        var none = new X509Certificate2Collection();
        SignedDataView view;
        try
        {
            view = SignedDataView.Read(encoded);
        }
        catch (AsnContentException)
        {
            return Fail(VerdictCode.Malformed, "The signature is not a CMS SignedData structure (or it is truncated).", null, none);
        }

        if (view.Content is not null)
        {
            return Fail(VerdictCode.Malformed, "The CMS embeds content; a PDF signature must be detached.", null, none);
        }

        if (view.SignerInfos.Count != 1)
        {
            return Fail(VerdictCode.Malformed, $"The CMS has {view.SignerInfos.Count} signers; a PDF signature has exactly one.", null, none);
        }

        var certificates = new X509Certificate2Collection();
        try
        {
            foreach (var der in view.Certificates)
            {
                if (der.Span.Length > 0 && der.Span[0] == 0x30)
                {
                    _ = certificates.Add(X509CertificateLoader.LoadCertificate(der.Span));
                }
            }
        }
        catch (CryptographicException)
        {
            return Fail(VerdictCode.Malformed, "The CMS carries a certificate that cannot be decoded.", null, none);
        }

        var info = view.SignerInfos[0];
        X509Certificate2? signer;
        string digestOid;
        string signatureOid;
        try
        {
            signer = FindSigner(info.Sid, certificates);
            digestOid = SignedDer.ReadAlgorithm(new AsnReader(info.DigestAlgorithm, AsnEncodingRules.BER)).Oid;
            signatureOid = SignedDer.ReadAlgorithm(new AsnReader(info.SignatureAlgorithm, AsnEncodingRules.BER)).Oid;
        }
        catch (AsnContentException)
        {
            return Fail(VerdictCode.Malformed, "The SignerInfo is malformed.", null, certificates);
        }

        if (signer is null)
        {
            return Fail(VerdictCode.Malformed, "The CMS does not include the signer's certificate.", null, certificates);
        }

        if (CertificateFields.Problem(signer) is { } problem)
        {
            return Fail(VerdictCode.Malformed, problem, null, none);
        }

        if (!DigestAlgorithms.TryGet(digestOid, out var digest))
        {
            return Fail(VerdictCode.BadSignature, $"The digest algorithm {digestOid} is not accepted (SHA-256/384/512 only).", signer, certificates);
        }

        // ECDSA (the next-generation card, P-384): ecdsa-with-SHA* of the same hash as the digest algorithm, X9.62 DER.
        var ecdsaSignature = signatureOid == EcdsaFor(digest);
        if (!ecdsaSignature && signatureOid != RsaEncryption && signatureOid != SignatureFor(digest))
        {
            return Fail(VerdictCode.BadSignature, $"The signature algorithm {signatureOid} is not RSA PKCS#1 v1.5 or ECDSA with {digest.Name}.", signer, certificates);
        }

        var hash = contentDigest(digest);
        DateTimeOffset? signingTime = null;
        AsymmetricAlgorithm? key;
        try
        {
            key = ecdsaSignature ? signer.GetECDsaPublicKey() : signer.GetRSAPublicKey();
        }
        catch (CryptographicException)
        {
            return Fail(VerdictCode.Malformed, "The signer certificate's public key cannot be decoded.", signer, certificates);
        }

        using var publicKey = key;
        if (publicKey is null)
        {
            return Fail(VerdictCode.BadSignature, ecdsaSignature ? "The signer certificate does not hold an EC key." : "The signer certificate does not hold an RSA key.", signer, certificates);
        }

        if (info.SignedAttributes.IsEmpty)
        {
            return VerifiesHash(publicKey, hash, info.SignatureValue, digest)
                ? new CmsInspection(null, signer, certificates, null, null)
                : Fail(VerdictCode.BadSignature, "The signature does not verify: the document was altered, or the key does not match the certificate.", signer, certificates);
        }

        byte[]? messageDigest = null;
        string? contentType = null;
        try
        {
            foreach (var attribute in info.SignedAttributeList)
            {
                if (attribute.Values.Count != 1)
                {
                    return Fail(VerdictCode.Malformed, $"The signed attribute {attribute.Type} must have exactly one value.", signer, certificates);
                }

                var value = attribute.Values[0];
                switch (attribute.Type)
                {
                    case MessageDigestOid:
                        messageDigest = new AsnReader(value, AsnEncodingRules.DER).ReadOctetString();
                        break;
                    case ContentTypeOid:
                        contentType = new AsnReader(value, AsnEncodingRules.DER).ReadObjectIdentifier();
                        break;
                    case SigningTimeOid:
                        signingTime = DerTime.Read(new AsnReader(value, AsnEncodingRules.DER));
                        break;
                    case EssSigningCertificate.V1Oid or EssSigningCertificate.V2Oid:
                        if (EssSigningCertificate.Check(attribute.Type, value.ToArray(), signer) is { } why)
                        {
                            return Fail(VerdictCode.BadSignature, why, signer, certificates);
                        }

                        break;
                }
            }
        }
        catch (AsnContentException)
        {
            return Fail(VerdictCode.Malformed, "A signed attribute is malformed.", signer, certificates);
        }

        if (messageDigest is null)
        {
            return Fail(VerdictCode.Malformed, "The signed attributes lack messageDigest.", signer, certificates);
        }

        if (contentType != view.EContentType)
        {
            return Fail(VerdictCode.BadSignature, "The contentType signed attribute differs from the encapsulated content type.", signer, certificates);
        }

        if (!CryptographicOperations.FixedTimeEquals(messageDigest, hash))
        {
            return new(Verdict.Fail(VerdictCode.ContentTampered, "The signed bytes of the PDF do not match the digest the signer signed: the document was altered after signing."), signer, certificates, signingTime, null);
        }

        // The signature covers the DER SET OF the attributes: the [0] IMPLICIT tag replaced by the SET tag (RFC 5652 §5.4).
        var toVerify = info.SignedAttributes.ToArray();
        toVerify[0] = 0x31;
        if (!VerifiesHash(publicKey, CryptographicOperations.HashData(digest, toVerify), info.SignatureValue, digest))
        {
            return new(Verdict.Fail(VerdictCode.BadSignature, "The signature does not verify with the signer certificate's key."), signer, certificates, signingTime, null);
        }

        return new CmsInspection(null, signer, certificates, signingTime, null);
    }

    private static bool VerifiesHash(AsymmetricAlgorithm key, byte[] hash, ReadOnlyMemory<byte> signature, HashAlgorithmName digest) => key switch
    {
        RSA rsa => rsa.VerifyHash(hash, signature.Span, digest, RSASignaturePadding.Pkcs1),
        ECDsa ecdsa => ecdsa.VerifyHash(hash, signature.Span, DSASignatureFormat.Rfc3279DerSequence),
        _ => false,
    };

    private static string? EcdsaFor(HashAlgorithmName digest) =>
        digest == HashAlgorithmName.SHA256 ? SignatureAlgorithms.EcdsaSha256
        : digest == HashAlgorithmName.SHA384 ? SignatureAlgorithms.EcdsaSha384
        : digest == HashAlgorithmName.SHA512 ? SignatureAlgorithms.EcdsaSha512
        : null;

    private static string? SignatureFor(HashAlgorithmName digest) =>
        digest == HashAlgorithmName.SHA256 ? SignatureAlgorithms.Sha256WithRsa
        : digest == HashAlgorithmName.SHA384 ? SignatureAlgorithms.Sha384WithRsa
        : digest == HashAlgorithmName.SHA512 ? SignatureAlgorithms.Sha512WithRsa
        : null;

    /// <summary>The certificate named by the SignerIdentifier (issuerAndSerialNumber, or [0] subjectKeyIdentifier).</summary>
    private static X509Certificate2? FindSigner(ReadOnlyMemory<byte> sid, X509Certificate2Collection certificates)
    {
        var reader = new AsnReader(sid, AsnEncodingRules.BER);
        var tag = reader.PeekTag();
        if (tag.HasSameClassAndValue(Asn1Tag.Sequence))
        {
            var issuerAndSerial = reader.ReadSequence();
            var issuer = issuerAndSerial.ReadEncodedValue();
            var serial = issuerAndSerial.ReadIntegerBytes();
            return certificates.FirstOrDefault(c => c.IssuerName.RawData.AsSpan().SequenceEqual(issuer.Span) && c.SerialNumberBytes.Span.SequenceEqual(serial.Span));
        }

        var keyId = reader.ReadOctetString(new Asn1Tag(TagClass.ContextSpecific, 0));
        return certificates.FirstOrDefault(c => c.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()?.SubjectKeyIdentifierBytes.Span.SequenceEqual(keyId) == true);
    }

    private static CmsInspection Fail(VerdictCode code, string message, X509Certificate2? signer, X509Certificate2Collection certificates) => new(Verdict.Fail(code, message), signer, certificates, null, null);
}
