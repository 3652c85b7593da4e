namespace Jpki.Municipality.Applications;

/// <summary>How a certificate relates to the holder's earlier ones.</summary>
public enum IssuanceMode
{
    /// <summary>The holder never had one of this kind.</summary>
    New = 1,

    /// <summary>A valid one existed (inside its renewal window); it is revoked as superseded.</summary>
    Renewal = 2,

    /// <summary>Earlier ones exist but none is valid (revoked or expired).</summary>
    Reissue = 3,
}
