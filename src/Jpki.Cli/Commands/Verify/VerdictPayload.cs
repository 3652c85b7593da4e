using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Jpki.Core.Time;
using Jpki.Verification;
using Jpki.Verification.Signatures;

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
    /// <summary>The signature family (<c>CAdES</c>…), for <c>jpki verify</c>.</summary>
    public string? Format { get; init; }

    /// <summary>The baseline level of the signature's structure (<c>B-B</c> … <c>B-LTA</c>).</summary>
    public string? Level { get; init; }

    /// <summary>The ETSI EN 319 102-1 indication: TOTAL-PASSED, TOTAL-FAILED, INDETERMINATE.</summary>
    public string? Indication { get; init; }

    /// <summary>The ETSI sub-indication, when not passed.</summary>
    public string? SubIndication { get; init; }

    /// <summary>The earliest time the signature is proven to have existed (or the verification time).</summary>
    public DateTimeOffset? BestSignatureTime { get; init; }

    /// <summary>True when <see cref="BestSignatureTime"/> is proven by a time-stamp.</summary>
    public bool? BestSignatureTimeProven { get; init; }

    /// <summary>The time-stamps: kind, genTime, indication.</summary>
    public IReadOnlyList<TimestampPayload>? Timestamps { get; init; }

    /// <summary>How many signatures the document holds (this payload describes the first).</summary>
    public int? Signatures { get; init; }

    /// <summary>The verdict of the first signature of a validation report (<c>jpki verify</c>).</summary>
    public static VerdictPayload From(SignatureReport signature, ValidationReport report)
    {
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(report);
        var verdict = signature.VerdictValue;
        return new VerdictPayload(
            signature.Verdict,
            signature.IsValid,
            signature.Message,
            verdict?.RevokedAt,
            verdict?.RevocationReason is { } r ? Jpki.Verification.Verdict.CodeOf(r) : null,
            report.ValidationTime,
            signature.ClaimedSigningTime,
            signature.SignerCertificate is { } c ? SignerPayload.From(c) : null,
            signature.BasicFourInfo is { } b ? BasicFourInfoPayload.From(b) : null,
            signature.Path is { } path ? AnchorPayload.From(path) : null)
        {
            Format = signature.Format,
            Level = signature.Level,
            Indication = Json(signature.Indication),
            SubIndication = signature.SubIndication is { } sub ? Json(sub) : null,
            BestSignatureTime = signature.BestSignatureTime,
            BestSignatureTimeProven = signature.BestSignatureTimeProven,
            Timestamps = [.. signature.Timestamps.Select(t => new TimestampPayload(Json(t.Kind), t.GenTime, Json(t.Indication), t.SubIndication is { } s ? Json(s) : null, t.Tsa?.Subject, t.Message))],
            Signatures = report.Signatures.Count,
        };
    }

    /// <summary>The payload of a document in which no signature could be read.</summary>
    public static VerdictPayload Unreadable(ValidationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new VerdictPayload("malformed", false, report.Message ?? "No signature was found.", null, null, report.ValidationTime, null, null, null, null)
        {
            Format = report.Format,
            Indication = Json(Jpki.Verification.Signatures.Indication.Indeterminate),
            SubIndication = Json(Jpki.Verification.Signatures.SubIndication.FormatFailure),
            Signatures = 0,
        };
    }

    /// <summary>An enum as the report's JSON spells it (<c>TOTAL-PASSED</c>, <c>HASH_FAILURE</c>, <c>signature-timestamp</c>).</summary>
    private static string Json<T>(T value)
        where T : struct, Enum => System.Text.Json.JsonSerializer.Serialize(value).Trim('"');

    public static VerdictPayload From(SignatureVerification result) => new(
        result.Verdict.MachineCode,
        result.IsValid,
        result.Verdict.Message,
        result.Verdict.RevokedAt,
        result.Verdict.RevocationReason is { } r ? Jpki.Verification.Verdict.CodeOf(r) : null,
        result.VerifiedAt,
        result.SigningTime,
        result.SignerCertificate is { } c ? SignerPayload.From(c) : null,
        result.BasicFourInfo is { } b ? BasicFourInfoPayload.From(b) : null,
        result.Path is { } path ? AnchorPayload.From(path) : null);

    /// <summary>Writes the verdict for people.</summary>
    public void WriteHuman(TextWriter writer)
    {
        writer.WriteLine(Valid ? "VALID" : $"INVALID ({Verdict})");
        writer.WriteLine(Message);
        if (Indication is { } indication)
        {
            writer.WriteLine($"Result:   {indication}{(SubIndication is { } sub ? "/" + sub : string.Empty)} ({Format} {Level}; ETSI EN 319 102-1)");
        }

        if (BestSignatureTime is { } best && BestSignatureTimeProven == true)
        {
            writer.WriteLine($"Existed:  {JapanTime.ToJst(best):yyyy-MM-dd HH:mm:ss} JST at the latest (proven by a time-stamp)");
        }

        foreach (var timestamp in Timestamps ?? [])
        {
            writer.WriteLine($"Stamp:    {timestamp.Kind} {(timestamp.GenTime is { } g ? JapanTime.ToJst(g).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " JST" : "?")} {timestamp.Indication}{(timestamp.SubIndication is { } why ? "/" + why : string.Empty)} by {timestamp.Tsa ?? "?"}");
        }

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
internal sealed record AnchorPayload(string Subject, string Sha256, bool Pinned)
{
    public static AnchorPayload From(Jpki.Verification.Paths.CertificatePath path) =>
        new(path.Anchor.Subject, path.Anchor.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256), path.AnchorPinned);
}

/// <summary>The basic 4 info in JSON (dateOfBirth null when the certificate records a partly unknown date).</summary>
internal sealed record BasicFourInfoPayload(string Name, string NameSubstitutions, string Address, string AddressSubstitutions, string? DateOfBirth, string DateOfBirthEraCoded, string Sex)
{
    public static BasicFourInfoPayload From(Jpki.Verification.Certificates.CertifiedBasicFourInfo b) =>
        new(b.Name, b.NameSubstitutions, b.Address, b.AddressSubstitutions, b.DateOfBirth?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), b.DateOfBirthText, b.Sex?.ToString() ?? b.SexCode);
}

/// <summary>A time-stamp in JSON.</summary>
internal sealed record TimestampPayload(string Kind, DateTimeOffset? GenTime, string Indication, string? SubIndication, string? Tsa, string Message);
