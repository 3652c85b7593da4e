using System.Security.Cryptography;

namespace Jpki.Verification.Xades;

/// <summary>Namespaces and algorithm identifiers of XMLDSig (W3C XML Signature 1.1) and XAdES (ETSI EN 319 132-1).</summary>
internal static class XmlDsigNames
{
    public const string Ds = "http://www.w3.org/2000/09/xmldsig#";
    public const string Xades = "http://uri.etsi.org/01903/v1.3.2#";
    public const string Xades141 = "http://uri.etsi.org/01903/v1.4.1#";

    /// <summary>The Type of the ds:Reference to xades:SignedProperties (EN 319 132-1 §4.4.1).</summary>
    public const string SignedPropertiesType = "http://uri.etsi.org/01903#SignedProperties";

    public const string C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
    public const string C14NWithComments = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments";
    public const string ExcC14N = "http://www.w3.org/2001/10/xml-exc-c14n#";
    public const string ExcC14NWithComments = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments";
    public const string C14N11 = "http://www.w3.org/2006/12/xml-c14n11";
    public const string EnvelopedSignature = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

    public const string RsaSha1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
    public const string RsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
    public const string RsaSha384 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384";
    public const string RsaSha512 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512";

    // RFC 6931 §2.3.6: ECDSA with the SignatureValue as r‖s (each integer padded to the field length), not DER.
    public const string EcdsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";
    public const string EcdsaSha384 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384";
    public const string EcdsaSha512 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512";

    public const string Sha1 = "http://www.w3.org/2000/09/xmldsig#sha1";
    public const string Sha256 = "http://www.w3.org/2001/04/xmlenc#sha256";
    public const string Sha384 = "http://www.w3.org/2001/04/xmldsig-more#sha384";
    public const string Sha512 = "http://www.w3.org/2001/04/xmlenc#sha512";

    /// <summary>True for the canonicalisation algorithms this library runs (System.Security.Cryptography.Xml's C14N 1.0 and exclusive C14N).</summary>
    public static bool IsCanonicalization(string? algorithm) => algorithm is C14N or C14NWithComments or ExcC14N or ExcC14NWithComments;

    /// <summary>The SHA-2 digest of a DigestMethod URI; false for SHA-1 and unknown algorithms.</summary>
    public static bool TryGetDigest(string? uri, out HashAlgorithmName name)
    {
        name = uri switch
        {
            Sha256 => HashAlgorithmName.SHA256,
            Sha384 => HashAlgorithmName.SHA384,
            Sha512 => HashAlgorithmName.SHA512,
            _ => default,
        };
        return name.Name is not null;
    }

    /// <summary>The DigestMethod URI of a SHA-2 algorithm.</summary>
    public static string DigestUri(HashAlgorithmName name) => name == HashAlgorithmName.SHA384 ? Sha384 : name == HashAlgorithmName.SHA512 ? Sha512 : Sha256;

    /// <summary>The hash of an RSA PKCS#1 v1.5 SignatureMethod URI; false for RSA-SHA1 and everything else.</summary>
    /// <summary>The hash of an ECDSA SignatureMethod URI (RFC 6931 §2.3.6); false for everything else.</summary>
    public static bool TryGetEcdsaSignature(string? uri, out HashAlgorithmName name)
    {
        name = uri switch
        {
            EcdsaSha256 => HashAlgorithmName.SHA256,
            EcdsaSha384 => HashAlgorithmName.SHA384,
            EcdsaSha512 => HashAlgorithmName.SHA512,
            _ => default,
        };
        return name.Name is not null;
    }

    public static bool TryGetRsaSignature(string? uri, out HashAlgorithmName name)
    {
        name = uri switch
        {
            RsaSha256 => HashAlgorithmName.SHA256,
            RsaSha384 => HashAlgorithmName.SHA384,
            RsaSha512 => HashAlgorithmName.SHA512,
            _ => default,
        };
        return name.Name is not null;
    }
}
