using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Jpki.Municipality.Reports;

/// <summary>
/// The journal's hash chain (the authority's audit log does the same): each entry's hash is SHA-256 over the previous
/// entry's hash and the entry's fields, each length-prefixed (so no field can bleed into the next). The first entry
/// links to 32 zero bytes. Changing, removing or reordering an entry breaks every link after it.
/// </summary>
internal static class JournalHash
{
    /// <summary>What the first entry links to.</summary>
    public static string Genesis { get; } = new('0', 64);

    /// <summary>The hash (hex, lower case) of <paramref name="entry"/> on <paramref name="day"/> after <paramref name="previous"/>.</summary>
    public static string Compute(string previous, JournalEntry entry, DateOnly day)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Convert.FromHexString(previous));
        Field(hash, entry.At.UtcTicks.ToString(CultureInfo.InvariantCulture));
        Field(hash, day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Field(hash, entry.StaffId);
        Field(hash, entry.Action);
        Field(hash, entry.ResidentId);
        Field(hash, entry.CardId);
        Field(hash, entry.Outcome);
        Field(hash, entry.Details);
        Field(hash, entry.FeeYen.ToString(CultureInfo.InvariantCulture));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void Field(IncrementalHash hash, string? value)
    {
        Span<byte> length = stackalloc byte[4];
        if (value is null)
        {
            // Absent (null) differs from empty: -1 as the length.
            BinaryPrimitives.WriteInt32BigEndian(length, -1);
            hash.AppendData(length);
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }
}
