using System.Formats.Asn1;
using System.Globalization;
using System.Text;
using Jpki.Core.Identity;

namespace Jpki.Card.Applications;

/// <summary>
/// The EF layouts of the 券面事項入力補助AP (JPKI-REFERENCE §12): EF 0001 My Number as a TLV followed by <c>FF</c>
/// filler (17 bytes), EF 0002 basic 4 info as private constructed tag 32 holding tags 33 (header), 34 name, 35 address,
/// 36 date of birth <c>YYYYMMDD</c>, 37 sex code, all UTF-8.
/// </summary>
public static class TextApEncoding
{
    /// <summary>Bytes a reader reads from EF 0001.</summary>
    public const int MyNumberEfLength = 17;

    private static readonly Asn1Tag Outer = new(TagClass.Private, 32, isConstructed: true);

    /// <summary>Encodes a 12-digit My Number as EF 0001: <c>10 0C</c> + ASCII digits + <c>FF FF FF</c>.</summary>
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
        ef[0] = 0x10;
        ef[1] = 12;
        Encoding.ASCII.GetBytes(myNumber, ef.AsSpan(2));
        return ef;
    }

    /// <summary>Decodes EF 0001; null when the content is not a 12-digit TLV.</summary>
    public static string? DecodeMyNumber(ReadOnlySpan<byte> ef)
    {
        if (ef.Length < 14 || ef[0] != 0x10 || ef[1] != 12)
        {
            return null;
        }

        var digits = ef.Slice(2, 12);
        foreach (var b in digits)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return null;
            }
        }

        return Encoding.ASCII.GetString(digits);
    }

    /// <summary>Encodes the basic 4 info as EF 0002.</summary>
    public static byte[] EncodeBasicFour(BasicFourInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var writer = new AsnWriter(AsnEncodingRules.BER);
        using (writer.PushSequence(Outer))
        {
            writer.WriteOctetString([], new Asn1Tag(TagClass.Private, 33));
            writer.WriteOctetString(Encoding.UTF8.GetBytes(info.Name), new Asn1Tag(TagClass.Private, 34));
            writer.WriteOctetString(Encoding.UTF8.GetBytes(info.Address), new Asn1Tag(TagClass.Private, 35));
            writer.WriteOctetString(
                Encoding.ASCII.GetBytes(info.DateOfBirth.ToString("yyyyMMdd", CultureInfo.InvariantCulture)),
                new Asn1Tag(TagClass.Private, 36));
            writer.WriteOctetString(
                Encoding.ASCII.GetBytes(((int)info.Sex).ToString(CultureInfo.InvariantCulture)),
                new Asn1Tag(TagClass.Private, 37));
        }

        return writer.Encode();
    }

    /// <summary>Decodes EF 0002 (trailing filler after the outer TLV is ignored); null when malformed.</summary>
    public static BasicFourInfo? DecodeBasicFour(ReadOnlyMemory<byte> ef)
    {
        try
        {
            var reader = new AsnReader(ef, AsnEncodingRules.BER);
            var inner = reader.ReadSequence(Outer);
            _ = inner.ReadOctetString(new Asn1Tag(TagClass.Private, 33));
            var name = Encoding.UTF8.GetString(inner.ReadOctetString(new Asn1Tag(TagClass.Private, 34)));
            var address = Encoding.UTF8.GetString(inner.ReadOctetString(new Asn1Tag(TagClass.Private, 35)));
            var dob = Encoding.ASCII.GetString(inner.ReadOctetString(new Asn1Tag(TagClass.Private, 36)));
            var sex = Encoding.ASCII.GetString(inner.ReadOctetString(new Asn1Tag(TagClass.Private, 37)));
            if (!DateOnly.TryParseExact(dob, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                || !int.TryParse(sex, NumberStyles.None, CultureInfo.InvariantCulture, out var code)
                || !Enum.IsDefined(typeof(Sex), code))
            {
                return null;
            }

            return new BasicFourInfo(name, address, date, (Sex)code);
        }
        catch (AsnContentException)
        {
            return null;
        }
    }
}
