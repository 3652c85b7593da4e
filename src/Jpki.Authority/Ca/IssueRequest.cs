using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Jpki.Authority.Profiles;
using Jpki.Core.Identity;

namespace Jpki.Authority.Ca;

/// <summary>What the municipal counter sends the authority to issue one certificate.</summary>
/// <param name="Kind">Sign or auth.</param>
/// <param name="SubjectPublicKeyInfo">The card-generated RSA public key, DER SubjectPublicKeyInfo.</param>
/// <param name="CardId">The card the certificate goes onto.</param>
/// <param name="HolderId">The holder's reference at the municipality (never the My Number).</param>
/// <param name="ExpiryDate">The last day of validity (computed by the rules engine); notAfter is 23:59:59 JST of it.</param>
/// <param name="Signature">Prefecture, municipality and basic 4 info; required for sign, ignored for auth.</param>
/// <param name="PreviousSerialHex">The certificate this one renews or replaces (linkage, JPKI-REFERENCE §8.3), if any.</param>
/// <param name="Actor">Who asks (staff account or service), for the audit log.</param>
public sealed record IssueRequest(
    CertificateKind Kind,
    ReadOnlyMemory<byte> SubjectPublicKeyInfo,
    string CardId,
    string HolderId,
    DateOnly ExpiryDate,
    SignatureSubject? Signature,
    string? PreviousSerialHex,
    string Actor)
{
    /// <summary>
    /// The registration authority's idempotency key (<c>IssuanceRequestId</c> of the contract), or null. With one, the
    /// authority answers a repeat of the same request with the first outcome and refuses the key with another request.
    /// </summary>
    public string? RequestId { get; init; }

    /// <summary>
    /// SHA-256 of the request's canonical form — every field including the actor, not the request id: two requests are
    /// "the same" exactly when their digests are equal. Each field is written as a 4-byte big-endian length and its
    /// UTF-8 (or DER) bytes, in a fixed order, so no two different requests share an encoding.
    /// </summary>
    public byte[] ComputeDigest()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Field(ReadOnlySpan<byte> bytes)
        {
            Span<byte> length = stackalloc byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
            hash.AppendData(length);
            hash.AppendData(bytes);
        }

        void Text(string? text) => Field(text is null ? [0xFF] : Encoding.UTF8.GetBytes("=" + text));
        string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        Text("jpki-issue-request-v1");
        Text(Actor);
        Text(((int)Kind).ToString(CultureInfo.InvariantCulture));
        Field(SubjectPublicKeyInfo.Span);
        Text(CardId);
        Text(HolderId);
        Text(Date(ExpiryDate));
        Text(PreviousSerialHex is null ? null : SerialNumbers.TryNormalize(PreviousSerialHex, out var previous) ? previous : PreviousSerialHex);
        if (Kind == CertificateKind.Signature && Signature is { } s)
        {
            Text(s.Prefecture);
            Text(s.Municipality);
            Text(s.Name);
            Text(s.NameSubstitutionFlags);
            Text(s.Address);
            Text(s.AddressSubstitutionFlags);
            Text(Date(s.DateOfBirth));
            Text(((int)s.Sex).ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            Text(null);
        }

        return hash.GetHashAndReset();
    }
}
