namespace Jpki.Signing.Cades;

/// <summary>The baseline levels of ETSI EN 319 122-1 §6 (JIS X 5092), each including the ones before it.</summary>
public enum CadesLevel
{
    /// <summary>B-B: signed attributes content-type, message-digest, signing-time and signing-certificate-v2.</summary>
    BaselineB = 0,

    /// <summary>B-T: B-B plus a signature-time-stamp proving the signature existed at genTime.</summary>
    BaselineT = 1,

    /// <summary>B-LT: B-T plus the certificates and revocation values (CRLs, OCSP answers) needed to validate it later, in SignedData.</summary>
    BaselineLt = 2,

    /// <summary>B-LTA: B-LT plus an archive-time-stamp-v3 over all of it (augmenting a B-LTA signature again adds another, renewing the proof).</summary>
    BaselineLta = 3,
}
