using System.Security.Cryptography;
using System.Security.Cryptography.Xml;
using System.Xml;
using Jpki.Signing.Signers;
using Jpki.Verification.Xades;

namespace Jpki.Signing.Xades;

/// <summary>
/// Makes an XML signature — XMLDSig with RSA-SHA256 (ECDSA-SHA384 for a next-generation card's P-384 key), and by default XAdES B-B (ETSI EN 319 132-1 §6.3, JIS X 5093):
/// signed properties SigningTime, SigningCertificateV2 and DataObjectFormat — enveloped, enveloping or detached, with the
/// signing certificate (and the signer's CA certificates) in <c>ds:KeyInfo/ds:X509Data</c>. The XMLDSig core is
/// System.Security.Cryptography.Xml's <see cref="SignedXml"/>; the signer (a card) signs the SignedInfo digest
/// through <see cref="SignerRsa"/>, so the key never leaves the card. Higher levels are added by <see cref="XadesAugmenter"/>.
/// </summary>
public static class XadesSigner
{
    /// <summary>Signs <paramref name="content"/> and returns the signed XML (enveloped, enveloping) or the signature file (detached), UTF-8.</summary>
    /// <param name="content">The document: XML for enveloped and enveloping signatures (read without DTDs), any bytes for detached ones.</param>
    /// <param name="signer">Who signs (the card).</param>
    /// <param name="signingTime">xades:SigningTime, from the caller's clock.</param>
    /// <param name="options">Placement, canonicalisation, the element to sign; null for an enveloped XAdES B-B over the whole document.</param>
    /// <exception cref="ArgumentException">The content is not XML (enveloped, enveloping), the Id to sign is missing or ambiguous, or adding the signature would break a signature already in the document.</exception>
    /// <exception cref="CryptographicException">The signer refused.</exception>
    public static byte[] Sign(ReadOnlyMemory<byte> content, ISigner signer, DateTimeOffset signingTime, XadesSignOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(signer);
        options ??= new XadesSignOptions();
        var c14n = options.InclusiveCanonicalization ? XmlDsigNames.C14N : XmlDsigNames.ExcC14N;
        XmlDocument document;
        XmlDocument? original = null;
        if (options.Placement == XmlSignaturePlacement.Detached)
        {
            document = SecureXml.NewDocument();
        }
        else
        {
            original = Parse(content, nameof(content));
            document = options.Placement == XmlSignaturePlacement.Enveloped ? Parse(content, nameof(content)) : SecureXml.NewDocument();
        }

        var id = FreeId(original, "Signature");
        using var key = SignerKeys.KeyOf(signer);
        var signedXml = new XadesSignedXml(document) { SigningKey = key };
        signedXml.Signature.Id = id;
        var signedInfo = signedXml.SignedInfo!;
        signedInfo.CanonicalizationMethod = c14n;
        if (key is ECDsa)
        {
            // The next-generation card: ECDSA with the curve's hash, SignatureValue r‖s as the card answers it (RFC 6931).
            EcdsaSignatureDescription.Register();
            var hash = SignerKeys.HashFor(signer);
            signedInfo.SignatureMethod = hash == HashAlgorithmName.SHA384 ? XmlDsigNames.EcdsaSha384 : hash == HashAlgorithmName.SHA512 ? XmlDsigNames.EcdsaSha512 : XmlDsigNames.EcdsaSha256;
        }
        else
        {
            signedInfo.SignatureMethod = XmlDsigNames.RsaSha256;
        }

        Reference data;
        switch (options.Placement)
        {
            case XmlSignaturePlacement.Enveloped:
                if (options.ReferenceId is { } referenceId)
                {
                    var target = FindUnique(document, referenceId);
                    data = new Reference("#" + referenceId);
                    if (ReferenceEquals(target, document.DocumentElement))
                    {
                        data.AddTransform(new XmlDsigEnvelopedSignatureTransform());
                    }
                }
                else
                {
                    data = new Reference(string.Empty);
                    data.AddTransform(new XmlDsigEnvelopedSignatureTransform());
                }

                data.AddTransform(XmlCanonicalizer.Create(c14n, null));
                break;
            case XmlSignaturePlacement.Enveloping:
                var objectId = id + "-Object";
                var wrapped = new DataObject { Id = objectId };
                wrapped.Data = new XmlNodeListOf(document.ImportNode(original!.DocumentElement!, deep: true));
                signedXml.AddObject(wrapped);
                data = new Reference("#" + objectId);
                data.AddTransform(XmlCanonicalizer.Create(c14n, null));
                break;
            default:
                data = new Reference(new MemoryStream(content.ToArray(), writable: false)) { Uri = options.DetachedUri ?? "document" };
                break;
        }

        data.Id = id + "-Reference-0";
        data.DigestMethod = XmlDsigNames.Sha256;
        signedXml.AddReference(data);

        if (options.Xades)
        {
            var qualifying = QualifyingProperties(document, id, signer, signingTime, data.Id, options.MimeType ?? (options.Placement == XmlSignaturePlacement.Detached ? "application/octet-stream" : "text/xml"));
            signedXml.Properties = qualifying;
            signedXml.AddObject(new DataObject { Data = new XmlNodeListOf(qualifying) });
            var properties = new Reference("#" + id + "-SignedProperties") { Type = XmlDsigNames.SignedPropertiesType, DigestMethod = XmlDsigNames.Sha256 };
            properties.AddTransform(new XmlDsigExcC14NTransform());
            signedXml.AddReference(properties);
        }

        var keyInfo = new KeyInfo();
        var x509 = new KeyInfoX509Data(signer.Certificate);
        foreach (var ca in signer.CertificateChain)
        {
            x509.AddCertificate(ca);
        }

        keyInfo.AddClause(x509);
        signedXml.KeyInfo = keyInfo;
        signedXml.ComputeSignature();
        var signature = signedXml.GetXml();
        if (options.Placement == XmlSignaturePlacement.Enveloped)
        {
            document.DocumentElement!.AppendChild(document.ImportNode(signature, deep: true));
        }
        else
        {
            document.AppendChild(document.ImportNode(signature, deep: true));
        }

        var signed = XadesXml.Save(document);
        if (original is not null && options.Placement == XmlSignaturePlacement.Enveloped)
        {
            XadesIntegrity.EnsureUnbroken(original, signed, id);
        }

        Cades.CadesSigner.LogMade(options.Logger, options.Xades ? "XAdES" : "XMLDSig", signer);
        return signed;
    }

    /// <summary>xades:QualifyingProperties with the B-B signed properties.</summary>
    private static XmlElement QualifyingProperties(XmlDocument document, string id, ISigner signer, DateTimeOffset signingTime, string referenceId, string mimeType)
    {
        var qualifying = XadesXml.Xades(document, "QualifyingProperties");
        qualifying.SetAttribute("Target", "#" + id);
        var signedProperties = XadesXml.Child(qualifying, XadesXml.Xades(document, "SignedProperties"));
        signedProperties.SetAttribute("Id", id + "-SignedProperties");
        var signatureProperties = XadesXml.Child(signedProperties, XadesXml.Xades(document, "SignedSignatureProperties"));
        XadesXml.Text(XadesXml.Child(signatureProperties, XadesXml.Xades(document, "SigningTime")), XadesXml.DateTime(signingTime));
        var cert = XadesXml.Child(XadesXml.Child(signatureProperties, XadesXml.Xades(document, "SigningCertificateV2")), XadesXml.Xades(document, "Cert"));
        var digest = XadesXml.Child(cert, XadesXml.Xades(document, "CertDigest"));
        XadesXml.Child(digest, XadesXml.Ds(document, "DigestMethod")).SetAttribute("Algorithm", XmlDsigNames.Sha256);
        XadesXml.Text(XadesXml.Child(digest, XadesXml.Ds(document, "DigestValue")), Convert.ToBase64String(SHA256.HashData(signer.Certificate.RawDataMemory.Span)));
        XadesXml.Text(XadesXml.Child(cert, XadesXml.Xades(document, "IssuerSerialV2")), Convert.ToBase64String(Jpki.Core.Cms.SigningCertificateV2.IssuerSerial(signer.Certificate)));
        var dataProperties = XadesXml.Child(signedProperties, XadesXml.Xades(document, "SignedDataObjectProperties"));
        var format = XadesXml.Child(dataProperties, XadesXml.Xades(document, "DataObjectFormat"));
        format.SetAttribute("ObjectReference", "#" + referenceId);
        XadesXml.Text(XadesXml.Child(format, XadesXml.Xades(document, "MimeType")), mimeType);
        return qualifying;
    }

    private static XmlDocument Parse(ReadOnlyMemory<byte> content, string paramName)
    {
        try
        {
            return SecureXml.Load(content);
        }
        catch (XmlException e)
        {
            throw new ArgumentException($"The document is not well-formed XML without a DTD ({e.Message}); sign it detached instead.", paramName, e);
        }
    }

    private static XmlElement FindUnique(XmlDocument document, string id)
    {
        try
        {
            return new XmlIdIndex(document).Find(id);
        }
        catch (XmlSignatureException e)
        {
            throw new ArgumentException(e.Message, nameof(id), e);
        }
    }

    /// <summary>The first of <c>Signature</c>, <c>Signature-2</c>, … that no element of the document carries as Id.</summary>
    private static string FreeId(XmlDocument? document, string stem)
    {
        var ids = document is null ? null : new XmlIdIndex(document);
        for (var i = 1; ; i++)
        {
            var candidate = i == 1 ? stem : $"{stem}-{i}";
            if (ids is null || (ids.TryFind(candidate) is null && ids.TryFind(candidate + "-SignedProperties") is null && !ids.Contains(candidate)))
            {
                return candidate;
            }
        }
    }
}
