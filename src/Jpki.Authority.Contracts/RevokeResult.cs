namespace Jpki.Authority.Contracts;

/// <summary>What a revocation request did. Wire names: <see cref="WireNames.Of(RevokeResult)"/>.</summary>
public enum RevokeResult
{
    /// <summary>Revoked now, durably.</summary>
    Revoked = 1,

    /// <summary>It was already revoked; the first revocation (time and reason) stands.</summary>
    AlreadyRevoked = 2,

    /// <summary>No certificate of that kind with that serial.</summary>
    NotFound = 3,
}
