using System.Text.Json.Serialization;

namespace Jpki.Verification.Signatures;

/// <summary>Why a signature is not TOTAL-PASSED (ETSI EN 319 102-1 §5.1.3, Table 5), spelled as the standard spells it in JSON.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SubIndication>))]
public enum SubIndication
{
    /// <summary><c>FORMAT_FAILURE</c>: the signature is not conformant to its format (unparseable, truncated, several signers where one is expected).</summary>
    [JsonStringEnumMemberName("FORMAT_FAILURE")]
    FormatFailure,

    /// <summary><c>HASH_FAILURE</c>: the hash of a signed data object does not match the one in the signature (the document was altered).</summary>
    [JsonStringEnumMemberName("HASH_FAILURE")]
    HashFailure,

    /// <summary><c>SIG_CRYPTO_FAILURE</c>: the signature value does not verify with the signer's public key.</summary>
    [JsonStringEnumMemberName("SIG_CRYPTO_FAILURE")]
    SigCryptoFailure,

    /// <summary><c>REVOKED</c>: the signing certificate was revoked, and the signature is proven (or claims to be) made after the revocation.</summary>
    [JsonStringEnumMemberName("REVOKED")]
    Revoked,

    /// <summary><c>EXPIRED</c>: the signature claims a signing time after the signing certificate expired.</summary>
    [JsonStringEnumMemberName("EXPIRED")]
    Expired,

    /// <summary><c>NOT_YET_VALID</c>: the signing time lies before the signing certificate's validity.</summary>
    [JsonStringEnumMemberName("NOT_YET_VALID")]
    NotYetValid,

    /// <summary><c>SIG_CONSTRAINTS_FAILURE</c>: a constraint on the signature's attributes failed (e.g. a time-stamp it carries does not verify).</summary>
    [JsonStringEnumMemberName("SIG_CONSTRAINTS_FAILURE")]
    SigConstraintsFailure,

    /// <summary><c>CHAIN_CONSTRAINTS_FAILURE</c>: the chain breaks a constraint (a certificate of the wrong kind or usage, not a JPKI signature certificate).</summary>
    [JsonStringEnumMemberName("CHAIN_CONSTRAINTS_FAILURE")]
    ChainConstraintsFailure,

    /// <summary><c>CERTIFICATE_CHAIN_GENERAL_FAILURE</c>: the chain is not valid for another reason (a CA that may not issue, an unknown critical extension).</summary>
    [JsonStringEnumMemberName("CERTIFICATE_CHAIN_GENERAL_FAILURE")]
    CertificateChainGeneralFailure,

    /// <summary><c>CRYPTO_CONSTRAINTS_FAILURE</c>: an algorithm is not accepted (e.g. SHA-1).</summary>
    [JsonStringEnumMemberName("CRYPTO_CONSTRAINTS_FAILURE")]
    CryptoConstraintsFailure,

    /// <summary><c>NO_SIGNING_CERTIFICATE_FOUND</c>: the signing certificate is missing, or does not match the one the signature names (ESS signing-certificate).</summary>
    [JsonStringEnumMemberName("NO_SIGNING_CERTIFICATE_FOUND")]
    NoSigningCertificateFound,

    /// <summary><c>NO_CERTIFICATE_CHAIN_FOUND</c>: no chain to a trust anchor.</summary>
    [JsonStringEnumMemberName("NO_CERTIFICATE_CHAIN_FOUND")]
    NoCertificateChainFound,

    /// <summary><c>REVOKED_NO_POE</c>: the signing certificate is revoked, and nothing proves the signature existed before the revocation.</summary>
    [JsonStringEnumMemberName("REVOKED_NO_POE")]
    RevokedNoPoe,

    /// <summary><c>REVOKED_CA_NO_POE</c>: a CA certificate of the chain is revoked, and nothing proves the signature existed before.</summary>
    [JsonStringEnumMemberName("REVOKED_CA_NO_POE")]
    RevokedCaNoPoe,

    /// <summary><c>OUT_OF_BOUNDS_NO_POE</c>: a certificate (the signer's, or a TSA's) has expired and nothing proves the signed object existed while it was valid.</summary>
    [JsonStringEnumMemberName("OUT_OF_BOUNDS_NO_POE")]
    OutOfBoundsNoPoe,

    /// <summary><c>NO_POE</c>: a proof of existence is missing to show an object was produced before a compromising event.</summary>
    [JsonStringEnumMemberName("NO_POE")]
    NoPoe,

    /// <summary><c>TRY_LATER</c>: revocation status information is not available now.</summary>
    [JsonStringEnumMemberName("TRY_LATER")]
    TryLater,

    /// <summary><c>SIGNED_DATA_NOT_FOUND</c>: the signed data is not available (a detached signature given without its file).</summary>
    [JsonStringEnumMemberName("SIGNED_DATA_NOT_FOUND")]
    SignedDataNotFound,
}
