using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Jpki.Authority.Audit;

/// <summary>
/// The chain hash of an audit entry (docs/registry.md, "Audit chain"):
/// <c>SHA-256(F("jpki-audit-v1") ‖ F(seq) ‖ F(at) ‖ F(actor) ‖ F(action) ‖ F(subject) ‖ F(details) ‖ F(prev_hash))</c>,
/// where <c>F(x)</c> is the 4-byte big-endian length of <c>x</c> followed by <c>x</c>; <c>seq</c> is decimal ASCII,
/// <c>at</c> is UTC ISO-8601 with seven fraction digits (<c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c>, truncated to
/// microseconds), text is UTF-8, and <c>prev_hash</c> is the predecessor's 32-byte hash (32 zero bytes for entry 1).
/// Length prefixes make the encoding unambiguous: no two different entries encode to the same bytes.
/// </summary>
internal static class AuditHash
{
    /// <summary>The hash size in bytes.</summary>
    public const int Size = 32;

    private const string Domain = "jpki-audit-v1";

    /// <summary>The previous hash of the first entry.</summary>
    public static byte[] Genesis() => new byte[Size];

    /// <summary>Formats an instant the way it is hashed.</summary>
    public static string FormatAt(DateTimeOffset at) =>
        StoreTimeFormat(at).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Computes the chain hash of one entry.</summary>
    public static byte[] Compute(long sequence, DateTimeOffset at, string actor, string action, string subject, string details, ReadOnlySpan<byte> previousHash)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendText(hash, Domain);
        AppendText(hash, sequence.ToString(CultureInfo.InvariantCulture));
        AppendText(hash, FormatAt(at));
        AppendText(hash, actor);
        AppendText(hash, action);
        AppendText(hash, subject);
        AppendText(hash, details);
        AppendBytes(hash, previousHash);
        return hash.GetHashAndReset();
    }

    /// <summary>Computes the hash <paramref name="row"/> would have at <paramref name="sequence"/> after <paramref name="previousHash"/>.</summary>
    public static byte[] Compute(AuditRow row, long sequence, ReadOnlySpan<byte> previousHash) =>
        Compute(sequence, row.At, row.Actor, row.Action, row.Subject, row.Details, previousHash);

    private static DateTime StoreTimeFormat(DateTimeOffset at) => Registry.StoreTime.Truncate(at).UtcDateTime;

    private static void AppendText(IncrementalHash hash, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        AppendBytes(hash, bytes);
    }

    private static void AppendBytes(IncrementalHash hash, ReadOnlySpan<byte> bytes)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, checked((uint)bytes.Length));
        hash.AppendData(length);
        hash.AppendData(bytes);
    }
}
