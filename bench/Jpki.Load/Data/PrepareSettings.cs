namespace Jpki.Load.Data;

/// <summary>What <c>jpki-load prepare</c> puts in a data folder.</summary>
/// <param name="AuthCertificates">Authentication certificates to issue (OCSP targets on the open auth CA).</param>
/// <param name="SignCertificates">Signature certificates to issue (OCSP targets on the sign CA and CMS signers).</param>
/// <param name="RevokeEvery">Revoke every n-th certificate of each kind (0 = none).</param>
/// <param name="Cards">Residents with a delivered virtual card, for counter issuance (each is issued once).</param>
/// <param name="Signatures">Attached CMS signatures made with the signature certificates (revoked signers included).</param>
/// <param name="BaseUrl">The public base URL written into the authority (CRL distribution point, OCSP address).</param>
internal sealed record PrepareSettings(int AuthCertificates, int SignCertificates, int RevokeEvery, int Cards, int Signatures, string BaseUrl)
{
    /// <summary>CRL partition window of the authority, in months (0: none). Default 3, as <c>jpki authority init</c>.</summary>
    public int CrlPartitionMonths { get; init; } = 3;

    /// <summary>Publish the full CRL besides the partitions. Default true.</summary>
    public bool PublishFullCrl { get; init; } = true;
}
