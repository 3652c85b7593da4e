using System.Formats.Asn1;

namespace Jpki.Verification.Certificates;

/// <summary>Reads the X.509 <c>Time</c> CHOICE (UTCTime or GeneralizedTime).</summary>
internal static class DerTime
{
    public static DateTimeOffset Read(AsnReader reader)
    {
        var tag = reader.PeekTag();
        if (tag.HasSameClassAndValue(Asn1Tag.UtcTime))
        {
            return reader.ReadUtcTime(2049);
        }

        return reader.ReadGeneralizedTime();
    }

    public static bool IsTime(Asn1Tag tag) => tag.HasSameClassAndValue(Asn1Tag.UtcTime) || tag.HasSameClassAndValue(Asn1Tag.GeneralizedTime);
}
