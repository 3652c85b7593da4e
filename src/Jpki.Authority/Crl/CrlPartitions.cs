using System.Globalization;
using Jpki.Core.Time;

namespace Jpki.Authority.Crl;

/// <summary>
/// CRL partitions by expiry (docs/authority.md, "CRL partitions") [I: J-LIS partitions its CRLs, layout not public]: a
/// certificate's partition is the window of <c>months</c> calendar months (aligned on January) holding its expiry
/// date in Japan; its id is <c>yyyymm</c> of the window's first month (a certificate expiring 2031-05-17 with 3-month
/// windows is in 203104). It is fixed at issuance — written into the certificate's CRL distribution point and into
/// the registry — so a partition only ever loses entries as its certificates expire, and an expired window drops out
/// of publication. 0 is "no partition": the certificate points at the full CRL.
/// </summary>
public static class CrlPartitions
{
    /// <summary>The partition of a certificate expiring at <paramref name="notAfter"/>, or 0 when <paramref name="months"/> is 0.</summary>
    public static int Of(DateTimeOffset notAfter, int months)
    {
        Check(months);
        if (months == 0)
        {
            return 0;
        }

        var date = JapanTime.ToJapanDate(notAfter);
        var first = ((date.Month - 1) / months * months) + 1;
        return (date.Year * 100) + first;
    }

    /// <summary>
    /// Every partition whose window overlaps [<paramref name="from"/>, <paramref name="to"/>] (Japan dates), oldest
    /// first: the partitions a CA publishes, from the oldest window that may still hold an unexpired certificate to
    /// the window of the latest expiry it can issue (its own notAfter).
    /// </summary>
    public static IReadOnlyList<int> Between(DateTimeOffset from, DateTimeOffset to, int months)
    {
        Check(months);
        var result = new List<int>();
        if (months == 0 || to < from)
        {
            return result;
        }

        var last = Of(to, months);
        for (var partition = Of(from, months); partition <= last; partition = Next(partition, months))
        {
            result.Add(partition);
        }

        return result;
    }

    /// <summary>The path of a partition's CRL under the base URL: <c>/crl/{slug}/{id}.crl</c> (<c>-delta</c> for its delta CRL).</summary>
    public static string PathOf(string slug, int partition, bool delta) => partition == 0
        ? $"/crl/{slug}{(delta ? "-delta" : string.Empty)}.crl"
        : string.Create(CultureInfo.InvariantCulture, $"/crl/{slug}/{partition}{(delta ? "-delta" : string.Empty)}.crl");

    /// <summary>True when <paramref name="partition"/> names a window start (<c>yyyymm</c>, month 1–12).</summary>
    public static bool IsValid(int partition) => partition is >= 190001 and <= 999912 && partition % 100 is >= 1 and <= 12;

    private static int Next(int partition, int months)
    {
        var year = partition / 100;
        var month = (partition % 100) + months;
        return month > 12 ? ((year + 1) * 100) + (month - 12) : (year * 100) + month;
    }

    private static void Check(int months)
    {
        if (months is not (0 or 1 or 2 or 3 or 4 or 6 or 12))
        {
            throw new ArgumentOutOfRangeException(nameof(months), months, "CRL partitions span 1, 2, 3, 4, 6 or 12 months (0: no partitions).");
        }
    }
}
