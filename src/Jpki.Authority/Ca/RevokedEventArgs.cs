using Jpki.Core.Identity;

namespace Jpki.Authority.Ca;

/// <summary>A certificate was revoked.</summary>
/// <param name="kind">Which CA.</param>
/// <param name="serialHex">The serial.</param>
public sealed class RevokedEventArgs(CertificateKind kind, string serialHex) : EventArgs
{
    /// <summary>Which CA issued the certificate.</summary>
    public CertificateKind Kind { get; } = kind;

    /// <summary>The revoked serial.</summary>
    public string SerialHex { get; } = serialHex;
}
