using System.Formats.Asn1;

namespace Jpki.Authority.Crl;

/// <summary>RFC 5280 §4.1.2.5 / §5.1.2.4: UTCTime through 2049, GeneralizedTime from 2050, whole seconds, Zulu.</summary>
internal static class DerTime
{
    public static void Write(AsnWriter writer, DateTimeOffset instant)
    {
        var utc = instant.ToUniversalTime();
        utc = new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        if (utc.Year < 2050)
        {
            writer.WriteUtcTime(utc, 2049);
        }
        else
        {
            writer.WriteGeneralizedTime(utc, omitFractionalSeconds: true);
        }
    }
}
