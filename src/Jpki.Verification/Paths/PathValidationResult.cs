namespace Jpki.Verification.Paths;

/// <summary>The outcome of path validation: the verdict and, when a path was built, the path.</summary>
/// <param name="Verdict">Valid, or the reason the path is not.</param>
/// <param name="Path">The path; set when the verdict is valid, and also when only the validity period or kind failed.</param>
public sealed record PathValidationResult(Verdict Verdict, CertificatePath? Path);
