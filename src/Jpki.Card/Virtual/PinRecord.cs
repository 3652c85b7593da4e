using System.Security.Cryptography;

namespace Jpki.Card.Virtual;

/// <summary>
/// One PIN EF: a salted PBKDF2-SHA256 verifier of the PIN bytes (never the PIN itself) and the retry counter.
/// </summary>
internal sealed class PinRecord
{
    /// <summary>Iterations for new verifiers. A 4-digit PIN is still brute-forceable offline; see docs/card.md.</summary>
    public const int DefaultIterations = 100_000;

    public byte[]? Salt { get; set; }

    public byte[]? Verifier { get; set; }

    public int Iterations { get; set; } = DefaultIterations;

    public int TriesLeft { get; set; }

    public int MaxTries { get; set; }

    public bool IsSet => Salt is not null && Verifier is not null;

    /// <summary>Replaces the PIN with <paramref name="pin"/> and resets the counter to the maximum.</summary>
    public void Set(ReadOnlySpan<byte> pin, int iterations)
    {
        Salt = RandomNumberGenerator.GetBytes(16);
        Iterations = iterations;
        Verifier = Rfc2898DeriveBytes.Pbkdf2(pin, Salt, iterations, HashAlgorithmName.SHA256, 32);
        TriesLeft = MaxTries;
    }

    /// <summary>Compares <paramref name="candidate"/> in constant time with the stored verifier. Does not touch the counter.</summary>
    public bool Matches(ReadOnlySpan<byte> candidate)
    {
        if (Salt is null || Verifier is null)
        {
            return false;
        }

        Span<byte> derived = stackalloc byte[32];
        Rfc2898DeriveBytes.Pbkdf2(candidate, Salt, derived, Iterations, HashAlgorithmName.SHA256);
        var equal = CryptographicOperations.FixedTimeEquals(derived, Verifier);
        CryptographicOperations.ZeroMemory(derived);
        return equal;
    }
}
