using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Signing.Revocation;
using Jpki.Signing.Timestamps;
using Jpki.Verification.Cades;
using Microsoft.Extensions.Logging;

namespace Jpki.Signing.Cades;

/// <summary>
/// Raises a CMS/CAdES signature — ours, or one made by openssl or another signer — to a higher baseline level
/// (ETSI EN 319 122-1 §6): B-T adds a signature-time-stamp over the signature value; B-LT adds the missing
/// certificates (issuers, TSA certificates) to SignedData.certificates and the revocation values to SignedData.crls
/// (CRLs as CertificateList, OCSP answers as RFC 5940 id-ri-ocsp-response); B-LTA adds an archive-time-stamp-v3
/// whose token carries the ats-hash-index-v3. Every signed field is kept byte for byte, so the signature and earlier
/// time-stamps stay valid. Augmenting a B-LTA signature to B-LTA adds another archive time-stamp (renewal before the
/// last TSA certificate expires).
/// </summary>
public sealed class CadesAugmenter
{
    private readonly ITimestampClient? _timestamps;
    private readonly IValidationDataSource? _validationData;
    private readonly ILogger? _logger;

    /// <summary>Creates the augmenter.</summary>
    /// <param name="timestamps">The TSA client (needed for B-T and B-LTA).</param>
    /// <param name="validationData">Where revocation data comes from (needed for B-LT).</param>
    /// <param name="logger">Where the extension (event 6102) is logged; null: nowhere.</param>
    public CadesAugmenter(ITimestampClient? timestamps, IValidationDataSource? validationData, ILogger? logger = null)
    {
        _timestamps = timestamps;
        _validationData = validationData;
        _logger = logger;
    }

    /// <summary>Augments <paramref name="cms"/> (DER or BER ContentInfo with one signer) to <paramref name="level"/>.</summary>
    /// <param name="cms">The signature.</param>
    /// <param name="level">The level to reach.</param>
    /// <param name="detachedContent">The signed file of a detached signature (needed for B-LTA's imprint); null for an enveloping one.</param>
    /// <param name="cancellationToken">Cancels the TSA and revocation requests.</param>
    /// <returns>The augmented signature and the problems met gathering validation data (empty when complete).</returns>
    /// <exception cref="ArgumentException">Not a CMS SignedData with one signer, or a detached signature without its content for B-LTA.</exception>
    /// <exception cref="InvalidOperationException">A TSA client or validation data source is needed and was not given.</exception>
    /// <exception cref="TimestampException">The TSA refused or could not be reached.</exception>
    public async Task<AugmentResult> AugmentAsync(ReadOnlyMemory<byte> cms, CadesLevel level, ReadOnlyMemory<byte>? detachedContent, CancellationToken cancellationToken)
    {
        var view = Read(cms);
        var problems = new List<string>();
        if (level == CadesLevel.BaselineB)
        {
            return new AugmentResult(cms.ToArray(), problems);
        }

        var signer = view.SignerInfos[0];
        byte[] current = cms.ToArray();
        if (!signer.UnsignedAttributes.Any(a => a.Type == CadesOids.SignatureTimeStamp))
        {
            var token = await Tsa().StampAsync(SHA256.HashData(signer.SignatureValue), HashAlgorithmName.SHA256, cancellationToken).ConfigureAwait(false);
            current = AddUnsignedAttribute(view, AttributeView.Encode(CadesOids.SignatureTimeStamp, token.Token));
            view = Read(current);
        }

        if (level >= CadesLevel.BaselineLt)
        {
            current = await AddValidationDataAsync(view, problems, cancellationToken).ConfigureAwait(false);
            view = Read(current);
        }

        if (level == CadesLevel.BaselineLta)
        {
            var content = view.Content ?? (detachedContent is { } given ? given.ToArray() : throw new ArgumentException("An archive time-stamp of a detached signature covers the signed file: give it.", nameof(detachedContent)));
            var index = ArchiveTimestampV3.BuildHashIndex(view, 0, HashAlgorithmName.SHA256);
            var imprint = ArchiveTimestampV3.Imprint(view, 0, content, index, HashAlgorithmName.SHA256);
            var token = await Tsa().StampAsync(imprint, HashAlgorithmName.SHA256, cancellationToken).ConfigureAwait(false);
            var tokenView = SignedDataView.Read(token.Token);
            var withIndex = tokenView.Rewrite(tokenView.Certificates, tokenView.Crls, 0, [.. tokenView.SignerInfos[0].UnsignedAttributes.Select(a => a.Encoded), AttributeView.Encode(CadesOids.AtsHashIndexV3, index)]);
            current = AddUnsignedAttribute(view, AttributeView.Encode(CadesOids.ArchiveTimeStampV3, withIndex));
        }

        if (_logger is not null)
        {
            Log.SignatureExtended(_logger, "CAdES", Log.NameOf(level), problems.Count);
        }

        return new AugmentResult(current, problems);
    }

    private async Task<byte[]> AddValidationDataAsync(SignedDataView view, List<string> problems, CancellationToken cancellationToken)
    {
        var source = _validationData ?? throw new InvalidOperationException("B-LT needs a source of validation data (CRL/OCSP).");
        var certificates = view.Certificates.Select(TryLoad).OfType<X509Certificate2>().ToList();
        var tsaCertificates = new List<X509Certificate2>();
        foreach (var attribute in view.SignerInfos[0].UnsignedAttributes.Where(a => a.Type is CadesOids.SignatureTimeStamp or CadesOids.ArchiveTimeStampV3))
        {
            foreach (var token in attribute.Values)
            {
                tsaCertificates.AddRange(TokenCertificates(token));
            }
        }

        var data = await source.CollectAsync([.. certificates, .. tsaCertificates], cancellationToken).ConfigureAwait(false);
        problems.AddRange(data.Problems);
        var certificateSet = view.Certificates.ToList();
        foreach (var certificate in tsaCertificates.Concat(data.Certificates))
        {
            if (!certificateSet.Exists(c => c.Span.SequenceEqual(certificate.RawData)))
            {
                certificateSet.Add(certificate.RawData);
            }
        }

        var crlSet = view.Crls.ToList();
        foreach (var crl in data.Crls)
        {
            if (!crlSet.Exists(c => c.Span.SequenceEqual(crl)))
            {
                crlSet.Add(crl);
            }
        }

        foreach (var ocsp in data.OcspResponses)
        {
            var choice = OcspRevocationInfo(ocsp);
            if (!crlSet.Exists(c => c.Span.SequenceEqual(choice)))
            {
                crlSet.Add(choice);
            }
        }

        return view.Rewrite(certificateSet, crlSet, 0, view.SignerInfos[0].UnsignedAttributes.Select(a => a.Encoded));
    }

    private ITimestampClient Tsa() => _timestamps ?? throw new InvalidOperationException("B-T and B-LTA need a time-stamping authority (--tsa URL).");

    private static byte[] AddUnsignedAttribute(SignedDataView view, byte[] attribute)
        => view.Rewrite(view.Certificates, view.Crls, 0, [.. view.SignerInfos[0].UnsignedAttributes.Select(a => a.Encoded), attribute]);

    /// <summary><c>[1] OtherRevocationInfoFormat { id-ri-ocsp-response, OCSPResponse }</c> (RFC 5940 §2.1).</summary>
    private static byte[] OcspRevocationInfo(byte[] ocspResponse)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1, isConstructed: true)))
        {
            writer.WriteObjectIdentifier(CadesOids.OcspResponseRevocationInfo);
            writer.WriteEncodedValue(ocspResponse);
        }

        return writer.Encode();
    }

    internal static IEnumerable<X509Certificate2> TokenCertificates(ReadOnlyMemory<byte> token)
    {
        SignedDataView view;
        try
        {
            view = SignedDataView.Read(token);
        }
        catch (AsnContentException)
        {
            return [];
        }

        return view.Certificates.Select(TryLoad).OfType<X509Certificate2>().ToList();
    }

    internal static X509Certificate2? TryLoad(ReadOnlyMemory<byte> der)
    {
        try
        {
            return X509CertificateLoader.LoadCertificate(der.Span);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static SignedDataView Read(ReadOnlyMemory<byte> cms)
    {
        SignedDataView view;
        try
        {
            view = SignedDataView.Read(cms);
        }
        catch (AsnContentException e)
        {
            throw new ArgumentException("The signature is not a CMS SignedData structure.", nameof(cms), e);
        }

        return view.SignerInfos.Count == 1 ? view : throw new ArgumentException($"The signature has {view.SignerInfos.Count} signers; augmenting needs exactly one.", nameof(cms));
    }
}
