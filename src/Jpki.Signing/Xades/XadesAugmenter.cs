using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml;
using Jpki.Signing.Cades;
using Jpki.Signing.Revocation;
using Jpki.Signing.Timestamps;
using Jpki.Verification.Cades;
using Jpki.Verification.Xades;
using Microsoft.Extensions.Logging;

namespace Jpki.Signing.Xades;

/// <summary>
/// Raises XML signatures — ours, or XMLDSig/XAdES made elsewhere (xmlsec1, xadesjs) — to a higher baseline level of
/// ETSI EN 319 132-1 §6 (JIS X 5093) by adding unsigned properties only, so every signature value and earlier
/// time-stamp stays valid: B-T adds a SignatureTimeStamp over the canonicalised ds:SignatureValue; B-LT adds
/// CertificateValues and RevocationValues (the issuer and TSA certificates, an OCSP answer else a CRL for each);
/// B-LTA adds an xades141:ArchiveTimeStamp. Augmenting a B-LTA signature to B-LTA puts the new validation data in
/// xades141:TimeStampValidationData and adds another archive time-stamp (renewal). Every signature of the document is
/// augmented (parallel signatures), unless one is named. A plain XMLDSig signature gets xades:QualifyingProperties
/// with unsigned properties only (it stays below B-B: nothing binds its signing certificate).
/// </summary>
public sealed class XadesAugmenter
{
    private const string Canonicalization = XmlDsigNames.ExcC14N;

    private readonly ITimestampClient? _timestamps;
    private readonly IValidationDataSource? _validationData;
    private readonly ILogger? _logger;

    /// <summary>Creates the augmenter.</summary>
    /// <param name="timestamps">The TSA client (needed for B-T and B-LTA).</param>
    /// <param name="validationData">Where revocation data comes from (needed for B-LT).</param>
    /// <param name="logger">Where the extension (event 6102) is logged; null: nowhere.</param>
    public XadesAugmenter(ITimestampClient? timestamps, IValidationDataSource? validationData, ILogger? logger = null)
    {
        _timestamps = timestamps;
        _validationData = validationData;
        _logger = logger;
    }

    /// <summary>Augments the signatures of <paramref name="xml"/> to <paramref name="level"/>.</summary>
    /// <param name="xml">The signed XML (or a detached signature file).</param>
    /// <param name="level">The level to reach.</param>
    /// <param name="detachedContent">The signed file of a detached signature (its data is part of the archive time-stamp); null otherwise.</param>
    /// <param name="signatureId">The Id of the one signature to augment; null for all of them.</param>
    /// <param name="cancellationToken">Cancels the TSA and revocation requests.</param>
    /// <returns>The augmented XML (UTF-8) and the problems met gathering validation data (empty when complete).</returns>
    /// <exception cref="ArgumentException">Not XML, no signature (or none with that Id), a detached signature without its file for B-LTA, or augmenting would break another signature.</exception>
    /// <exception cref="InvalidOperationException">A TSA client or validation data source is needed and was not given.</exception>
    /// <exception cref="TimestampException">The TSA refused or could not be reached.</exception>
    public async Task<AugmentResult> AugmentAsync(ReadOnlyMemory<byte> xml, CadesLevel level, ReadOnlyMemory<byte>? detachedContent, string? signatureId, CancellationToken cancellationToken)
    {
        XmlDocument document;
        try
        {
            document = SecureXml.Load(xml);
        }
        catch (XmlException e)
        {
            throw new ArgumentException($"The signature is not well-formed XML without a DTD: {e.Message}", nameof(xml), e);
        }

        var original = (XmlDocument)document.CloneNode(deep: true);
        var signatures = Signatures(document);
        if (signatures.Count == 0)
        {
            throw new ArgumentException("The XML holds no ds:Signature.", nameof(xml));
        }

        var ids = new List<string>();
        for (var i = 0; i < signatures.Count; i++)
        {
            var signature = signatures[i];
            if (signature.GetAttribute("Id") is not { Length: > 0 } id)
            {
                id = $"Signature-{i + 1}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(4))}";
                signature.SetAttribute("Id", id);
            }

            if (signatureId is null || signatureId == id)
            {
                ids.Add(id);
            }
        }

        if (ids.Count == 0)
        {
            throw new ArgumentException($"The XML holds no signature with Id '{signatureId}'.", nameof(signatureId));
        }

        var problems = new List<string>();
        if (level > CadesLevel.BaselineB)
        {
            var detached = detachedContent?.ToArray();
            foreach (var id in ids)
            {
                document = await AugmentOneAsync(document, id, level, detached, problems, cancellationToken).ConfigureAwait(false);
            }
        }

        var result = XadesXml.Save(document);
        foreach (var id in ids)
        {
            XadesIntegrity.EnsureUnbroken(original, result, id);
        }

        if (_logger is not null)
        {
            Log.SignatureExtended(_logger, "XAdES", Log.NameOf(level), problems.Count);
        }

        return new AugmentResult(result, problems);
    }

    private async Task<XmlDocument> AugmentOneAsync(XmlDocument document, string id, CadesLevel level, byte[]? detached, List<string> problems, CancellationToken cancellationToken)
    {
        var (signature, properties) = Locate(document, id);
        if (!XmlDsigElements.Children(properties, XmlDsigNames.Xades, "SignatureTimeStamp").Any())
        {
            var imprint = XadesTimestampData.SignatureImprint(signature, Canonicalization, HashAlgorithmName.SHA256);
            var token = await Tsa().StampAsync(imprint, HashAlgorithmName.SHA256, cancellationToken).ConfigureAwait(false);
            properties.AppendChild(XadesXml.Timestamp(XadesXml.Xades(document, "SignatureTimeStamp"), id + "-SignatureTimeStamp", Canonicalization, token.Token));
            document = XadesXml.Reload(document);
            (signature, properties) = Locate(document, id);
        }

        if (level >= CadesLevel.BaselineLt)
        {
            await AddValidationDataAsync(document, signature, properties, problems, cancellationToken).ConfigureAwait(false);
            document = XadesXml.Reload(document);
            (signature, properties) = Locate(document, id);
        }

        if (level == CadesLevel.BaselineLta)
        {
            var resolver = Resolver(document, signature, detached);
            var imprint = XadesTimestampData.ArchiveImprint(signature, resolver, properties, null, Canonicalization, HashAlgorithmName.SHA256);
            var token = await Tsa().StampAsync(imprint, HashAlgorithmName.SHA256, cancellationToken).ConfigureAwait(false);
            var count = XmlDsigElements.Children(properties, XmlDsigNames.Xades141, "ArchiveTimeStamp").Count;
            properties.AppendChild(XadesXml.Timestamp(XadesXml.Xades141(document, "ArchiveTimeStamp"), $"{id}-ArchiveTimeStamp-{count + 1}", Canonicalization, token.Token));
            document = XadesXml.Reload(document);
        }

        return document;
    }

    /// <summary>
    /// B-LT: the certificates and revocation answers for the signer's chain and every TSA. Before any archive
    /// time-stamp they go in CertificateValues/RevocationValues (rewritten with what they already held); after one,
    /// what is new goes in an xades141:TimeStampValidationData, since the archive time-stamp covers the earlier elements.
    /// </summary>
    private async Task AddValidationDataAsync(XmlDocument document, XmlElement signature, XmlElement properties, List<string> problems, CancellationToken cancellationToken)
    {
        var source = _validationData ?? throw new InvalidOperationException("B-LT needs a source of validation data (CRL/OCSP).");
        var present = new List<byte[]>();
        if (XmlDsigElements.Optional(signature, XmlDsigNames.Ds, "KeyInfo") is { } keyInfo)
        {
            present.AddRange(keyInfo.GetElementsByTagName("X509Certificate", XmlDsigNames.Ds).Cast<XmlElement>().Select(XmlDsigElements.Base64));
        }

        var embeddedCertificates = properties.GetElementsByTagName("EncapsulatedX509Certificate", XmlDsigNames.Xades).Cast<XmlElement>().Select(XmlDsigElements.Base64).ToList();
        var embeddedCrls = properties.GetElementsByTagName("EncapsulatedCRLValue", XmlDsigNames.Xades).Cast<XmlElement>().Select(XmlDsigElements.Base64).ToList();
        var embeddedOcsp = properties.GetElementsByTagName("EncapsulatedOCSPValue", XmlDsigNames.Xades).Cast<XmlElement>().Select(XmlDsigElements.Base64).ToList();
        var tsaCertificates = properties.GetElementsByTagName("EncapsulatedTimeStamp", XmlDsigNames.Xades).Cast<XmlElement>().SelectMany(t => TokenCertificates(XmlDsigElements.Base64(t))).ToList();
        var certificates = present.Concat(embeddedCertificates).Select(TryLoad).OfType<X509Certificate2>().Concat(tsaCertificates).ToList();
        var data = await source.CollectAsync(certificates, cancellationToken).ConfigureAwait(false);
        problems.AddRange(data.Problems);

        var archived = XmlDsigElements.Children(properties, XmlDsigNames.Xades141, "ArchiveTimeStamp").Count > 0;
        var newCertificates = tsaCertificates.Select(c => c.RawData).Concat(data.Certificates.Select(c => c.RawData));
        var newCrls = data.Crls.AsEnumerable();
        var newOcsp = data.OcspResponses.AsEnumerable();
        XmlElement container;
        if (archived)
        {
            container = XadesXml.Xades141(document, "TimeStampValidationData");
            container.SetAttribute("Id", $"{signature.GetAttribute("Id")}-TimeStampValidationData-{XmlDsigElements.Children(properties, XmlDsigNames.Xades141, "TimeStampValidationData").Count + 1}");
            properties.AppendChild(container);
            newCertificates = newCertificates.Where(c => !present.Concat(embeddedCertificates).Any(p => p.AsSpan().SequenceEqual(c)));
            newCrls = newCrls.Where(c => !embeddedCrls.Exists(p => p.AsSpan().SequenceEqual(c)));
            newOcsp = newOcsp.Where(c => !embeddedOcsp.Exists(p => p.AsSpan().SequenceEqual(c)));
        }
        else
        {
            foreach (var old in XmlDsigElements.Children(properties, XmlDsigNames.Xades, "CertificateValues").Concat(XmlDsigElements.Children(properties, XmlDsigNames.Xades, "RevocationValues")))
            {
                properties.RemoveChild(old);
            }

            container = properties;
            newCertificates = embeddedCertificates.Concat(newCertificates).Where(c => !present.Any(p => p.AsSpan().SequenceEqual(c)));
            newCrls = embeddedCrls.Concat(newCrls);
            newOcsp = embeddedOcsp.Concat(newOcsp);
        }

        var certificateValues = XadesXml.Xades(document, "CertificateValues");
        foreach (var der in Distinct(newCertificates))
        {
            XadesXml.Text(XadesXml.Child(certificateValues, XadesXml.Xades(document, "EncapsulatedX509Certificate")), Convert.ToBase64String(der));
        }

        container.AppendChild(certificateValues);
        var revocationValues = XadesXml.Xades(document, "RevocationValues");
        var crls = Distinct(newCrls);
        if (crls.Count > 0)
        {
            var crlValues = XadesXml.Child(revocationValues, XadesXml.Xades(document, "CRLValues"));
            foreach (var der in crls)
            {
                XadesXml.Text(XadesXml.Child(crlValues, XadesXml.Xades(document, "EncapsulatedCRLValue")), Convert.ToBase64String(der));
            }
        }

        var ocsp = Distinct(newOcsp);
        if (ocsp.Count > 0)
        {
            var ocspValues = XadesXml.Child(revocationValues, XadesXml.Xades(document, "OCSPValues"));
            foreach (var der in ocsp)
            {
                XadesXml.Text(XadesXml.Child(ocspValues, XadesXml.Xades(document, "EncapsulatedOCSPValue")), Convert.ToBase64String(der));
            }
        }

        container.AppendChild(revocationValues);
    }

    /// <summary>The signature with <paramref name="id"/> and its xades:UnsignedSignatureProperties (created when missing).</summary>
    private static (XmlElement Signature, XmlElement Properties) Locate(XmlDocument document, string id)
    {
        var signature = Signatures(document).Single(s => s.GetAttribute("Id") == id);
        XmlElement? qualifying;
        try
        {
            qualifying = XadesTimestampData.QualifyingProperties(signature);
        }
        catch (XmlSignatureException e)
        {
            throw new ArgumentException(e.Message, nameof(document), e);
        }

        if (qualifying is null)
        {
            var dataObject = XadesXml.Child(signature, XadesXml.Ds(document, "Object"));
            qualifying = XadesXml.Child(dataObject, XadesXml.Xades(document, "QualifyingProperties"));
            qualifying.SetAttribute("Target", "#" + id);
        }

        var unsigned = XmlDsigElements.Optional(qualifying, XmlDsigNames.Xades, "UnsignedProperties") ?? XadesXml.Child(qualifying, XadesXml.Xades(document, "UnsignedProperties"));
        var properties = XmlDsigElements.Optional(unsigned, XmlDsigNames.Xades, "UnsignedSignatureProperties");
        if (properties is null)
        {
            properties = XadesXml.Xades(document, "UnsignedSignatureProperties");
            unsigned.PrependChild(properties);
        }

        return (signature, properties);
    }

    private static XmlReferenceResolver Resolver(XmlDocument document, XmlElement signature, byte[]? detached)
    {
        var external = signature.GetElementsByTagName("Reference", XmlDsigNames.Ds).Cast<XmlElement>().Any(r => r.GetAttribute("URI") is { Length: > 0 } u && u[0] != '#');
        if (external && detached is null)
        {
            throw new ArgumentException("An archive time-stamp of a detached signature covers the signed file: give it.", "detachedContent");
        }

        return new XmlReferenceResolver(document, new XmlIdIndex(document), _ => detached);
    }

    private static List<XmlElement> Signatures(XmlDocument document) => [.. document.GetElementsByTagName("Signature", XmlDsigNames.Ds).Cast<XmlElement>()];

    private ITimestampClient Tsa() => _timestamps ?? throw new InvalidOperationException("B-T and B-LTA need a time-stamping authority (--tsa URL).");

    private static List<byte[]> Distinct(IEnumerable<byte[]> values)
    {
        var list = new List<byte[]>();
        foreach (var value in values)
        {
            if (!list.Exists(v => v.AsSpan().SequenceEqual(value)))
            {
                list.Add(value);
            }
        }

        return list;
    }

    private static IEnumerable<X509Certificate2> TokenCertificates(byte[] token)
    {
        try
        {
            return SignedDataView.Read(token).Certificates.Select(TryLoad).OfType<X509Certificate2>().ToList();
        }
        catch (System.Formats.Asn1.AsnContentException)
        {
            return [];
        }
    }

    private static X509Certificate2? TryLoad(ReadOnlyMemory<byte> der)
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

    private static X509Certificate2? TryLoad(byte[] der) => TryLoad((ReadOnlyMemory<byte>)der);
}
