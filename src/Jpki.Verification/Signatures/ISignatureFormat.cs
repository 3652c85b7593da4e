namespace Jpki.Verification.Signatures;

/// <summary>
/// A signature format the <see cref="SignatureValidator"/> can validate — CAdES (CMS) today, XAdES and PAdES plug in
/// here. Register an implementation in <see cref="SignatureFormats.BuiltIn"/> (formats of this library) or pass it to
/// the <see cref="SignatureValidator"/> constructor (formats of another assembly). Implementations are stateless and
/// thread-safe.
/// </summary>
public interface ISignatureFormat
{
    /// <summary>The family name reports carry: <c>CAdES</c>, <c>XAdES</c>, <c>PAdES</c>.</summary>
    string Name { get; }

    /// <summary>
    /// True when <paramref name="document"/> looks like this format. Called in registration order until one answers
    /// yes, with the first bytes of the signature source (<paramref name="head"/>, up to 4 KiB): decide cheaply, never
    /// throw, never read the whole file.
    /// </summary>
    bool Detect(SignedDocument document, ReadOnlySpan<byte> head);

    /// <summary>
    /// Validates every signature of <paramref name="document"/>. Bad input is a report (FORMAT_FAILURE,
    /// HASH_FAILURE, …), never an exception; only cancellation throws. Signatures are judged with
    /// <see cref="SignatureValidationContext.EvaluateAsync"/> so every format shares one set of rules (best
    /// signature time, revocation at a past time, time-stamp trust).
    /// </summary>
    Task<IReadOnlyList<SignatureReport>> ValidateAsync(SignedDocument document, SignatureValidationContext context, CancellationToken cancellationToken);
}
