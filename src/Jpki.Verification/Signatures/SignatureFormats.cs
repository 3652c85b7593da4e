using Jpki.Verification.Cades;
using Jpki.Verification.Pades;
using Jpki.Verification.Xades;

namespace Jpki.Verification.Signatures;

/// <summary>The formats <see cref="SignatureValidator"/> knows without being told, in detection order.</summary>
public static class SignatureFormats
{
    /// <summary>
    /// The built-in formats. XAdES and PAdES validators of this library are added here (one line each); a format that
    /// lives elsewhere is passed to <see cref="SignatureValidator"/>'s constructor instead.
    /// </summary>
    public static IReadOnlyList<ISignatureFormat> BuiltIn { get; } =
    [
        new CadesFormat(),
        new XadesFormat(),
        new PadesFormat(),
    ];
}
