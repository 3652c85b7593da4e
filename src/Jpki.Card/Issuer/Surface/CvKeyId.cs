using System.Text;

namespace Jpki.Card.Issuer.Surface;

/// <summary>
/// The 16-byte key identifier of the 券面 APs' card-verifiable certificates [R soltia48/myna-card <c>KeyId</c>]: 7 ASCII
/// digits (the key number), <c>08 05</c>, 3 ASCII digits (the group), 4 bytes of padding. Real identifiers start with
/// <c>5</c> (production) or <c>6</c> (J-LIS test cards); OpenJpki's start with <c>9</c> so they never name a real key.
/// </summary>
public static class CvKeyId
{
    /// <summary>Length of an identifier.</summary>
    public const int Length = 16;

    /// <summary>Builds an identifier.</summary>
    /// <exception cref="ArgumentException">Not 7 and 3 ASCII digits.</exception>
    public static byte[] Create(string number, string group = "001")
    {
        ArgumentNullException.ThrowIfNull(number);
        ArgumentNullException.ThrowIfNull(group);
        if (number.Length != 7 || !number.All(char.IsAsciiDigit) || group.Length != 3 || !group.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("A key identifier is 7 digits and a 3-digit group.", nameof(number));
        }

        var id = new byte[Length];
        Encoding.ASCII.GetBytes(number, id);
        id[7] = 0x08;
        id[8] = 0x05;
        Encoding.ASCII.GetBytes(group, id.AsSpan(9));
        return id;
    }
}
