using System.Globalization;
using Jpki.Authority.Contracts.Wire;
using Jpki.Core.Identity;

namespace Jpki.Authority.Contracts;

/// <summary>
/// One issuance request from a registration authority to the authority, typed. <see cref="ToWire"/> and
/// <see cref="TryFromWire"/> are the only translation to and from the JSON body, so the client and the server cannot
/// disagree about it.
/// </summary>
/// <param name="RequestId">The idempotency key; null only for callers that accept an unknown outcome on a lost answer.</param>
/// <param name="Kind">Sign or auth.</param>
/// <param name="SubjectPublicKeyInfo">The card-generated RSA public key, DER SubjectPublicKeyInfo.</param>
/// <param name="CardId">The card the certificate goes onto.</param>
/// <param name="HolderId">The holder's reference.</param>
/// <param name="ExpiryDate">The last day of validity (computed by the rules); notAfter is 23:59:59 JST of it.</param>
/// <param name="Signature">Signature certificates: the subject (required); null for auth.</param>
/// <param name="PreviousSerial">The certificate this one renews or replaces, if any (JPKI-REFERENCE §8.3).</param>
public sealed record CertificateIssuance(
    IssuanceRequestId? RequestId,
    CertificateKind Kind,
    ReadOnlyMemory<byte> SubjectPublicKeyInfo,
    CardId CardId,
    HolderId HolderId,
    DateOnly ExpiryDate,
    SignatureSubjectInfo? Signature,
    CertificateSerial? PreviousSerial)
{
    private const string DateFormat = "yyyy-MM-dd";

    /// <summary>The JSON body.</summary>
    public IssueBody ToWire() => new(
        RequestId?.Value,
        WireNames.Of(Kind),
        Convert.ToBase64String(SubjectPublicKeyInfo.Span),
        CardId.Value,
        HolderId.Value,
        ExpiryDate.ToString(DateFormat, CultureInfo.InvariantCulture),
        Kind == CertificateKind.Signature && Signature is { } s
            ? new SignatureBody(s.Prefecture, s.Municipality, s.Name, s.NameSubstitutionFlags, s.Address, s.AddressSubstitutionFlags, s.DateOfBirth.ToString(DateFormat, CultureInfo.InvariantCulture), (int)s.Sex)
            : null,
        PreviousSerial?.Hex);

    /// <summary>
    /// Reads and checks a JSON body: the request id's alphabet, the kind, the identifiers, that the key is base64 (its
    /// content is the authority's to judge), the dates, and for <c>sign</c> the complete subject (whether its flags fit is the authority's to judge too).
    /// False with a sentence for the caller in <paramref name="problem"/>.
    /// </summary>
    public static bool TryFromWire(IssueBody body, out CertificateIssuance? issuance, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(body);
        issuance = null;
        problem = null;
        IssuanceRequestId? requestId = null;
        if (body.RequestId is not null)
        {
            if (!IssuanceRequestId.TryCreate(body.RequestId, out var id))
            {
                problem = $"requestId is {IssuanceRequestId.MinLength}–{IssuanceRequestId.MaxLength} characters of A–Z a–z 0–9 . _ : -.";
                return false;
            }

            requestId = id;
        }

        if (!WireNames.TryParseKind(body.Kind, out var kind))
        {
            problem = $"kind is {WireNames.Signature} or {WireNames.Authentication}.";
            return false;
        }

        if (string.IsNullOrWhiteSpace(body.CardId) || string.IsNullOrWhiteSpace(body.HolderId))
        {
            problem = "cardId and holderId are required.";
            return false;
        }

        if (!Contracts.CardId.TryCreate(body.CardId, out var cardId) || !Contracts.HolderId.TryCreate(body.HolderId, out var holderId))
        {
            problem = "cardId and holderId are at most 128 characters, without control characters.";
            return false;
        }

        byte[] spki;
        try
        {
            spki = Convert.FromBase64String(body.SubjectPublicKeyInfo ?? string.Empty);
        }
        catch (FormatException)
        {
            problem = "subjectPublicKeyInfo is the holder's public key, DER SubjectPublicKeyInfo in base64.";
            return false;
        }

        if (spki.Length == 0)
        {
            problem = "subjectPublicKeyInfo is required (DER SubjectPublicKeyInfo in base64).";
            return false;
        }

        if (!TryDate(body.ExpiryDate, out var expiry))
        {
            problem = "expiryDate is required, YYYY-MM-DD.";
            return false;
        }

        CertificateSerial? previous = null;
        if (body.PreviousSerial is not null)
        {
            if (!CertificateSerial.TryParse(body.PreviousSerial, out var p))
            {
                problem = "previousSerial is not hexadecimal.";
                return false;
            }

            previous = p;
        }

        SignatureSubjectInfo? signature = null;
        if (kind == CertificateKind.Signature && !TrySignature(body.Signature, out signature, out problem))
        {
            return false;
        }

        issuance = new CertificateIssuance(requestId, kind, spki, cardId, holderId, expiry, signature, previous);
        return true;
    }

    private static bool TrySignature(SignatureBody? body, out SignatureSubjectInfo? subject, out string? problem)
    {
        subject = null;
        problem = null;
        if (body is null || string.IsNullOrWhiteSpace(body.Prefecture) || string.IsNullOrWhiteSpace(body.Municipality)
            || string.IsNullOrWhiteSpace(body.Name) || string.IsNullOrWhiteSpace(body.Address))
        {
            problem = "A signature certificate needs signature.prefecture, municipality, name, address, dateOfBirth and sex.";
            return false;
        }

        if (!TryDate(body.DateOfBirth, out var birth))
        {
            problem = "signature.dateOfBirth is required, YYYY-MM-DD.";
            return false;
        }

        if (body.Sex is not (1 or 2 or 9))
        {
            problem = "signature.sex is 1 (male), 2 (female) or 9 (not applicable).";
            return false;
        }

        // Whether the flags fit the name and address is the authority's one issuance validator's to judge (code bad-flags).
        subject = new SignatureSubjectInfo(body.Prefecture, body.Municipality, body.Name, body.NameSubstitutionFlags, body.Address, body.AddressSubstitutionFlags, birth, (Sex)body.Sex.Value);
        return true;
    }

    private static bool TryDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}
