namespace Jpki.Authority.Ca;

/// <summary>
/// The linkage of one certificate (JPKI-REFERENCE §8.3): the certificates it renewed (older first), those that
/// renewed it, and the holder's certificates of the other kind. Given to authorised verifiers only.
/// </summary>
/// <param name="SerialHex">The certificate asked about.</param>
/// <param name="Predecessors">Serials it replaced, oldest first.</param>
/// <param name="Successors">Serials that replaced it, oldest first.</param>
/// <param name="OtherKind">Serials of the same holder's certificates of the other kind, oldest first.</param>
public sealed record CertificateLinkage(string SerialHex, IReadOnlyList<string> Predecessors, IReadOnlyList<string> Successors, IReadOnlyList<string> OtherKind);
