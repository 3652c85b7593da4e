using System.Security.Cryptography;

namespace Jpki.Authority.Ca;

/// <summary>
/// Serials of 16 random octets (127 bits of entropy: top bit cleared so the INTEGER is positive, first octet non-zero so
/// the DER has no leading zero) and 24-hex-digit subject identifiers, from <see cref="RandomNumberGenerator"/>.
/// </summary>
public sealed class RandomIdentifierSource : IIdentifierSource
{
    /// <summary>The shared instance (stateless and thread-safe).</summary>
    public static readonly RandomIdentifierSource Instance = new();

    /// <inheritdoc />
    public byte[] NextSerial()
    {
        var serial = new byte[16];
        do
        {
            RandomNumberGenerator.Fill(serial);
            serial[0] &= 0x7F;
        }
        while (serial[0] == 0);

        return serial;
    }

    /// <inheritdoc />
    public string NextSubjectId() => Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
}
