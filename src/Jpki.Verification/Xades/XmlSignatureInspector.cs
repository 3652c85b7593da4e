using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml;
using Jpki.Verification.Signatures;

namespace Jpki.Verification.Xades;

/// <summary>
/// Checks one ds:Signature as XMLDSig (references and their digests, the SignedInfo signature value with the certificate
/// of ds:KeyInfo) and gathers what XAdES adds (SigningTime, SigningCertificateV2, SignatureTimeStamp, CertificateValues,
/// RevocationValues, TimeStampValidationData, ArchiveTimeStamp) as <see cref="SignatureEvidence"/>. Every refusal is a
/// <see cref="SignatureFailure"/> in the evidence, never an exception.
/// </summary>
internal static class XmlSignatureInspector
{
    public static SignatureEvidence Inspect(XmlElement signature, string fallbackId, XmlReferenceResolver resolver)
    {
        var id = signature.GetAttribute("Id") is { Length: > 0 } own ? own : fallbackId;
        X509Certificate2? signer = null;
        DateTimeOffset? signingTime = null;
        try
        {
            return Gather(signature, id, resolver, ref signer, ref signingTime);
        }
        catch (XmlSignatureException e)
        {
            return Failed(id, e.Failure) with { SigningCertificate = signer, ClaimedSigningTime = signingTime };
        }
        catch (Exception e) when (e is CryptographicException or XmlException or FormatException or InvalidOperationException)
        {
            return Failed(id, SignatureFailure.Format($"The XML signature could not be processed: {e.Message}")) with { SigningCertificate = signer, ClaimedSigningTime = signingTime };
        }
    }

    public static SignatureEvidence Failed(string id, SignatureFailure failure) => new() { Id = id, Format = "XAdES", Level = "none", Failure = failure };

    private static SignatureEvidence Gather(XmlElement signature, string id, XmlReferenceResolver resolver, ref X509Certificate2? signer, ref DateTimeOffset? signingTime)
    {
        var elements = XmlDsigElements.Children(signature, null, null);
        if (elements.Count < 2 || elements[0].LocalName != "SignedInfo" || elements[0].NamespaceURI != XmlDsigNames.Ds || elements[1].LocalName != "SignatureValue" || elements[1].NamespaceURI != XmlDsigNames.Ds)
        {
            throw XmlSignatureException.Format("ds:Signature must start with ds:SignedInfo and ds:SignatureValue.");
        }

        var signedInfo = elements[0];
        var signatureValue = XmlDsigElements.Base64(elements[1]);
        var canonicalization = XmlDsigElements.Single(signedInfo, XmlDsigNames.Ds, "CanonicalizationMethod");
        var c14n = canonicalization.GetAttribute("Algorithm");
        if (!XmlDsigNames.IsCanonicalization(c14n))
        {
            throw XmlSignatureException.Refused($"SignedInfo is canonicalised with '{c14n}', which this validator does not accept (C14N 1.0 and exclusive C14N are).");
        }

        var method = XmlDsigElements.Single(signedInfo, XmlDsigNames.Ds, "SignatureMethod").GetAttribute("Algorithm");
        var ecdsaMethod = XmlDsigNames.TryGetEcdsaSignature(method, out var signatureHash);
        if (!ecdsaMethod && !XmlDsigNames.TryGetRsaSignature(method, out signatureHash))
        {
            throw method == XmlDsigNames.RsaSha1
                ? XmlSignatureException.Refused("The signature is RSA-SHA1, which is no longer accepted (JPKI signs with RSA-SHA256).", SubIndication.CryptoConstraintsFailure)
                : XmlSignatureException.Refused($"The signature method '{method}' is not accepted (RSA or ECDSA with SHA-256, SHA-384 or SHA-512 is).", SubIndication.CryptoConstraintsFailure);
        }

        // Certificates: ds:KeyInfo/ds:X509Data, then what XAdES embeds; the signer is the one whose key verifies SignedInfo.
        var keyInfoCertificates = new List<X509Certificate2>();
        if (XmlDsigElements.Optional(signature, XmlDsigNames.Ds, "KeyInfo") is { } keyInfo)
        {
            foreach (var data in XmlDsigElements.Children(keyInfo, XmlDsigNames.Ds, "X509Data"))
            {
                keyInfoCertificates.AddRange(XmlDsigElements.Children(data, XmlDsigNames.Ds, "X509Certificate").Select(c => LoadCertificate(XmlDsigElements.Base64(c))));
            }
        }

        var qualifying = XadesTimestampData.QualifyingProperties(signature);
        var unsignedProperties = XadesTimestampData.UnsignedSignatureProperties(qualifying);
        var warnings = new List<string>();
        var embedded = new EmbeddedValues();
        if (unsignedProperties is not null)
        {
            foreach (var property in XmlDsigElements.Children(unsignedProperties, null, null))
            {
                switch (property.NamespaceURI, property.LocalName)
                {
                    case (XmlDsigNames.Xades, "CertificateValues"):
                        embedded.Add(property, warnings);
                        break;
                    case (XmlDsigNames.Xades, "RevocationValues"):
                        embedded.AddRevocation(property, warnings);
                        break;
                    case (XmlDsigNames.Xades141, "TimeStampValidationData"):
                        foreach (var child in XmlDsigElements.Children(property, XmlDsigNames.Xades, "CertificateValues"))
                        {
                            embedded.Add(child, warnings);
                        }

                        foreach (var child in XmlDsigElements.Children(property, XmlDsigNames.Xades, "RevocationValues"))
                        {
                            embedded.AddRevocation(child, warnings);
                        }

                        break;
                }
            }
        }

        // References first (ETSI EN 319 102-1 §5.2.7: the signed data objects' digests, then the signature value).
        var references = XmlDsigElements.Children(signedInfo, XmlDsigNames.Ds, "Reference");
        if (references.Count == 0)
        {
            throw XmlSignatureException.Format("ds:SignedInfo has no ds:Reference.");
        }

        var signedObjects = new List<string>();
        var signedElements = new List<XmlElement>();
        foreach (var reference in references)
        {
            var digestMethod = XmlDsigElements.Single(reference, XmlDsigNames.Ds, "DigestMethod").GetAttribute("Algorithm");
            if (!XmlDsigNames.TryGetDigest(digestMethod, out var digestAlgorithm))
            {
                throw XmlSignatureException.Refused(digestMethod == XmlDsigNames.Sha1 ? "A reference is digested with SHA-1, which is no longer accepted." : $"A reference is digested with '{digestMethod}', which is not accepted (SHA-256/384/512 are).", SubIndication.CryptoConstraintsFailure);
            }

            var expected = XmlDsigElements.Base64(XmlDsigElements.Single(reference, XmlDsigNames.Ds, "DigestValue"));
            var data = resolver.Resolve(reference, signature);
            using var hash = IncrementalHash.CreateHash(digestAlgorithm);
            hash.AppendData(data.ToOctets(XmlDsigNames.C14N));
            if (!CryptographicOperations.FixedTimeEquals(hash.GetHashAndReset(), expected))
            {
                throw new XmlSignatureException(SignatureFailure.From(Verdict.Fail(VerdictCode.ContentTampered, $"The digest of {data.Target} does not match the signature: it was changed after signing.")));
            }

            signedObjects.Add(data.Target);
            if (data.TargetElement is { } element)
            {
                signedElements.Add(element);
            }
        }

        var canonicalSignedInfo = XmlCanonicalizer.Canonicalize(signedInfo, c14n, XmlReferenceResolver.InclusivePrefixes(canonicalization));
        var signedInfoHash = XadesTimestampData.Hash(signatureHash, canonicalSignedInfo);
        foreach (var candidate in keyInfoCertificates.Concat(embedded.Certificates))
        {
            if (ecdsaMethod ? VerifiesEcdsa(candidate, signedInfoHash, signatureValue) : VerifiesRsa(candidate, signedInfoHash, signatureValue, signatureHash))
            {
                signer = candidate;
                break;
            }
        }

        var signedProperties = qualifying is null ? null : XmlDsigElements.Optional(qualifying, XmlDsigNames.Xades, "SignedProperties");
        var propertiesSigned = signedProperties is not null && signedElements.Exists(e => ReferenceEquals(e, signedProperties));
        var signedSignatureProperties = propertiesSigned ? XmlDsigElements.Optional(signedProperties!, XmlDsigNames.Xades, "SignedSignatureProperties") : null;
        if (signedSignatureProperties is not null && XmlDsigElements.Optional(signedSignatureProperties, XmlDsigNames.Xades, "SigningTime") is { } time)
        {
            signingTime = DateTimeOffset.TryParse(time.InnerText.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : throw XmlSignatureException.Format("xades:SigningTime is not an xs:dateTime.");
        }

        if (signer is null)
        {
            signer = keyInfoCertificates.FirstOrDefault();
            throw keyInfoCertificates.Count + embedded.Certificates.Count == 0
                ? new XmlSignatureException(new SignatureFailure(Indication.Indeterminate, SubIndication.NoSigningCertificateFound, Verdict.Fail(VerdictCode.Malformed, "The signature carries no certificate in ds:KeyInfo/ds:X509Data.")))
                : new XmlSignatureException(SignatureFailure.From(Verdict.Fail(VerdictCode.BadSignature, "The signature value does not verify with the key of any certificate the signature carries (a wrong certificate in ds:KeyInfo, or a changed ds:SignedInfo).")));
        }

        if (qualifying is not null && signedProperties is not null && !propertiesSigned)
        {
            warnings.Add("xades:SignedProperties is not covered by a reference of ds:SignedInfo: its SigningTime and SigningCertificate are not signed and were ignored.");
        }

        var hasSigningCertificate = false;
        if (signedSignatureProperties is not null)
        {
            hasSigningCertificate = CheckSigningCertificate(signedSignatureProperties, signer);
        }

        var timestamps = new List<TimestampEvidence>();
        if (unsignedProperties is not null)
        {
            foreach (var property in XmlDsigElements.Children(unsignedProperties, null, null))
            {
                switch (property.NamespaceURI, property.LocalName)
                {
                    case (XmlDsigNames.Xades, "SignatureTimeStamp"):
                        var signatureC14n = XadesTimestampData.CanonicalizationOf(property);
                        foreach (var token in Tokens(property))
                        {
                            timestamps.Add(new TimestampEvidence(TimestampKind.Signature, token, a => Safely(() => XadesTimestampData.SignatureImprint(signature, signatureC14n, a))));
                        }

                        break;
                    case (XmlDsigNames.Xades141, "ArchiveTimeStamp"):
                        var archiveC14n = XadesTimestampData.CanonicalizationOf(property);
                        var archive = property;
                        foreach (var token in Tokens(property))
                        {
                            timestamps.Add(new TimestampEvidence(TimestampKind.Archive, token, a => Safely(() => XadesTimestampData.ArchiveImprint(signature, resolver, unsignedProperties, archive, archiveC14n, a))));
                        }

                        break;
                    case (XmlDsigNames.Xades, "CertificateValues") or (XmlDsigNames.Xades, "RevocationValues") or (XmlDsigNames.Xades141, "TimeStampValidationData"):
                        break;
                    default:
                        warnings.Add($"The unsigned property {property.LocalName} ({property.NamespaceURI}) is not checked by this validator.");
                        break;
                }
            }
        }

        if (qualifying is null)
        {
            warnings.Add("The signature is plain XMLDSig (no xades:QualifyingProperties): no signed signing time, no signing-certificate binding.");
        }
        else if (!hasSigningCertificate)
        {
            warnings.Add("The signature lacks a signed xades:SigningCertificateV2, so it is not XAdES B-B.");
        }

        var hasSignatureTimestamp = timestamps.Exists(t => t.Kind == TimestampKind.Signature);
        var level = !hasSigningCertificate ? "none"
            : timestamps.Exists(t => t.Kind == TimestampKind.Archive) ? "B-LTA"
            : hasSignatureTimestamp && embedded.HasRevocation ? "B-LT"
            : hasSignatureTimestamp ? "B-T"
            : "B-B";
        var signerCertificate = signer;
        var others = keyInfoCertificates.Concat(embedded.Certificates).Where(c => !c.RawDataMemory.Span.SequenceEqual(signerCertificate.RawDataMemory.Span)).ToList();
        return new SignatureEvidence
        {
            Id = id,
            Format = "XAdES",
            Level = level,
            SigningCertificate = signerCertificate,
            Certificates = others,
            Crls = embedded.Crls,
            OcspResponses = embedded.Ocsp,
            ClaimedSigningTime = signingTime,
            Timestamps = timestamps,
            Warnings = warnings,
            SignedObjects = signedObjects,
        };
    }

    /// <summary>
    /// Checks xades:SigningCertificateV2 (or the v1 xades:SigningCertificate) against the signer: the certificate
    /// digest must match, and the issuer and serial when given. False when the property is absent.
    /// </summary>
    private static bool CheckSigningCertificate(XmlElement signedSignatureProperties, X509Certificate2 signer)
    {
        var property = XmlDsigElements.Optional(signedSignatureProperties, XmlDsigNames.Xades, "SigningCertificateV2") ?? XmlDsigElements.Optional(signedSignatureProperties, XmlDsigNames.Xades, "SigningCertificate");
        if (property is null)
        {
            return false;
        }

        foreach (var cert in XmlDsigElements.Children(property, XmlDsigNames.Xades, "Cert"))
        {
            var digest = XmlDsigElements.Single(cert, XmlDsigNames.Xades, "CertDigest");
            var method = XmlDsigElements.Single(digest, XmlDsigNames.Ds, "DigestMethod").GetAttribute("Algorithm");
            var value = XmlDsigElements.Base64(XmlDsigElements.Single(digest, XmlDsigNames.Ds, "DigestValue"));
            var matches = XmlDsigNames.TryGetDigest(method, out var algorithm)
                ? XadesTimestampData.Hash(algorithm, signer.RawData).AsSpan().SequenceEqual(value)
                : method == XmlDsigNames.Sha1 && SHA1.HashData(signer.RawData).AsSpan().SequenceEqual(value);
            if (!matches)
            {
                continue;
            }

            if (XmlDsigElements.Optional(cert, XmlDsigNames.Xades, "IssuerSerialV2") is { } issuerSerial
                && !XmlDsigElements.Base64(issuerSerial).AsSpan().SequenceEqual(Jpki.Core.Cms.SigningCertificateV2.IssuerSerial(signer)))
            {
                throw new XmlSignatureException(new SignatureFailure(Indication.Indeterminate, SubIndication.NoSigningCertificateFound, Verdict.Fail(VerdictCode.BadSignature, "xades:SigningCertificateV2 names the signer's certificate digest with another issuer or serial number.")));
            }

            return true;
        }

        throw new XmlSignatureException(new SignatureFailure(Indication.Indeterminate, SubIndication.NoSigningCertificateFound, Verdict.Fail(VerdictCode.BadSignature, "The certificate that verifies the signature is not the one xades:SigningCertificateV2 names (a substituted certificate).")));
    }

    private static IEnumerable<ReadOnlyMemory<byte>> Tokens(XmlElement timestamp)
    {
        var tokens = XmlDsigElements.Children(timestamp, XmlDsigNames.Xades, "EncapsulatedTimeStamp");
        if (tokens.Count == 0)
        {
            throw XmlSignatureException.Format($"{timestamp.LocalName} holds no xades:EncapsulatedTimeStamp.");
        }

        return tokens.Select(t => (ReadOnlyMemory<byte>)XmlDsigElements.Base64(t));
    }

    private static byte[]? Safely(Func<byte[]> imprint)
    {
        try
        {
            return imprint();
        }
        catch (Exception e) when (e is XmlSignatureException or CryptographicException or XmlException)
        {
            return null;
        }
    }

    private static X509Certificate2 LoadCertificate(byte[] der)
    {
        try
        {
            return X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException)
        {
            throw XmlSignatureException.Format("A certificate the signature carries is not a valid DER X.509 certificate.");
        }
    }

    /// <summary>Certificates, CRLs and OCSP answers of CertificateValues, RevocationValues and TimeStampValidationData.</summary>
    private sealed class EmbeddedValues
    {
        public List<X509Certificate2> Certificates { get; } = [];

        public List<ReadOnlyMemory<byte>> Crls { get; } = [];

        public List<ReadOnlyMemory<byte>> Ocsp { get; } = [];

        public bool HasRevocation { get; private set; }

        public void Add(XmlElement certificateValues, List<string> warnings)
        {
            foreach (var value in XmlDsigElements.Children(certificateValues, XmlDsigNames.Xades, "EncapsulatedX509Certificate"))
            {
                Certificates.Add(LoadCertificate(XmlDsigElements.Base64(value)));
            }

            if (XmlDsigElements.Children(certificateValues, XmlDsigNames.Xades, "OtherCertificate").Count > 0)
            {
                warnings.Add("xades:CertificateValues holds OtherCertificate values, which were ignored.");
            }
        }

        public void AddRevocation(XmlElement revocationValues, List<string> warnings)
        {
            HasRevocation = true;
            foreach (var crls in XmlDsigElements.Children(revocationValues, XmlDsigNames.Xades, "CRLValues"))
            {
                Crls.AddRange(XmlDsigElements.Children(crls, XmlDsigNames.Xades, "EncapsulatedCRLValue").Select(v => (ReadOnlyMemory<byte>)XmlDsigElements.Base64(v)));
            }

            foreach (var ocsp in XmlDsigElements.Children(revocationValues, XmlDsigNames.Xades, "OCSPValues"))
            {
                Ocsp.AddRange(XmlDsigElements.Children(ocsp, XmlDsigNames.Xades, "EncapsulatedOCSPValue").Select(v => (ReadOnlyMemory<byte>)XmlDsigElements.Base64(v)));
            }

            if (XmlDsigElements.Children(revocationValues, XmlDsigNames.Xades, "OtherValues").Count > 0)
            {
                warnings.Add("xades:RevocationValues holds OtherValues, which were ignored.");
            }
        }
    }

    private static bool VerifiesRsa(X509Certificate2 candidate, byte[] hash, byte[] signature, HashAlgorithmName algorithm)
    {
        using var key = candidate.GetRSAPublicKey();
        return key is not null && key.VerifyHash(hash, signature, algorithm, RSASignaturePadding.Pkcs1);
    }

    // XMLDSig carries ECDSA as r‖s (RFC 6931 §2.3.6); a DER signature or one of another length does not verify.
    private static bool VerifiesEcdsa(X509Certificate2 candidate, byte[] hash, byte[] signature)
    {
        using var key = candidate.GetECDsaPublicKey();
        return key is not null && key.VerifyHash(hash, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }
}
