namespace Jpki.Card.Client;

/// <summary>The four certificate EFs of the JPKI-AP.</summary>
public enum CertificateSlot
{
    /// <summary>EF 000A 利用者証明用証明書 (free to read).</summary>
    Authentication = 1,

    /// <summary>EF 0001 署名用証明書 (needs the signature password).</summary>
    Signature = 2,

    /// <summary>EF 000B 利用者証明用CA証明書.</summary>
    AuthenticationCa = 3,

    /// <summary>EF 0002 署名用CA証明書.</summary>
    SignatureCa = 4,
}
