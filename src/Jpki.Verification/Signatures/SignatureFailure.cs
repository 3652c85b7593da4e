namespace Jpki.Verification.Signatures;

/// <summary>A failure found by a format's own checks (before the chain and revocation).</summary>
/// <param name="Indication">TOTAL-FAILED or INDETERMINATE.</param>
/// <param name="SubIndication">The ETSI sub-indication.</param>
/// <param name="Verdict">The verdict in <c>jpki verify</c>'s vocabulary.</param>
public sealed record SignatureFailure(Indication Indication, SubIndication SubIndication, Verdict Verdict)
{
    /// <summary>TOTAL-FAILED/FORMAT_FAILURE (malformed).</summary>
    public static SignatureFailure Format(string message) => new(Indication.TotalFailed, SubIndication.FormatFailure, Verdict.Fail(VerdictCode.Malformed, message));

    /// <summary>The failure for a verdict of the CMS checks: content-tampered → HASH_FAILURE, bad-signature → SIG_CRYPTO_FAILURE, malformed → FORMAT_FAILURE.</summary>
    public static SignatureFailure From(Verdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return verdict.Code switch
        {
            VerdictCode.ContentTampered => new(Indication.TotalFailed, SubIndication.HashFailure, verdict),
            VerdictCode.BadSignature => new(Indication.TotalFailed, SubIndication.SigCryptoFailure, verdict),
            _ => new(Indication.TotalFailed, SubIndication.FormatFailure, verdict),
        };
    }
}
