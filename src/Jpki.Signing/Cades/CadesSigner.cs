using System.Formats.Asn1;
using System.Security.Cryptography;
using Jpki.Signing.Signers;
using Jpki.Verification.Cades;
using Jpki.Verification.Cms;
using Microsoft.Extensions.Logging;

namespace Jpki.Signing.Cades;

/// <summary>
/// Makes a CAdES B-B signature (ETSI EN 319 122-1 §6.3, JIS X 5092): CMS SignedData with SHA-256 and
/// sha256WithRSAEncryption — or, for a signer with an ECDSA P-384 key (the next-generation card), SHA-384 and
/// ecdsa-with-SHA384 with the card's r‖s turned into X9.62 DER (<see cref="Jpki.Card.Client.EcdsaSignature.ToDer"/>) — the signed
/// attributes content-type, message-digest, signing-time and signing-certificate-v2, the signer certificate and its
/// chain embedded; the signer (a card) signs the DigestInfo of the signed attributes. Higher levels are added by
/// <see cref="CadesAugmenter"/>.
/// </summary>
public static class CadesSigner
{
    /// <summary>Signs <paramref name="content"/> and returns the DER ContentInfo.</summary>
    /// <param name="content">The data to sign.</param>
    /// <param name="signer">Who signs (the card).</param>
    /// <param name="signingTime">The signing-time attribute, from the caller's clock.</param>
    /// <param name="detached">True (the default for files) for a detached <c>.p7s</c>; false to embed the content.</param>
    /// <param name="logger">Where the signature is logged (event 6101: format, level, the signer certificate's serial and issuer); null: nowhere.</param>
    /// <exception cref="CryptographicException">The signer refused.</exception>
    public static byte[] Sign(ReadOnlySpan<byte> content, ISigner signer, DateTimeOffset signingTime, bool detached = true, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(signer);
        using var key = SignerKeys.KeyOf(signer);
        var signature = CmsSignatureBuilder.Sign(content, signer.Certificate, key, detached, signingTime, signer.CertificateChain);
        LogMade(logger, "CAdES", signer);
        return signature;
    }

    /// <summary>Logs event 6101 for a B-B signature just made by <paramref name="signer"/>.</summary>
    internal static void LogMade(ILogger? logger, string format, ISigner signer)
    {
        if (logger is not null)
        {
            Log.SignatureMade(logger, format, "B-B", signer.Certificate.SerialNumber, signer.Certificate.Issuer);
        }
    }

    /// <summary>
    /// <see cref="SignDigest(ReadOnlySpan{byte}, ISigner, DateTimeOffset?)"/>, then logs the signature as made (event 6101)
    /// under <paramref name="format"/> — <c>PAdES</c> when the digest is of a PDF's byte ranges.
    /// </summary>
    public static byte[] SignDigest(ReadOnlySpan<byte> contentDigest, ISigner signer, DateTimeOffset? signingTime, ILogger? logger, string format)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(format);
        var cms = SignDigest(contentDigest, signer, signingTime);
        LogMade(logger, format, signer);
        return cms;
    }

    /// <summary>
    /// Makes a detached CAdES B-B signature over content the caller has already hashed with SHA-256 — for content too
    /// large to hold, such as the byte ranges of a PDF (PAdES, ETSI EN 319 142-1 §6.3). The signed attributes are
    /// content-type (id-data), message-digest and signing-certificate-v2, plus signing-time only when
    /// <paramref name="signingTime"/> is given (PAdES forbids it: the time is the dictionary's <c>/M</c>). The card signs
    /// the DigestInfo of the DER signed attributes. Returns the DER ContentInfo.
    /// </summary>
    /// <param name="contentDigest">The hash of the content with <see cref="SignerKeys.HashFor"/> of the signer: SHA-256 (32 bytes), or SHA-384 (48 bytes) for a P-384 key.</param>
    /// <param name="signer">Who signs (the card).</param>
    /// <param name="signingTime">The signing-time attribute, or null to leave it out.</param>
    /// <exception cref="ArgumentException">The digest is not of the signer's hash.</exception>
    /// <exception cref="CryptographicException">The signer refused.</exception>
    public static byte[] SignDigest(ReadOnlySpan<byte> contentDigest, ISigner signer, DateTimeOffset? signingTime = null)
    {
        ArgumentNullException.ThrowIfNull(signer);
        var hash = SignerKeys.HashFor(signer);
        var ecdsa = SignerKeys.IsEcdsa(signer);
        var hashLength = hash == HashAlgorithmName.SHA384 ? 48 : hash == HashAlgorithmName.SHA512 ? 64 : 32;
        if (contentDigest.Length != hashLength)
        {
            throw new ArgumentException($"The content digest must be a {hash.Name} hash ({hashLength} bytes) for this signer's key.", nameof(contentDigest));
        }

        var digestOid = hash == HashAlgorithmName.SHA384 ? DigestAlgorithms.Sha384 : hash == HashAlgorithmName.SHA512 ? "2.16.840.1.101.3.4.2.3" : DigestAlgorithms.Sha256;

        var digest = contentDigest.ToArray();
        var attributes = new AsnWriter(AsnEncodingRules.DER);
        using (attributes.PushSetOf())
        {
            WriteAttribute(attributes, CadesOids.ContentType, w => w.WriteObjectIdentifier(CadesOids.Data));
            WriteAttribute(attributes, CadesOids.MessageDigest, w => w.WriteOctetString(digest));
            if (signingTime is { } time)
            {
                WriteAttribute(attributes, CadesOids.SigningTime, w => w.WriteUtcTime(time));
            }

            WriteAttribute(attributes, CadesOids.SigningCertificateV2, w => w.WriteEncodedValue(EssSigningCertificate.EncodeV2(signer.Certificate)));
        }

        var signedAttributes = attributes.Encode();
        var signature = signer.SignHash(CryptographicOperations.HashData(hash, signedAttributes), hash);
        if (ecdsa)
        {
            signature = Jpki.Card.Client.EcdsaSignature.ToDer(signature);
        }

        signedAttributes[0] = 0xA0;

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(SignedDataView.SignedDataOid);
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            using (writer.PushSequence())
            {
                writer.WriteInteger(1);
                using (writer.PushSetOf())
                {
                    WriteAlgorithm(writer, digestOid, withNull: false);
                }

                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(CadesOids.Data);
                }

                using (writer.PushSetOf(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                {
                    writer.WriteEncodedValue(signer.Certificate.RawData);
                    foreach (var certificate in signer.CertificateChain.Where(c => !c.RawData.AsSpan().SequenceEqual(signer.Certificate.RawData)))
                    {
                        writer.WriteEncodedValue(certificate.RawData);
                    }
                }

                using (writer.PushSetOf())
                using (writer.PushSequence())
                {
                    writer.WriteInteger(1);
                    using (writer.PushSequence())
                    {
                        writer.WriteEncodedValue(signer.Certificate.IssuerName.RawData);
                        writer.WriteInteger(signer.Certificate.SerialNumberBytes.Span);
                    }

                    WriteAlgorithm(writer, digestOid, withNull: false);
                    writer.WriteEncodedValue(signedAttributes);
                    // RFC 5758 §3.2: ecdsa-with-SHA* has no parameters; RFC 4055: sha256WithRSAEncryption has NULL.
                    WriteAlgorithm(writer, ecdsa ? (hash == HashAlgorithmName.SHA512 ? "1.2.840.10045.4.3.4" : hash == HashAlgorithmName.SHA384 ? "1.2.840.10045.4.3.3" : "1.2.840.10045.4.3.2") : "1.2.840.113549.1.1.11", withNull: !ecdsa);
                    writer.WriteOctetString(signature);
                }
            }
        }

        return writer.Encode();
    }

    private static void WriteAttribute(AsnWriter writer, string type, Action<AsnWriter> value)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(type);
            using (writer.PushSetOf())
            {
                value(writer);
            }
        }
    }

    private static void WriteAlgorithm(AsnWriter writer, string oid, bool withNull)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            if (withNull)
            {
                writer.WriteNull();
            }
        }
    }
}
