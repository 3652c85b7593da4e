namespace Jpki.Authority.Ocsp;

/// <summary>The hash algorithm of an OCSP CertID (RFC 6960 §4.1.1); pre-signed answers exist per algorithm.</summary>
public enum OcspCertIdHash
{
    /// <summary>SHA-1 (RFC 5019 clients, openssl's default).</summary>
    Sha1 = 1,

    /// <summary>SHA-256.</summary>
    Sha256 = 2,
}
