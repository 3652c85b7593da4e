using System.Security.Cryptography.X509Certificates;
using Jpki.Core.Identity;

namespace Jpki.Verification.Paths;

/// <summary>A validated certification path, leaf first, trust anchor last.</summary>
public sealed class CertificatePath
{
    internal CertificatePath(IReadOnlyList<X509Certificate2> chain, CertificateKind kind, bool anchorPinned)
    {
        Chain = chain;
        Kind = kind;
        AnchorPinned = anchorPinned;
    }

    /// <summary>Leaf, intermediates (if any), trust anchor.</summary>
    public IReadOnlyList<X509Certificate2> Chain { get; }

    /// <summary>The end-entity certificate.</summary>
    public X509Certificate2 Leaf => Chain[0];

    /// <summary>The issuer of the leaf: the certificate whose key signed it (the CA generation chosen by signature).</summary>
    public X509Certificate2 Issuer => Chain[1];

    /// <summary>The trust anchor.</summary>
    public X509Certificate2 Anchor => Chain[^1];

    /// <summary>
    /// True when the anchor's SHA-256 fingerprint is pinned (a published J-LIS root, or a root the relying party pinned);
    /// false when it is trusted only because it was configured (see <see cref="Trust.TrustStore.IsPinned"/>).
    /// </summary>
    public bool AnchorPinned { get; }

    /// <summary>The JPKI kind of the leaf, from its certificate policy.</summary>
    public CertificateKind Kind { get; }
}
