using System.Security.Cryptography;
using System.Xml;

namespace Jpki.Verification.Xades;

/// <summary>
/// What XAdES time-stamps cover (ETSI EN 319 132-1): the SignatureTimeStamp the canonicalised ds:SignatureValue
/// (§5.3); the xades141:ArchiveTimeStamp (§5.5.2, not distributed case) the references' data, ds:SignedInfo,
/// ds:SignatureValue, ds:KeyInfo, the unsigned signature properties before it and the ds:Object elements other than
/// the one with the qualifying properties. Shared by the signer (which stamps it) and the validator (which checks it).
/// </summary>
internal static class XadesTimestampData
{
    /// <summary>The canonicalisation method a XAdES time-stamp element names (C14N 1.0 when absent, XMLDSig's default).</summary>
    public static string CanonicalizationOf(XmlElement timestamp)
        => XmlDsigElements.Optional(timestamp, XmlDsigNames.Ds, "CanonicalizationMethod")?.GetAttribute("Algorithm") is { Length: > 0 } algorithm ? algorithm : XmlDsigNames.C14N;

    /// <summary>The imprint of a SignatureTimeStamp.</summary>
    public static byte[] SignatureImprint(XmlElement signature, string canonicalization, HashAlgorithmName algorithm)
    {
        var value = XmlDsigElements.Single(signature, XmlDsigNames.Ds, "SignatureValue");
        return Hash(algorithm, XmlCanonicalizer.Canonicalize(value, canonicalization));
    }

    /// <summary>The imprint of an ArchiveTimeStamp placed after every unsigned signature property before <paramref name="before"/> (null: after all of them).</summary>
    public static byte[] ArchiveImprint(XmlElement signature, XmlReferenceResolver resolver, XmlElement? unsignedSignatureProperties, XmlElement? before, string canonicalization, HashAlgorithmName algorithm)
    {
        using var hash = IncrementalHash.CreateHash(algorithm);
        var signedInfo = XmlDsigElements.Single(signature, XmlDsigNames.Ds, "SignedInfo");
        foreach (var reference in XmlDsigElements.Children(signedInfo, XmlDsigNames.Ds, "Reference"))
        {
            hash.AppendData(resolver.Resolve(reference, signature).ToOctets(canonicalization));
        }

        hash.AppendData(XmlCanonicalizer.Canonicalize(signedInfo, canonicalization));
        hash.AppendData(XmlCanonicalizer.Canonicalize(XmlDsigElements.Single(signature, XmlDsigNames.Ds, "SignatureValue"), canonicalization));
        if (XmlDsigElements.Optional(signature, XmlDsigNames.Ds, "KeyInfo") is { } keyInfo)
        {
            hash.AppendData(XmlCanonicalizer.Canonicalize(keyInfo, canonicalization));
        }

        if (unsignedSignatureProperties is not null)
        {
            foreach (var property in XmlDsigElements.Children(unsignedSignatureProperties, null, null))
            {
                if (ReferenceEquals(property, before))
                {
                    break;
                }

                hash.AppendData(XmlCanonicalizer.Canonicalize(property, canonicalization));
            }
        }

        foreach (var dataObject in XmlDsigElements.Children(signature, XmlDsigNames.Ds, "Object"))
        {
            if (XmlDsigElements.Children(dataObject, XmlDsigNames.Xades, "QualifyingProperties").Count == 0)
            {
                hash.AppendData(XmlCanonicalizer.Canonicalize(dataObject, canonicalization));
            }
        }

        return hash.GetHashAndReset();
    }

    /// <summary>The xades:UnsignedSignatureProperties of the qualifying properties, or null.</summary>
    public static XmlElement? UnsignedSignatureProperties(XmlElement? qualifyingProperties)
    {
        if (qualifyingProperties is null || XmlDsigElements.Optional(qualifyingProperties, XmlDsigNames.Xades, "UnsignedProperties") is not { } unsigned)
        {
            return null;
        }

        return XmlDsigElements.Optional(unsigned, XmlDsigNames.Xades, "UnsignedSignatureProperties");
    }

    /// <summary>The xades:QualifyingProperties of <paramref name="signature"/> (in one of its ds:Object elements), or null.</summary>
    /// <exception cref="XmlSignatureException">More than one, or one whose Target is not this signature.</exception>
    public static XmlElement? QualifyingProperties(XmlElement signature)
    {
        var all = XmlDsigElements.Children(signature, XmlDsigNames.Ds, "Object").SelectMany(o => XmlDsigElements.Children(o, XmlDsigNames.Xades, "QualifyingProperties")).ToList();
        if (all.Count == 0)
        {
            return null;
        }

        if (all.Count > 1)
        {
            throw XmlSignatureException.Format("The signature has more than one xades:QualifyingProperties.");
        }

        var id = signature.GetAttribute("Id");
        var target = all[0].GetAttribute("Target");
        return id.Length > 0 && target == "#" + id ? all[0] : throw XmlSignatureException.Format($"xades:QualifyingProperties/@Target is '{target}', not this signature ('#{id}'): the properties belong to another signature.");
    }

    /// <summary>The <paramref name="algorithm"/> hash of <paramref name="data"/>.</summary>
    public static byte[] Hash(HashAlgorithmName algorithm, byte[] data)
    {
        using var hash = IncrementalHash.CreateHash(algorithm);
        hash.AppendData(data);
        return hash.GetHashAndReset();
    }
}
