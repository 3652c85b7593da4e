using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Jpki.Card.Applications;

/// <summary>
/// The 共通カードAP's card information record, EF 0001 record 1 [R soltia48/myna-card <c>src/ap/common.rs</c>]: a JICSAP
/// simple-TLV record <c>01 1C</c> + 28 ASCII digits = serial (15) ‖ 全国地方公共団体コード (5) ‖ expiry <c>YYYYMMDD</c>.
/// </summary>
public static class CommonApEncoding
{
    /// <summary>
    /// Builds the record. The serial is the card number when it is at most 15 digits (zero-padded); other card numbers
    /// (OpenJpki's default <c>OJ…</c> numbers) map to 15 digits derived from their SHA-256 — ours, the real serial's
    /// numbering is not public.
    /// </summary>
    /// <exception cref="ArgumentException">A municipality code that is not 5 digits.</exception>
    public static byte[] EncodeCardInfo(string cardNumber, string municipalityCode, DateOnly expiry)
    {
        ArgumentNullException.ThrowIfNull(cardNumber);
        ArgumentNullException.ThrowIfNull(municipalityCode);
        if (municipalityCode.Length != 5 || !municipalityCode.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("The municipality code has 5 digits.", nameof(municipalityCode));
        }

        var text = Serial(cardNumber) + municipalityCode + expiry.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        return [0x01, 0x1C, .. Encoding.ASCII.GetBytes(text)];
    }

    /// <summary>The 15-digit serial the common AP record carries for <paramref name="cardNumber"/>.</summary>
    public static string Serial(string cardNumber)
    {
        ArgumentNullException.ThrowIfNull(cardNumber);
        if (cardNumber.Length is > 0 and <= 15 && cardNumber.All(char.IsAsciiDigit))
        {
            return cardNumber.PadLeft(15, '0');
        }

        var hash = new BigInteger(SHA256.HashData(Encoding.ASCII.GetBytes(cardNumber)), isUnsigned: true);
        return (hash % BigInteger.Pow(10, 15)).ToString("D15", CultureInfo.InvariantCulture);
    }
}
