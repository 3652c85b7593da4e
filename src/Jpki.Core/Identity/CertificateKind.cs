namespace Jpki.Core.Identity;

/// <summary>The two end-entity certificates of JPKI (JPKI-REFERENCE §1).</summary>
public enum CertificateKind
{
    /// <summary>署名用電子証明書: carries the basic 4 info; protected by the 6–16 character password.</summary>
    Signature = 1,

    /// <summary>利用者証明用電子証明書: no personal data; protected by the 4-digit PIN.</summary>
    Authentication = 2,
}
