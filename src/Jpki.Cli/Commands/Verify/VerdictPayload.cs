using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Jpki.Core.Time;
using Jpki.Verification;

namespace Jpki.Cli.Commands.Verify;

/// <summary>The JSON shape of a verdict (for <c>--json</c>).</summary>
internal sealed record VerdictPayload(
    string Verdict,
    bool Valid,
    string Message,
    DateTimeOffset? RevokedAt,
    string? RevocationReason,
    DateTimeOffset VerifiedAt,
    DateTimeOffset? SigningTime,
    SignerPayload? Signer,
    BasicFourInfoPayload? BasicFourInfo,
    AnchorPayload? Anchor,
    string? AccountKey = null)
{
    public static VerdictPayload From(SignatureVerification result) => new(
        result.Verdict.MachineCode,
        result.IsValid,
        result.Verdict.Message,
        result.Verdict.RevokedAt,
        result.Verdict.RevocationReason is { } r ? Jpki.Verification.Verdict.CodeOf(r) : null,
        result.VerifiedAt,
        result.SigningTime,
        result.SignerCertificate is { } c ? SignerPayload.From(c) : null,
        result.BasicFourInfo is { } b
            ? new BasicFourInfoPayload(b.Name, b.NameSubstitutions, b.Address, b.AddressSubstitutions, b.DateOfBirth?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), b.DateOfBirthText, b.Sex?.ToString() ?? b.SexCode)
            : null,
        result.Path is { } path ? new AnchorPayload(path.Anchor.Subject, path.Anchor.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256), path.AnchorPinned) : null);

    /// <summary>Writes the verdict for people.</summary>
    public void WriteHuman(TextWriter writer)
    {
        writer.WriteLine(Valid ? "VALID" : $"INVALID ({Verdict})");
        writer.WriteLine(Message);
        if (Signer is { } s)
        {
            writer.WriteLine($"Signer:   {s.Subject} (serial {s.Serial}, issuer {s.Issuer}, valid {s.NotBefore:yyyy-MM-dd} to {s.NotAfter:yyyy-MM-dd})");
        }

        if (Anchor is { } a)
        {
            writer.WriteLine($"Anchor:   {a.Subject} (SHA-256 {a.Sha256}), {(a.Pinned ? "pinned" : "trusted as configured with --trust, not pinned")}");
        }

        if (SigningTime is { } t)
        {
            writer.WriteLine($"Signed:   {JapanTime.ToJst(t):yyyy-MM-dd HH:mm:ss} JST (signer's claim)");
        }

        if (BasicFourInfo is { } b)
        {
            writer.WriteLine($"Name:     {b.Name}");
            writer.WriteLine($"Address:  {b.Address}");
            writer.WriteLine($"Born:     {b.DateOfBirth ?? $"{b.DateOfBirthEraCoded} (not a complete date)"}");
            writer.WriteLine($"Sex:      {b.Sex}");
        }

        if (AccountKey is { } key)
        {
            writer.WriteLine($"Account:  {key}");
        }
    }
}

/// <summary>The signer certificate in JSON.</summary>
internal sealed record SignerPayload(string Subject, string Issuer, string Serial, DateTimeOffset NotBefore, DateTimeOffset NotAfter, string Sha256)
{
    public static SignerPayload From(X509Certificate2 certificate) => new(
        certificate.Subject,
        certificate.Issuer,
        certificate.SerialNumber,
        new DateTimeOffset(certificate.NotBefore.ToUniversalTime()),
        new DateTimeOffset(certificate.NotAfter.ToUniversalTime()),
        certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256));
}

/// <summary>The trust anchor the path ended in, and whether its fingerprint was pinned (a J-LIS root or a --trust-pin).</summary>
internal sealed record AnchorPayload(string Subject, string Sha256, bool Pinned);

/// <summary>The basic 4 info in JSON (dateOfBirth null when the certificate records a partly unknown date).</summary>
internal sealed record BasicFourInfoPayload(string Name, string NameSubstitutions, string Address, string AddressSubstitutions, string? DateOfBirth, string DateOfBirthEraCoded, string Sex);
