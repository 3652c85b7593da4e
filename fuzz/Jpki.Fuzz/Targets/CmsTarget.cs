using Jpki.Verification;

namespace Jpki.Fuzz;

/// <summary>
/// CMS signature verification as a relying party runs it (<see cref="JpkiVerifier.VerifyAttachedAsync"/> and
/// <see cref="JpkiVerifier.VerifyDetachedAsync"/>): the fast DER path (CmsFastPath), the SignedCms fallback, path
/// validation and the basic 4 info of the signer. Contract: always a <see cref="SignatureVerification"/> whose verdict
/// carries a code and a sentence (Malformed, BadSignature, … for bad input); nothing throws.
/// </summary>
public sealed class CmsTarget : IFuzzTarget
{
    /// <summary>The target's name.</summary>
    public const string TargetName = "cms";

    /// <summary>The content the detached seeds sign; every input is also tried as a detached signature over it.</summary>
    public static readonly byte[] DetachedContent = "OpenJpki fuzz content\n"u8.ToArray();

    private readonly JpkiVerifier _verifier = FuzzVerifier.Create();

    /// <inheritdoc/>
    public string Name => TargetName;

    /// <inheritdoc/>
    public string Contract => "CMS SignedData to JpkiVerifier (attached and detached); a failed verdict is the bad-input answer, nothing throws";

    /// <inheritdoc/>
    public void Run(ReadOnlySpan<byte> input)
    {
        var cms = input.ToArray();
        Check(_verifier.VerifyAttachedAsync(cms, FuzzVerifier.Now).GetAwaiter().GetResult());
        Check(_verifier.VerifyDetachedAsync(cms, DetachedContent, FuzzVerifier.Now).GetAwaiter().GetResult());
    }

    private static void Check(SignatureVerification result)
    {
        if (result?.Verdict is null || (!result.Verdict.IsValid && string.IsNullOrEmpty(result.Verdict.Message)))
        {
            throw new FuzzFindingException("The verifier returned no verdict, or a failure without a sentence.");
        }
    }
}
