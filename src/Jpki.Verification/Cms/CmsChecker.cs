using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Jpki.Verification.Certificates;

namespace Jpki.Verification.Cms;

/// <summary>
/// The cryptographic half of CMS verification (RFC 5652 §5.4, §5.6): exactly one signer, its certificate embedded,
/// SHA-2 digest, messageDigest equal to the content's digest, contentType equal to the encapsulated type, ESS
/// signing-certificate binding, and the signature itself.
/// </summary>
internal static class CmsChecker
{
    private const string ContentTypeOid = "1.2.840.113549.1.9.3";
    private const string MessageDigestOid = "1.2.840.113549.1.9.4";
    private const string SigningTimeOid = "1.2.840.113549.1.9.5";

    /// <summary>
    /// Checks a CMS signature: first by <see cref="CmsFastPath"/> with shared certificate instances from
    /// <paramref name="cache"/> (when given), then, for any other shape or any failure, with <see cref="SignedCms"/>.
    /// </summary>
    public static CmsInspection Check(ReadOnlyMemory<byte> encodedMemory, ReadOnlyMemory<byte>? detachedContent, bool requireSigningCertificateV2, CertificateCache? cache = null)
    {
        if (detachedContent is { } given && IsAttached(encodedMemory.Span))
        {
            // An attached signature given with a file (`jpki verify --in doc --sig doc.p7s`): verify it as attached, then the
            // file must be the content it carries.
            var attached = Check(encodedMemory, null, requireSigningCertificateV2, cache);
            return attached.Failure is null && !given.Span.SequenceEqual(attached.Content!.Value.Span)
                ? attached with { Failure = Verdict.Fail(VerdictCode.ContentTampered, "The signature embeds different content than the file given to verify."), Content = null }
                : attached;
        }

        var inspection = CheckShape(encodedMemory, detachedContent, requireSigningCertificateV2, cache);
        if (inspection.Signer is { } signer && CertificateFields.Problem(signer) is { } problem)
        {
            return inspection with { Failure = Verdict.Fail(VerdictCode.Malformed, problem), Signer = null, Certificates = [] };
        }

        return inspection;
    }

    private static CmsInspection CheckShape(ReadOnlyMemory<byte> encodedMemory, ReadOnlyMemory<byte>? detachedContent, bool requireSigningCertificateV2, CertificateCache? cache)
    {
        if (cache is not null && CmsFastPath.TryCheck(encodedMemory, detachedContent, requireSigningCertificateV2, cache) is { } fast)
        {
            return fast;
        }

        var encoded = encodedMemory.Span;
        var empty = new X509Certificate2Collection();
        SignedCms cms;
        bool embedded;
        try
        {
            embedded = HasEmbeddedContent(encoded);
            cms = detachedContent is { } content ? new SignedCms(new ContentInfo(content.ToArray()), detached: true) : new SignedCms();
            cms.Decode(encoded);

            // SignedCms decodes the signer infos (with their signed attributes) and the embedded certificates lazily, on
            // first access: touch them here so a corrupt one is Malformed like the rest, not a CryptographicException later.
            _ = cms.SignerInfos;
            _ = cms.Certificates;
        }
        catch (Exception e) when (e is CryptographicException or AsnContentException)
        {
            return Fail(VerdictCode.Malformed, "The signature file is not a CMS SignedData structure.");
        }

        if (cms.SignerInfos.Count != 1)
        {
            return Fail(VerdictCode.Malformed, $"The CMS has {cms.SignerInfos.Count} signers; a JPKI signature has exactly one.");
        }

        var signer = cms.SignerInfos[0];
        var certificate = signer.Certificate;
        if (certificate is null)
        {
            return Fail(VerdictCode.Malformed, "The CMS does not include the signer's certificate.");
        }

        byte[] signedContent = cms.ContentInfo.Content;
        if (detachedContent is { } given && embedded && !given.Span.SequenceEqual(signedContent))
        {
            return new(Verdict.Fail(VerdictCode.ContentTampered, "The signature embeds different content than the file given to verify."), certificate, cms.Certificates, null, null);
        }

        if (!embedded && detachedContent is null)
        {
            return Fail(VerdictCode.Malformed, "The signature is detached: give the signed file too.");
        }

        if (!DigestAlgorithms.TryGet(signer.DigestAlgorithm.Value, out var digest))
        {
            return new(Verdict.Fail(VerdictCode.BadSignature, $"The digest algorithm {signer.DigestAlgorithm.Value} is not accepted (SHA-256/384/512 only)."), certificate, cms.Certificates, null, null);
        }

        DateTimeOffset? signingTime = null;
        var attributes = signer.SignedAttributes;
        if (attributes.Count > 0)
        {
            byte[]? messageDigest = null;
            var essSeen = false;
            foreach (var attribute in attributes)
            {
                if (attribute.Values.Count != 1)
                {
                    return new(Verdict.Fail(VerdictCode.Malformed, $"The signed attribute {attribute.Oid.Value} must have exactly one value."), certificate, cms.Certificates, null, null);
                }

                var raw = attribute.Values[0].RawData;
                switch (attribute.Oid.Value)
                {
                    case MessageDigestOid:
                        messageDigest = ReadOctetString(raw);
                        break;
                    case ContentTypeOid:
                        if (ReadOid(raw) != cms.ContentInfo.ContentType.Value)
                        {
                            return new(Verdict.Fail(VerdictCode.BadSignature, "The contentType signed attribute differs from the encapsulated content type."), certificate, cms.Certificates, null, null);
                        }

                        break;
                    case SigningTimeOid:
                        signingTime = ReadTime(raw);
                        break;
                    case EssSigningCertificate.V1Oid or EssSigningCertificate.V2Oid:
                        essSeen |= attribute.Oid.Value == EssSigningCertificate.V2Oid;
                        if (EssSigningCertificate.Check(attribute.Oid.Value, raw, certificate) is { } why)
                        {
                            return new(Verdict.Fail(VerdictCode.BadSignature, why), certificate, cms.Certificates, signingTime, null);
                        }

                        break;
                }
            }

            if (messageDigest is null)
            {
                return new(Verdict.Fail(VerdictCode.Malformed, "The signed attributes lack messageDigest."), certificate, cms.Certificates, null, null);
            }

            if (!CryptographicOperations.FixedTimeEquals(messageDigest, DigestAlgorithms.Hash(digest, signedContent)))
            {
                return new(Verdict.Fail(VerdictCode.ContentTampered, "The content does not match the digest the signer signed: it was altered after signing, or it is not the signed file."), certificate, cms.Certificates, signingTime, null);
            }

            if (requireSigningCertificateV2 && !essSeen)
            {
                return new(Verdict.Fail(VerdictCode.BadSignature, "The signature lacks the ESS signingCertificateV2 attribute, which this verifier requires."), certificate, cms.Certificates, signingTime, null);
            }
        }

        try
        {
            signer.CheckSignature(verifySignatureOnly: true);
        }
        catch (CryptographicException)
        {
            var why = attributes.Count > 0
                ? "The signature does not verify with the signer certificate's key."
                : "The signature does not verify: the content was altered, or the key does not match the certificate.";
            return new(Verdict.Fail(VerdictCode.BadSignature, why), certificate, cms.Certificates, signingTime, null);
        }

        return new(null, certificate, cms.Certificates, signingTime, embedded ? signedContent : null);

        CmsInspection Fail(VerdictCode code, string message) => new(Verdict.Fail(code, message), null, empty, null, null);
    }

    /// <summary>True when <paramref name="encoded"/> is a CMS SignedData with eContent; false for anything else (judged later).</summary>
    private static bool IsAttached(ReadOnlySpan<byte> encoded)
    {
        try
        {
            return HasEmbeddedContent(encoded);
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    /// <summary>True when encapContentInfo carries eContent (an attached signature). BER, as CMS allows.</summary>
    private static bool HasEmbeddedContent(ReadOnlySpan<byte> encoded)
    {
        var contentInfo = new AsnReader(encoded.ToArray(), AsnEncodingRules.BER).ReadSequence();
        _ = contentInfo.ReadObjectIdentifier();
        var signedData = contentInfo.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)).ReadSequence();
        _ = signedData.ReadInteger();
        _ = signedData.ReadSetOf();
        var encapsulated = signedData.ReadSequence();
        _ = encapsulated.ReadObjectIdentifier();
        return encapsulated.HasData;
    }

    private static byte[]? ReadOctetString(byte[] raw)
    {
        try
        {
            var reader = new AsnReader(raw, AsnEncodingRules.DER);
            var value = reader.ReadOctetString();
            reader.ThrowIfNotEmpty();
            return value;
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    private static string? ReadOid(byte[] raw)
    {
        try
        {
            return new AsnReader(raw, AsnEncodingRules.DER).ReadObjectIdentifier();
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    private static DateTimeOffset? ReadTime(byte[] raw)
    {
        try
        {
            return DerTime.Read(new AsnReader(raw, AsnEncodingRules.DER));
        }
        catch (AsnContentException)
        {
            return null;
        }
    }
}
