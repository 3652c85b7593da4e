using Jpki.Authority.Contracts.Wire;
using Jpki.Core.Identity;

namespace Jpki.Authority.Contracts;

/// <summary>
/// A certificate as the authority's registry holds it and answers it to a registration authority. <see cref="ToWire"/>
/// and <see cref="FromWire"/> are the only translation to and from the JSON view.
/// </summary>
/// <param name="Serial">The serial.</param>
/// <param name="Kind">Which CA issued it.</param>
/// <param name="CardId">The card it was issued onto.</param>
/// <param name="HolderId">The holder's reference.</param>
/// <param name="NotBefore">Start of validity.</param>
/// <param name="NotAfter">End of validity (23:59:59 JST of the expiry day).</param>
/// <param name="IssuedAt">When the authority issued it.</param>
/// <param name="PreviousSerial">The certificate it renewed or replaced, if any.</param>
/// <param name="Revocation">Set once revoked; never cleared.</param>
/// <param name="Der">The certificate.</param>
public sealed record AuthorityCertificate(
    CertificateSerial Serial,
    CertificateKind Kind,
    CardId CardId,
    HolderId HolderId,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    DateTimeOffset IssuedAt,
    CertificateSerial? PreviousSerial,
    CertificateRevocation? Revocation,
    ReadOnlyMemory<byte> Der)
{
    private const string Good = "good";
    private const string Revoked = "revoked";

    /// <summary>Not revoked and not expired at <paramref name="at"/>.</summary>
    public bool IsLiveAt(DateTimeOffset at) => Revocation is null && NotAfter >= at;

    /// <summary>The JSON view.</summary>
    public CertificateView ToWire() => new(
        Serial.Hex,
        WireNames.Of(Kind),
        CardId.Value,
        HolderId.Value,
        NotBefore,
        NotAfter,
        IssuedAt,
        PreviousSerial?.Hex,
        Revocation is null ? Good : Revoked,
        Revocation?.RevokedAt,
        Revocation is { } r ? WireNames.Of(r.Reason) : null,
        Convert.ToBase64String(Der.Span));

    /// <summary>Reads a JSON view strictly.</summary>
    /// <exception cref="AuthorityProtocolException">A member does not follow the contract.</exception>
    public static AuthorityCertificate FromWire(CertificateView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (!CertificateSerial.TryParse(view.Serial, out var serial))
        {
            throw new AuthorityProtocolException("The authority answered a serial that is not hexadecimal.");
        }

        if (!WireNames.TryParseKind(view.Kind, out var kind))
        {
            throw new AuthorityProtocolException($"The authority answered an unknown certificate kind for {serial}.");
        }

        if (!Contracts.CardId.TryCreate(view.CardId, out var cardId) || !Contracts.HolderId.TryCreate(view.HolderId, out var holderId))
        {
            throw new AuthorityProtocolException($"The authority answered no valid card or holder id for {serial}.");
        }

        CertificateSerial? previous = null;
        if (view.PreviousSerial is not null)
        {
            previous = CertificateSerial.TryParse(view.PreviousSerial, out var p)
                ? p
                : throw new AuthorityProtocolException($"The authority answered a previous serial that is not hexadecimal for {serial}.");
        }

        CertificateRevocation? revocation = view.Status switch
        {
            Good when view.RevokedAt is null && view.RevocationReason is null => null,
            Revoked when view.RevokedAt is { } at && WireNames.TryParseReason(view.RevocationReason, out var reason) => new CertificateRevocation(at, reason),
            _ => throw new AuthorityProtocolException($"The authority answered an inconsistent status for {serial}."),
        };

        return new AuthorityCertificate(serial, kind, cardId, holderId, view.NotBefore, view.NotAfter, view.IssuedAt, previous, revocation, Base64(view.Certificate, serial));
    }

    private static byte[] Base64(string? text, CertificateSerial serial)
    {
        try
        {
            var der = Convert.FromBase64String(text ?? string.Empty);
            return der.Length > 0 ? der : throw new AuthorityProtocolException($"The authority answered no certificate for {serial}.");
        }
        catch (FormatException e)
        {
            throw new AuthorityProtocolException($"The authority answered a certificate that is not base64 for {serial}.", e);
        }
    }
}
