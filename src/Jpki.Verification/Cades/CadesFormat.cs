using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Verification.Cms;
using Jpki.Verification.Signatures;

namespace Jpki.Verification.Cades;

/// <summary>
/// CMS signatures as CAdES (ETSI EN 319 122-1, JIS X 5092): the document is a <c>.p7s</c> (enveloping), or a detached
/// <c>.p7s</c> with its signed file. The cryptographic checks are <see cref="CmsChecker"/>'s (messageDigest,
/// contentType, ESS signing-certificate, signature value); this class gathers what CAdES adds — signature
/// time-stamps, certificates and revocation values in SignedData (B-LT), archive-time-stamp-v3 (B-LTA) — as
/// <see cref="SignatureEvidence"/>.
/// </summary>
internal sealed class CadesFormat : ISignatureFormat
{
    /// <summary>The DER of the signedData OID, which a CMS ContentInfo carries right after its first length.</summary>
    private static readonly byte[] SignedDataOidDer = [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02];

    public string Name => "CAdES";

    public bool Detect(SignedDocument document, ReadOnlySpan<byte> head)
    {
        if (head.Length > 2 && head[0] == 0x30)
        {
            return head[..Math.Min(head.Length, 16)].IndexOf(SignedDataOidDer) >= 0;
        }

        var text = System.Text.Encoding.ASCII.GetString(head[..Math.Min(head.Length, 64)]);
        return text.TrimStart().StartsWith("-----BEGIN CMS-----", StringComparison.Ordinal) || text.TrimStart().StartsWith("-----BEGIN PKCS7-----", StringComparison.Ordinal);
    }

    public async Task<IReadOnlyList<SignatureReport>> ValidateAsync(SignedDocument document, SignatureValidationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(context);
        ReadOnlyMemory<byte> cms;
        ReadOnlyMemory<byte>? detached = null;
        try
        {
            cms = Unpem(await document.SignatureSource.ReadAllAsync(context.Options.MaxSignatureBytes, cancellationToken).ConfigureAwait(false));
            if (document.DetachedSignature is not null)
            {
                detached = await document.Document.ReadAllAsync(context.Options.MaxSignatureBytes, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return [await context.EvaluateAsync(Failed(SignatureFailure.Format(e.Message)), cancellationToken).ConfigureAwait(false)];
        }

        var evidence = Gather(cms, detached);
        return [await context.EvaluateAsync(evidence, cancellationToken).ConfigureAwait(false)];
    }

    /// <summary>The evidence of the (single) signer of <paramref name="cms"/>.</summary>
    internal static SignatureEvidence Gather(ReadOnlyMemory<byte> cms, ReadOnlyMemory<byte>? detached)
    {
        SignedDataView view;
        try
        {
            view = SignedDataView.Read(cms);
        }
        catch (AsnContentException)
        {
            return Failed(SignatureFailure.Format("The signature file is not a CMS SignedData structure (or it is truncated)."));
        }

        if (view.Content is null && detached is null)
        {
            return Failed(new SignatureFailure(Indication.Indeterminate, SubIndication.SignedDataNotFound, Verdict.Fail(VerdictCode.Malformed, "The signature is detached: give the signed file too.")));
        }

        var inspection = CmsChecker.Check(cms, detached, requireSigningCertificateV2: false);
        if (inspection.Failure is { } failure)
        {
            return Failed(SignatureFailure.From(failure)) with { SigningCertificate = inspection.Signer, ClaimedSigningTime = inspection.SigningTime };
        }

        var signer = inspection.Signer!;
        var info = view.SignerInfos[0];
        var content = view.Content ?? detached!.Value.ToArray();
        var warnings = new List<string>();
        var (crls, ocsp) = RevocationValues(view, warnings);
        var timestamps = new List<TimestampEvidence>();
        foreach (var attribute in info.SignedAttributeList.Where(a => a.Type == CadesOids.ContentTimeStamp))
        {
            timestamps.AddRange(attribute.Values.Select(v => new TimestampEvidence(TimestampKind.Content, v, a => DigestAlgorithms.Hash(a, content))));
        }

        var signatureValue = info.SignatureValue;
        foreach (var attribute in info.UnsignedAttributes)
        {
            switch (attribute.Type)
            {
                case CadesOids.SignatureTimeStamp:
                    timestamps.AddRange(attribute.Values.Select(v => new TimestampEvidence(TimestampKind.Signature, v, a => DigestAlgorithms.Hash(a, signatureValue))));
                    break;
                case CadesOids.ArchiveTimeStampV3:
                    foreach (var token in attribute.Values)
                    {
                        var index = ArchiveTimestampV3.HashIndexOf(token);
                        timestamps.Add(new TimestampEvidence(TimestampKind.Archive, token, a => index is { } i ? ArchiveTimestampV3.ExpectedImprint(view, 0, content, true, i, a) : null));
                    }

                    break;
                case CadesOids.ArchiveTimeStampV2:
                    warnings.Add("The signature carries a CAdES-A archive-time-stamp (v2, TS 101 733), which this validator does not check; it was ignored.");
                    break;
            }
        }

        var hasEss = info.SignedAttributeList.Any(a => a.Type is CadesOids.SigningCertificateV2 or CadesOids.SigningCertificate);
        var hasSignatureTimestamp = timestamps.Any(t => t.Kind == TimestampKind.Signature);
        var level = !hasEss ? "none"
            : timestamps.Any(t => t.Kind == TimestampKind.Archive) ? "B-LTA"
            : hasSignatureTimestamp && crls.Count + ocsp.Count > 0 ? "B-LT"
            : hasSignatureTimestamp ? "B-T"
            : "B-B";
        if (!hasEss)
        {
            warnings.Add("The signature lacks the ESS signing-certificate-v2 attribute, so it is plain CMS rather than CAdES B-B.");
        }

        return new SignatureEvidence
        {
            Id = "signer-1",
            Format = "CAdES",
            Level = level,
            SigningCertificate = signer,
            Certificates = [.. inspection.Certificates.Where(c => !ReferenceEquals(c, signer))],
            Crls = crls,
            OcspResponses = ocsp,
            ClaimedSigningTime = inspection.SigningTime,
            Timestamps = timestamps,
            SignedContent = view.Content,
            Warnings = warnings,
        };
    }

    /// <summary>CRLs and OCSP answers of SignedData.crls (RFC 5652 RevocationInfoChoice, RFC 5940 id-ri-ocsp-response).</summary>
    internal static (List<ReadOnlyMemory<byte>> Crls, List<ReadOnlyMemory<byte>> Ocsp) RevocationValues(SignedDataView view, List<string> warnings)
    {
        var crls = new List<ReadOnlyMemory<byte>>();
        var ocsp = new List<ReadOnlyMemory<byte>>();
        foreach (var choice in view.Crls)
        {
            try
            {
                var reader = new AsnReader(choice, AsnEncodingRules.BER);
                var tag = reader.PeekTag();
                if (tag.HasSameClassAndValue(Asn1Tag.Sequence))
                {
                    crls.Add(choice);
                    continue;
                }

                var other = reader.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 1, isConstructed: true));
                var format = other.ReadObjectIdentifier();
                var value = other.ReadEncodedValue();
                switch (format)
                {
                    case CadesOids.OcspResponseRevocationInfo:
                        ocsp.Add(value);
                        break;
                    case CadesOids.OcspBasic:
                        ocsp.Add(WrapBasic(value));
                        break;
                    default:
                        warnings.Add($"SignedData.crls holds revocation information of format {format}, which was ignored.");
                        break;
                }
            }
            catch (AsnContentException)
            {
                warnings.Add("SignedData.crls holds an entry that is not valid DER; it was ignored.");
            }
        }

        return (crls, ocsp);
    }

    /// <summary>An OCSPResponse (successful, id-pkix-ocsp-basic) around a BasicOCSPResponse.</summary>
    private static byte[] WrapBasic(ReadOnlyMemory<byte> basic)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteEncodedValue((ReadOnlySpan<byte>)[0x0A, 0x01, 0x00]);
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(CadesOids.OcspBasic);
                writer.WriteOctetString(basic.Span);
            }
        }

        return writer.Encode();
    }

    private static SignatureEvidence Failed(SignatureFailure failure) => new() { Id = "signer-1", Format = "CAdES", Level = "none", Failure = failure };

    /// <summary>DER as is; PEM <c>CMS</c>/<c>PKCS7</c> decoded.</summary>
    internal static ReadOnlyMemory<byte> Unpem(ReadOnlyMemory<byte> bytes)
    {
        if (bytes.Length > 0 && bytes.Span[0] == 0x30)
        {
            return bytes;
        }

        var text = System.Text.Encoding.ASCII.GetString(bytes.Span);
        if (PemEncoding.TryFind(text, out var fields))
        {
            try
            {
                return Convert.FromBase64String(text[fields.Base64Data]);
            }
            catch (FormatException)
            {
                return bytes;
            }
        }

        return bytes;
    }
}
