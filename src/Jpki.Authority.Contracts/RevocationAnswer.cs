using Jpki.Authority.Contracts.Wire;

namespace Jpki.Authority.Contracts;

/// <summary>The authority's answer to a revocation of a known certificate: revoked now, or already revoked (the first revocation stands).</summary>
/// <param name="Serial">The serial.</param>
/// <param name="Result"><see cref="RevokeResult.Revoked"/> or <see cref="RevokeResult.AlreadyRevoked"/>.</param>
/// <param name="Revocation">The revocation that stands (date and reason of the first one).</param>
public sealed record RevocationAnswer(CertificateSerial Serial, RevokeResult Result, CertificateRevocation Revocation)
{
    /// <summary>The JSON view.</summary>
    public RevocationView ToWire() => new(Serial.Hex, WireNames.Of(Result), Revocation.RevokedAt, WireNames.Of(Revocation.Reason));

    /// <summary>Reads a JSON view strictly.</summary>
    /// <exception cref="AuthorityProtocolException">A member does not follow the contract.</exception>
    public static RevocationAnswer FromWire(RevocationView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (!CertificateSerial.TryParse(view.Serial, out var serial)
            || !WireNames.TryParseRevokeResult(view.Result, out var result) || result == RevokeResult.NotFound
            || !WireNames.TryParseReason(view.RevocationReason, out var reason))
        {
            throw new AuthorityProtocolException("The authority's revocation answer does not follow the contract (serial, result or reason).");
        }

        return new RevocationAnswer(serial, result, new CertificateRevocation(view.RevokedAt, reason));
    }
}
