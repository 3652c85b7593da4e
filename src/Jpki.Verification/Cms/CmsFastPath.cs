using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Verification.Certificates;

namespace Jpki.Verification.Cms;

/// <summary>
/// The hot path of CMS verification, for the shape a JPKI signature has: strict DER, one SignerInfo v1
/// (issuerAndSerialNumber) whose certificate is embedded, SHA-2 digest, signed attributes with contentType and
/// messageDigest, RSA PKCS#1 v1.5. It reads SignedData with <see cref="AsnReader"/>, takes the certificates from a
/// <see cref="CertificateCache"/> and verifies the signed attributes with the cached public key.
/// </summary>
/// <remarks>
/// It only ever says "all cryptographic checks pass". Anything else — another shape, BER, a mismatch, a bad
/// signature — returns null and <see cref="CmsChecker"/> decides with <see cref="System.Security.Cryptography.Pkcs.SignedCms"/>,
/// so verdicts and messages on failures stay those of the complete path.
/// </remarks>
internal static class CmsFastPath
{
    private const string SignedDataOid = "1.2.840.113549.1.7.2";
    private const string RsaEncryption = "1.2.840.113549.1.1.1";
    private const string ContentTypeOid = "1.2.840.113549.1.9.3";
    private const string MessageDigestOid = "1.2.840.113549.1.9.4";
    private const string SigningTimeOid = "1.2.840.113549.1.9.5";

    private static readonly Asn1Tag Context0 = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag Context1 = new(TagClass.ContextSpecific, 1, isConstructed: true);

    public static CmsInspection? TryCheck(ReadOnlyMemory<byte> encoded, ReadOnlyMemory<byte>? detachedContent, bool requireSigningCertificateV2, CertificateCache cache)
    {
        try
        {
            return Check(encoded, detachedContent, requireSigningCertificateV2, cache);
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException)
        {
            return null;
        }
    }

    private static CmsInspection? Check(ReadOnlyMemory<byte> encoded, ReadOnlyMemory<byte>? detachedContent, bool requireSigningCertificateV2, CertificateCache cache)
    {
        var outer = new AsnReader(encoded, AsnEncodingRules.DER);
        var contentInfo = outer.ReadSequence();
        outer.ThrowIfNotEmpty();
        if (contentInfo.ReadObjectIdentifier() != SignedDataOid)
        {
            return null;
        }

        var explicitContent = contentInfo.ReadSequence(Context0);
        contentInfo.ThrowIfNotEmpty();
        var signedData = explicitContent.ReadSequence();
        explicitContent.ThrowIfNotEmpty();
        _ = signedData.ReadInteger();
        _ = signedData.ReadSetOf();

        var encapsulated = signedData.ReadSequence();
        var contentType = encapsulated.ReadObjectIdentifier();
        ReadOnlyMemory<byte> content;
        var embedded = encapsulated.HasData;
        if (embedded)
        {
            if (detachedContent is not null)
            {
                return null;
            }

            var explicitOctets = encapsulated.ReadSequence(Context0);
            if (!explicitOctets.TryReadPrimitiveOctetString(out content))
            {
                return null;
            }

            explicitOctets.ThrowIfNotEmpty();
            encapsulated.ThrowIfNotEmpty();
        }
        else if (detachedContent is { } given)
        {
            content = given;
        }
        else
        {
            return null;
        }

        if (!signedData.PeekTag().HasSameClassAndValue(Context0))
        {
            return null;
        }

        var certificates = new List<X509Certificate2>(2);
        var certificateSet = signedData.ReadSetOf(skipSortOrderValidation: true, Context0);
        while (certificateSet.HasData)
        {
            if (!certificateSet.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
            {
                return null;
            }

            certificates.Add(cache.Get(certificateSet.ReadEncodedValue().Span));
        }

        if (signedData.HasData && signedData.PeekTag().HasSameClassAndValue(Context1))
        {
            return null;
        }

        var signerInfos = signedData.ReadSetOf();
        signedData.ThrowIfNotEmpty();
        var signerInfo = signerInfos.ReadSequence();
        if (signerInfos.HasData)
        {
            return null;
        }

        if (signerInfo.ReadInteger() != 1)
        {
            return null;
        }

        var sid = signerInfo.ReadSequence();
        var issuer = sid.ReadEncodedValue();
        var serial = sid.ReadIntegerBytes();
        sid.ThrowIfNotEmpty();
        var signer = certificates.Find(c => c.IssuerName.RawData.AsSpan().SequenceEqual(issuer.Span) && c.SerialNumberBytes.Span.SequenceEqual(serial.Span));
        if (signer is null)
        {
            return null;
        }

        var (digestOid, digestParameters) = SignedDer.ReadAlgorithm(signerInfo);
        if (!DigestAlgorithms.TryGet(digestOid, out var digest) || !IsAbsentOrNull(digestParameters))
        {
            return null;
        }

        if (!signerInfo.PeekTag().HasSameClassAndValue(Context0))
        {
            return null;
        }

        var signedAttributesEncoded = signerInfo.PeekEncodedValue();
        var attributes = signerInfo.ReadSetOf(Context0);
        byte[]? messageDigest = null;
        string? signedContentType = null;
        DateTimeOffset? signingTime = null;
        var essSeen = false;
        while (attributes.HasData)
        {
            var attribute = attributes.ReadSequence();
            var oid = attribute.ReadObjectIdentifier();
            var values = attribute.ReadSetOf();
            attribute.ThrowIfNotEmpty();
            var value = values.ReadEncodedValue();
            if (values.HasData)
            {
                return null;
            }

            switch (oid)
            {
                case MessageDigestOid:
                    messageDigest = ReadAll(value, r => r.ReadOctetString());
                    break;
                case ContentTypeOid:
                    signedContentType = ReadAll(value, r => r.ReadObjectIdentifier());
                    break;
                case SigningTimeOid:
                    signingTime = ReadAll(value, DerTime.Read);
                    break;
                case EssSigningCertificate.V1Oid or EssSigningCertificate.V2Oid:
                    essSeen |= oid == EssSigningCertificate.V2Oid;
                    if (EssSigningCertificate.Check(oid, value.ToArray(), signer) is not null)
                    {
                        return null;
                    }

                    break;
            }
        }

        if (messageDigest is null || signedContentType != contentType || (requireSigningCertificateV2 && !essSeen))
        {
            return null;
        }

        if (!CryptographicOperations.FixedTimeEquals(messageDigest, DigestAlgorithms.Hash(digest, content.Span)))
        {
            return null;
        }

        var (signatureOid, signatureParameters) = SignedDer.ReadAlgorithm(signerInfo);
        var signature = signerInfo.ReadOctetString();
        if (signerInfo.HasData || !IsAbsentOrNull(signatureParameters) || !SignatureHashMatches(signatureOid, digest))
        {
            return null;
        }

        if (PublicKeys.Of(signer) is not RSA rsa)
        {
            return null;
        }

        // The signature covers the DER SET OF the attributes: the [0] IMPLICIT tag replaced by the SET tag (RFC 5652 §5.4).
        var toVerify = signedAttributesEncoded.ToArray();
        toVerify[0] = 0x31;
        if (!rsa.VerifyData(toVerify, signature, digest, RSASignaturePadding.Pkcs1))
        {
            return null;
        }

        var collection = new X509Certificate2Collection();
        foreach (var certificate in certificates)
        {
            _ = collection.Add(certificate);
        }

        return new CmsInspection(null, signer, collection, signingTime, embedded ? content.ToArray() : null);
    }

    private static T ReadAll<T>(ReadOnlyMemory<byte> value, Func<AsnReader, T> read)
    {
        var reader = new AsnReader(value, AsnEncodingRules.DER);
        var result = read(reader);
        reader.ThrowIfNotEmpty();
        return result;
    }

    private static bool IsAbsentOrNull(ReadOnlyMemory<byte> parameters)
        => parameters.IsEmpty || parameters.Span.SequenceEqual((ReadOnlySpan<byte>)[0x05, 0x00]);

    private static bool SignatureHashMatches(string oid, HashAlgorithmName digest) => oid switch
    {
        RsaEncryption => true,
        SignatureAlgorithms.Sha256WithRsa => digest == HashAlgorithmName.SHA256,
        SignatureAlgorithms.Sha384WithRsa => digest == HashAlgorithmName.SHA384,
        SignatureAlgorithms.Sha512WithRsa => digest == HashAlgorithmName.SHA512,
        _ => false,
    };
}
