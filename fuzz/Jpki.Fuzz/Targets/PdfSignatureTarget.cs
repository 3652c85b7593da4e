using Jpki.Verification.Pades;

namespace Jpki.Fuzz;

/// <summary>
/// The PDF reader of PAdES validation (<see cref="PadesFormat"/>): startxref, the xref chain (tables, xref streams,
/// hybrid /XRefStm, FlateDecode and PNG predictors), object streams, the AcroForm of every revision, the signature
/// dictionaries and their /ByteRange and /Contents checks, the CMS checks over the streamed byte ranges, the DSS and
/// the modification analysis. Contract: evidence for every signature (a failure has a sentence) or
/// <see cref="PdfFormatException"/>; nothing else throws.
/// </summary>
public sealed class PdfSignatureTarget : IFuzzTarget
{
    /// <summary>The target's name.</summary>
    public const string TargetName = "pdf-signature";

    /// <inheritdoc/>
    public string Name => TargetName;

    /// <inheritdoc/>
    public string Contract => "PDF bytes to PadesFormat.Gather; PdfFormatException or a failure with a sentence is the bad-input answer";

    /// <inheritdoc/>
    public void Run(ReadOnlySpan<byte> input)
    {
        using var stream = new MemoryStream(input.ToArray(), writable: false);
        try
        {
            foreach (var evidence in PadesFormat.Gather(stream))
            {
                if (evidence.Failure is { } failure && string.IsNullOrEmpty(failure.Verdict.Message))
                {
                    throw new FuzzFindingException("A PDF signature failed without a sentence.");
                }

                if (evidence.Failure is null && evidence.SigningCertificate is null)
                {
                    throw new FuzzFindingException("A PDF signature passed its own checks without a signing certificate.");
                }
            }
        }
        catch (PdfFormatException e) when (!string.IsNullOrEmpty(e.Message))
        {
            // The documented answer to a malformed PDF.
        }
    }
}
