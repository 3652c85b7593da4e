using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Jpki.Core.Identity;
using Jpki.Verification.Revocation;
using Jpki.Verification.Timestamps;

namespace Jpki.Verification.Signatures;

/// <summary>
/// What a <see cref="ISignatureFormat"/> gets for one validation: the relying party's verifier (JPKI trust, path
/// validation, online revocation), the time-stamp verifier (TSA trust), the validation time, and
/// <see cref="EvaluateAsync"/>, the rules every format shares.
/// </summary>
public sealed class SignatureValidationContext
{
    internal SignatureValidationContext(JpkiVerifier verifier, TimestampVerifier timestamps, DateTimeOffset validationTime, SignatureValidationOptions options)
    {
        Verifier = verifier;
        Timestamps = timestamps;
        ValidationTime = validationTime;
        Options = options;
    }

    /// <summary>The relying party's verifier: JPKI trust anchors, path validation, the configured revocation sources.</summary>
    public JpkiVerifier Verifier { get; }

    /// <summary>The time-stamp verifier over the configured TSA trust anchors.</summary>
    public TimestampVerifier Timestamps { get; }

    /// <summary>The time the validation is made for.</summary>
    public DateTimeOffset ValidationTime { get; }

    /// <summary>The options.</summary>
    public SignatureValidationOptions Options { get; }

    /// <summary>
    /// Judges one signature from its <paramref name="evidence"/> (a simplified ETSI EN 319 102-1 validation with
    /// long-term data, §5.5–5.6):
    /// <list type="number">
    /// <item>a failure of the format's own checks decides (HASH_FAILURE, SIG_CRYPTO_FAILURE, FORMAT_FAILURE, …);</item>
    /// <item>time-stamps are verified from the last to the first: a token counts as proof of existence when it verifies,
    /// its TSA chains to a trusted TSA root and was valid at genTime, and the TSA chain is still unexpired at the
    /// time the token itself is proven to have existed — now, or the genTime of a later valid archive time-stamp;</item>
    /// <item>the best signature time is the earliest genTime of a valid signature or archive time-stamp (else the
    /// validation time);</item>
    /// <item>the signing certificate's path is validated at the best signature time, with revocation answered first
    /// by the CRLs/OCSP answers the signature embeds, then by the verifier's sources — so a signature proven to exist
    /// before its certificate was revoked or expired still validates;</item>
    /// <item>a time-stamp that is present but forged or corrupt (wrong imprint, bad signature, a signer that is not a TSA)
    /// makes an otherwise passing signature INDETERMINATE/SIG_CONSTRAINTS_FAILURE; one from an untrusted TSA is only not used as proof.</item>
    /// </list>
    /// </summary>
    public async Task<SignatureReport> EvaluateAsync(SignatureEvidence evidence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var warnings = new List<string>(evidence.Warnings);
        var embedded = new EmbeddedData(evidence.Certificates.Count + (evidence.SigningCertificate is null ? 0 : 1), evidence.Crls.Count, evidence.OcspResponses.Count);
        SignatureReport Report(Indication indication, SubIndication? sub, Verdict verdict, DateTimeOffset best, bool proven, IReadOnlyList<TimestampReport> timestamps) => new()
        {
            Id = evidence.Id,
            Format = evidence.Format,
            Level = evidence.Level,
            Indication = indication,
            SubIndication = sub,
            Verdict = verdict.MachineCode,
            VerdictValue = verdict,
            Message = verdict.IsValid ? "The signature is valid: its signed data, signature value, certificate path and revocation status check out." : verdict.Message,
            Signer = evidence.SigningCertificate is { } s ? CertificateSummary.Of(s) : null,
            SignerCertificate = evidence.SigningCertificate,
            ClaimedSigningTime = evidence.ClaimedSigningTime,
            BestSignatureTime = best,
            BestSignatureTimeProven = proven,
            Timestamps = timestamps,
            Embedded = embedded,
            Warnings = warnings,
            SignedObjects = evidence.SignedObjects,
            SignedContent = evidence.SignedContent,
        };

        if (evidence.Failure is { } failure)
        {
            return Report(failure.Indication, failure.SubIndication, failure.Verdict, ValidationTime, false, []);
        }

        var (reports, best, proven, brokenTimestamp) = JudgeTimestamps(evidence);
        if (evidence.SigningCertificate is not { } signer)
        {
            return Report(Indication.Indeterminate, SubIndication.NoSigningCertificateFound, Verdict.Fail(VerdictCode.Malformed, "The signature does not include the signer's certificate."), best, proven, reports);
        }

        var source = new EmbeddedRevocationSource(evidence.Crls, evidence.OcspResponses);
        warnings.AddRange(source.Problems);
        var others = evidence.Certificates.Where(c => !ReferenceEquals(c, signer) && !c.RawDataMemory.Span.SequenceEqual(signer.RawDataMemory.Span)).ToArray();
        var checkedPath = await Verifier.VerifyCertificateWithSourcesAsync(signer, CertificateKind.Signature, others, best, [source], cancellationToken).ConfigureAwait(false);
        var verdict = checkedPath.Verdict;
        var (identity, identityFailure) = JpkiVerifier.IdentityOf(verdict.IsValid ? checkedPath.Path : null);
        verdict = identityFailure ?? verdict;
        var (indication, sub) = Judge(verdict, signer, evidence.ClaimedSigningTime, checkedPath.Path);
        if (indication == Indication.TotalPassed && brokenTimestamp is { } broken)
        {
            (indication, sub, verdict) = (Indication.Indeterminate, SubIndication.SigConstraintsFailure, Verdict.Fail(VerdictCode.BadTimestamp, $"The signature carries a {Describe(broken.Kind)} that does not verify: {broken.Message}"));
        }

        if (proven && indication == Indication.TotalPassed && best < ValidationTime)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"Validated at the best signature time {best.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}, proven by a time-stamp."));
        }

        return Report(indication, sub, verdict, best, proven, reports) with { BasicFourInfo = identity, Path = checkedPath.Path };
    }

    private (TimestampReport[] Reports, DateTimeOffset Best, bool Proven, TimestampReport? Broken) JudgeTimestamps(SignatureEvidence evidence)
    {
        var extra = new List<X509Certificate2>(evidence.Certificates);
        if (evidence.SigningCertificate is { } s)
        {
            extra.Add(s);
        }

        // Unsigned attributes are a DER SET OF, so their order says nothing about when they were added: judge the
        // tokens from the latest genTime back, each later valid archive time-stamp proving the earlier ones existed.
        var count = evidence.Timestamps.Count;
        var checks = evidence.Timestamps.Select(t => Timestamps.Verify(t.Token, t.Imprint, extra)).ToArray();
        var order = Enumerable.Range(0, count).OrderByDescending(i => checks[i].GenTime ?? DateTimeOffset.MinValue).ToArray();
        var reports = new TimestampReport[count];
        var horizon = ValidationTime;
        var best = ValidationTime;
        var proven = false;
        TimestampReport? broken = null;
        foreach (var i in order)
        {
            var timestamp = evidence.Timestamps[i];
            var check = checks[i];
            var indication = check.Indication;
            var sub = check.SubIndication;
            var message = check.Message;
            if (check.IsValid && check.ChainNotAfter is { } notAfter && notAfter < horizon)
            {
                (indication, sub) = (Indication.Indeterminate, SubIndication.OutOfBoundsNoPoe);
                message = string.Create(CultureInfo.InvariantCulture, $"The TSA certificate chain of this time-stamp expired at {notAfter.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}, and no later archive time-stamp proves the token existed before that.");
            }

            var valid = indication == Indication.TotalPassed;
            var used = false;
            if (valid && check.GenTime is { } genTime)
            {
                switch (timestamp.Kind)
                {
                    case TimestampKind.Archive or TimestampKind.Document:
                        horizon = genTime < horizon ? genTime : horizon;
                        best = genTime < best ? genTime : best;
                        used = proven = true;
                        break;
                    case TimestampKind.Signature:
                        best = genTime < best ? genTime : best;
                        used = proven = true;
                        break;
                }
            }

            reports[i] = new TimestampReport
            {
                Kind = timestamp.Kind,
                Indication = indication,
                SubIndication = sub,
                Message = message,
                GenTime = check.GenTime,
                Tsa = check.TsaCertificate is { } tsa ? CertificateSummary.Of(tsa) : null,
                SerialNumber = check.SerialNumber,
                Policy = check.Policy,
                HashAlgorithm = check.HashAlgorithm?.Name,
                UsedAsProof = used,
            };
            // A token that is forged or corrupt (wrong imprint, bad signature, not a TSA certificate) condemns the signature's
            // claim to a level; one that merely proves nothing (untrusted TSA, expired TSA chain) is only not used as proof.
            if (indication == Indication.TotalFailed || sub is SubIndication.ChainConstraintsFailure or SubIndication.NoSigningCertificateFound or SubIndication.CryptoConstraintsFailure)
            {
                broken = reports[i];
            }
        }

        return ([.. reports.OrderBy(r => r.GenTime ?? DateTimeOffset.MaxValue)], best, proven, broken);
    }

    /// <summary>Maps the certificate verdict at the best signature time to an indication (EN 319 102-1 §5.2.6, §5.3.4).</summary>
    private static (Indication, SubIndication?) Judge(Verdict verdict, X509Certificate2 signer, DateTimeOffset? claimed, Paths.CertificatePath? path)
    {
        switch (verdict.Code)
        {
            case VerdictCode.Valid:
                return (Indication.TotalPassed, null);
            case VerdictCode.Revoked:
                var leaf = path is null || verdict.Message.Contains(signer.Subject, StringComparison.Ordinal);
                return claimed is { } c && verdict.RevokedAt is { } r && c > r
                    ? (Indication.TotalFailed, SubIndication.Revoked)
                    : (Indication.Indeterminate, leaf ? SubIndication.RevokedNoPoe : SubIndication.RevokedCaNoPoe);
            case VerdictCode.Expired:
                return claimed is { } signedAt && signedAt > new DateTimeOffset(signer.NotAfter.ToUniversalTime(), TimeSpan.Zero)
                    ? (Indication.TotalFailed, SubIndication.Expired)
                    : (Indication.Indeterminate, SubIndication.OutOfBoundsNoPoe);
            case VerdictCode.NotYetValid:
                return claimed is { } early && early < new DateTimeOffset(signer.NotBefore.ToUniversalTime(), TimeSpan.Zero)
                    ? (Indication.TotalFailed, SubIndication.NotYetValid)
                    : (Indication.Indeterminate, SubIndication.NotYetValid);
            case VerdictCode.Untrusted:
                return (Indication.Indeterminate, SubIndication.NoCertificateChainFound);
            case VerdictCode.WrongKind:
                return (Indication.Indeterminate, SubIndication.ChainConstraintsFailure);
            case VerdictCode.NoRevocationData:
                return (Indication.Indeterminate, SubIndication.TryLater);
            case VerdictCode.BadSignature:
                return (Indication.TotalFailed, SubIndication.SigCryptoFailure);
            case VerdictCode.ContentTampered:
                return (Indication.TotalFailed, SubIndication.HashFailure);
            default:
                return (Indication.TotalFailed, SubIndication.FormatFailure);
        }
    }

    private static string Describe(TimestampKind kind) => kind switch
    {
        TimestampKind.Archive => "archive time-stamp",
        TimestampKind.Document => "document time-stamp",
        TimestampKind.Content => "content time-stamp",
        _ => "signature time-stamp",
    };
}
