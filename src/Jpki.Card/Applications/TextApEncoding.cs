using System.Globalization;
using System.Text;
using Jpki.Core.Identity;

namespace Jpki.Card.Applications;

/// <summary>
/// The EF layouts of the 券面事項入力補助AP as read off a real test card [R soltia48/myna-card <c>src/ap/text.rs</c>, fixture
/// <c>text-0001-physical.bin</c>]: EF 0001 = <c>FF 10 0C</c> + 12 ASCII digits + <c>FF FF</c> (17 bytes); EF 0002 = private
/// constructed tag <c>FF 20</c> holding <c>DF 21</c> (8-byte table of big-endian offsets from the start of the file to the
/// four fields), <c>DF 22</c> name (UTF-8), <c>DF 23</c> address (UTF-8), <c>DF 24</c> date of birth <c>YYYYMMDD</c>,
/// <c>DF 25</c> sex code (JIS X 0303 <c>1</c>/<c>2</c>/<c>9</c>).
/// </summary>
public static class TextApEncoding
{
    /// <summary>Bytes of EF 0001 (a 15-byte object and two bytes of <c>FF</c> filler).</summary>
    public const int MyNumberEfLength = 17;

    private const ushort MyNumberTag = 0xFF10;
    private const ushort BasicFourTag = 0xFF20;
    private const ushort OffsetTableTag = 0xDF21;

    /// <summary>Encodes a 12-digit My Number as EF 0001: <c>FF 10 0C</c> + ASCII digits + <c>FF FF</c>.</summary>
    /// <exception cref="ArgumentException">Not exactly 12 ASCII digits.</exception>
    public static byte[] EncodeMyNumber(string myNumber)
    {
        ArgumentNullException.ThrowIfNull(myNumber);
        if (myNumber.Length != 12 || !myNumber.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("A My Number has exactly 12 digits.", nameof(myNumber));
        }

        var ef = new byte[MyNumberEfLength];
        ef.AsSpan().Fill(0xFF);
        ef[0] = 0xFF;
        ef[1] = 0x10;
        ef[2] = 12;
        Encoding.ASCII.GetBytes(myNumber, ef.AsSpan(3));
        return ef;
    }

    /// <summary>Decodes EF 0001 (filler after the object is ignored); null when the content is not a 12-digit <c>FF 10</c> object.</summary>
    public static string? DecodeMyNumber(ReadOnlySpan<byte> ef)
    {
        if (!Tlv.TryRead(ef, out var tag, out var value, out _) || tag != MyNumberTag)
        {
            return null;
        }

        var digits = ef[value];
        if (digits.Length != 12)
        {
            return null;
        }

        foreach (var b in digits)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return null;
            }
        }

        return Encoding.ASCII.GetString(digits);
    }

    /// <summary>Encodes the basic 4 info as EF 0002, with the offset table the real card carries in <c>DF 21</c>.</summary>
    public static byte[] EncodeBasicFour(BasicFourInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return Tlv.WithOffsetTable(BasicFourTag, OffsetTableTag,
        [
            Tlv.Encode(0xDF22, Encoding.UTF8.GetBytes(info.Name)),
            Tlv.Encode(0xDF23, Encoding.UTF8.GetBytes(info.Address)),
            Tlv.Encode(0xDF24, Encoding.ASCII.GetBytes(info.DateOfBirth.ToString("yyyyMMdd", CultureInfo.InvariantCulture))),
            Tlv.Encode(0xDF25, Encoding.ASCII.GetBytes(((int)info.Sex).ToString(CultureInfo.InvariantCulture))),
        ]);
    }

    /// <summary>
    /// The bytes text AP EF 0003's <c>DF 32</c> digest covers: EF 0002's outer value with the offset table skipped
    /// [R soltia48/myna-card <c>Attributes::digest_source</c>].
    /// </summary>
    /// <exception cref="ArgumentException">Not an EF 0002 whose first object is the offset table.</exception>
    public static byte[] BasicFourDigestSource(ReadOnlySpan<byte> ef)
    {
        if (!Tlv.TryRead(ef, out var tag, out var value, out _) || tag != BasicFourTag)
        {
            throw new ArgumentException("Not a text AP EF 0002.", nameof(ef));
        }

        var inner = ef[value];
        if (!Tlv.TryRead(inner, out var first, out _, out var tableLength) || first != OffsetTableTag)
        {
            throw new ArgumentException("EF 0002 does not start with its offset table.", nameof(ef));
        }

        return inner[tableLength..].ToArray();
    }

    /// <summary>
    /// Decodes EF 0002 (trailing filler after the outer object is ignored; the <c>DF 21</c> table may be empty, as version-1
    /// card files wrote it, or hold offsets, which must then agree with where the fields start); null when malformed.
    /// </summary>
    public static BasicFourInfo? DecodeBasicFour(ReadOnlySpan<byte> ef)
    {
        if (!Tlv.TryRead(ef, out var tag, out var value, out _) || tag != BasicFourTag)
        {
            return null;
        }

        var position = value.Start.Value;
        var inner = ef[value];
        var fields = new Dictionary<ushort, (byte[] Value, int Start)>();
        byte[]? table = null;
        while (!inner.IsEmpty && inner[0] is not (0x00 or 0xFF))
        {
            if (!Tlv.TryRead(inner, out var fieldTag, out var fieldValue, out var total))
            {
                return null;
            }

            if (fieldTag == OffsetTableTag)
            {
                table = inner[fieldValue].ToArray();
            }
            else if (!fields.TryAdd(fieldTag, (inner[fieldValue].ToArray(), position)))
            {
                return null;
            }

            position += total;
            inner = inner[total..];
        }

        if (!fields.TryGetValue(0xDF22, out var name) || !fields.TryGetValue(0xDF23, out var address)
            || !fields.TryGetValue(0xDF24, out var dob) || !fields.TryGetValue(0xDF25, out var sex))
        {
            return null;
        }

        if (table is { Length: > 0 })
        {
            ushort[] order = [0xDF22, 0xDF23, 0xDF24, 0xDF25];
            if (table.Length != 8)
            {
                return null;
            }

            for (var i = 0; i < 4; i++)
            {
                if (((table[2 * i] << 8) | table[(2 * i) + 1]) != fields[order[i]].Start)
                {
                    return null;
                }
            }
        }

        try
        {
            var nameText = new UTF8Encoding(false, true).GetString(name.Value);
            var addressText = new UTF8Encoding(false, true).GetString(address.Value);
            if (!DateOnly.TryParseExact(Encoding.ASCII.GetString(dob.Value), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                || !int.TryParse(Encoding.ASCII.GetString(sex.Value), NumberStyles.None, CultureInfo.InvariantCulture, out var code)
                || !Enum.IsDefined(typeof(Sex), code))
            {
                return null;
            }

            return new BasicFourInfo(nameText, addressText, date, (Sex)code);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
