using System.Security.Cryptography;
using System.Text;

namespace Jpki.Card.Issuer;

/// <summary>
/// The per-card key the issuer (the authority, through the municipal counter) uses to open the card's issuer channel.
/// It is an HMAC-SHA256 key derived from the authority's master key and the card number, so the authority needs to keep
/// only the master key. The card stores its own derived key. This channel is OpenJpki's own: the real card's issuance
/// commands are not public (JPKI-REFERENCE §13.3).
/// </summary>
public sealed class CardManagementKey : IDisposable
{
    /// <summary>Length of the key and of an authentication cryptogram.</summary>
    public const int Length = 32;

    /// <summary>Length of the card's challenge (GET CHALLENGE).</summary>
    public const int ChallengeLength = 16;

    private static readonly byte[] DerivationLabel = Encoding.ASCII.GetBytes("OpenJpki card-management key v1\0");
    private static readonly byte[] AuthenticationLabel = Encoding.ASCII.GetBytes("OpenJpki issuer authentication v1\0");

    private readonly byte[] _key;

    private CardManagementKey(byte[] key) => _key = key;

    /// <summary>Derives the key of card <paramref name="cardNumber"/>: HMAC-SHA256(master, label ‖ card number).</summary>
    /// <param name="masterKey">The authority's master key, at least 32 bytes.</param>
    /// <param name="cardNumber">The card number (ASCII).</param>
    /// <exception cref="ArgumentException">Master key shorter than 32 bytes or an empty card number.</exception>
    public static CardManagementKey Derive(ReadOnlySpan<byte> masterKey, string cardNumber)
    {
        if (masterKey.Length < Length)
        {
            throw new ArgumentException("The master key must have at least 32 bytes.", nameof(masterKey));
        }

        ArgumentException.ThrowIfNullOrEmpty(cardNumber);
        var message = DerivationLabel.Concat(Encoding.ASCII.GetBytes(cardNumber)).ToArray();
        return new CardManagementKey(HMACSHA256.HashData(masterKey, message));
    }

    /// <summary>Wraps an already derived 32-byte key (the card's own copy).</summary>
    /// <exception cref="ArgumentException">Not 32 bytes.</exception>
    public static CardManagementKey FromBytes(ReadOnlySpan<byte> key)
    {
        if (key.Length != Length)
        {
            throw new ArgumentException("A card-management key has 32 bytes.", nameof(key));
        }

        return new CardManagementKey(key.ToArray());
    }

    /// <summary>
    /// The cryptogram for EXTERNAL AUTHENTICATE: HMAC-SHA256(key, label ‖ challenge ‖ card number).
    /// </summary>
    public byte[] ComputeCryptogram(ReadOnlySpan<byte> challenge, string cardNumber)
    {
        ArgumentNullException.ThrowIfNull(cardNumber);
        var message = new byte[AuthenticationLabel.Length + challenge.Length + Encoding.ASCII.GetByteCount(cardNumber)];
        AuthenticationLabel.CopyTo(message, 0);
        challenge.CopyTo(message.AsSpan(AuthenticationLabel.Length));
        Encoding.ASCII.GetBytes(cardNumber, message.AsSpan(AuthenticationLabel.Length + challenge.Length));
        return HMACSHA256.HashData(_key, message);
    }

    /// <summary>A copy of the key bytes, for the card's own storage. The caller zeroes it.</summary>
    public byte[] ExportBytes() => (byte[])_key.Clone();

    /// <summary>Zeroes the key.</summary>
    public void Dispose() => CryptographicOperations.ZeroMemory(_key);

    /// <summary>Never shows the key.</summary>
    public override string ToString() => "CardManagementKey(****)";
}
