using Jpki.Core.Identity;

namespace Jpki.Authority.Registry;

/// <summary>One entry of the registry's revocation feed: a certificate revoked, at its position in commit order.</summary>
/// <param name="Sequence">Position in the revocation sequence (from 1, in commit order).</param>
/// <param name="SerialHex">The revoked certificate.</param>
/// <param name="Kind">Its CA.</param>
/// <param name="Partition">Its CRL partition (0: none).</param>
public readonly record struct RevocationChange(long Sequence, string SerialHex, CertificateKind Kind, int Partition);
