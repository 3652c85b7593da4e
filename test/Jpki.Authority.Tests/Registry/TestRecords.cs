using System.Security.Cryptography;
using Jpki.Authority.Registry;
using Jpki.Core.Identity;

namespace Jpki.Authority.Tests.Registry;

/// <summary>Certificate records for the contract tests (the DER is random bytes: the registry does not parse it).</summary>
internal static class TestRecords
{
    public static readonly DateTimeOffset Issued = new(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);

    public static CertificateRecord Create(
        string serial,
        CertificateKind kind = CertificateKind.Signature,
        string card = "CARD-1",
        string holder = "HOLDER-1",
        DateTimeOffset? notAfter = null,
        DateTimeOffset? issuedAt = null,
        string? previous = null) =>
        new(
            serial,
            kind,
            card,
            holder,
            Issued,
            notAfter ?? new DateTimeOffset(2031, 3, 31, 14, 59, 59, TimeSpan.Zero),
            issuedAt ?? Issued,
            previous,
            RandomNumberGenerator.GetBytes(64),
            null);

    /// <summary>A random 16-byte positive serial in the registry's form.</summary>
    public static string RandomSerial()
    {
        var bytes = RandomNumberGenerator.GetBytes(16);
        bytes[0] = (byte)((bytes[0] & 0x7F) | 0x10);
        return Convert.ToHexString(bytes);
    }
}
