using System.Globalization;
using System.Security.Cryptography;
using Jpki.Core.Time;

namespace Jpki.OnlineApplication;

/// <summary>Receipt numbers: <c>EA-YYYYMMDD-XXXXXXXX</c> — the Japan date and 8 random Crockford base-32 characters (40 bits, unguessable).</summary>
internal static class ReceiptNumbers
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string New(DateTimeOffset now)
    {
        Span<char> random = stackalloc char[8];
        for (var i = 0; i < random.Length; i++)
        {
            random[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return "EA-" + JapanTime.ToJapanDate(now).ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "-" + new string(random);
    }
}
