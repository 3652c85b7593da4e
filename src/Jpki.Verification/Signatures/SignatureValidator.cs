using System.Diagnostics;
using Jpki.Verification.Timestamps;

namespace Jpki.Verification.Signatures;

/// <summary>
/// The one entry point for signed documents: detects the format (CAdES/CMS today; XAdES and PAdES register in
/// <see cref="SignatureFormats.BuiltIn"/>), validates every signature and returns a report shaped like ETSI EN 319 102-1
/// (<see cref="ValidationReport"/>). Thread-safe; create one per trust configuration.
/// </summary>
public sealed class SignatureValidator
{
    private const int HeadBytes = 4096;

    private readonly JpkiVerifier _verifier;
    private readonly TimestampVerifier _timestamps;

    /// <summary>Creates the validator.</summary>
    /// <param name="verifier">JPKI trust anchors, path rules and the online revocation sources.</param>
    /// <param name="options">TSA trust and limits; null for none and the defaults.</param>
    /// <param name="formats">Formats tried before the built-in ones (a format of another assembly, or a replacement); null for none.</param>
    public SignatureValidator(JpkiVerifier verifier, SignatureValidationOptions? options = null, IEnumerable<ISignatureFormat>? formats = null)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        _verifier = verifier;
        Options = options ?? new SignatureValidationOptions();
        _timestamps = new TimestampVerifier(Options.TimestampTrust);
        Formats = [.. formats ?? [], .. SignatureFormats.BuiltIn];
    }

    /// <summary>The options.</summary>
    public SignatureValidationOptions Options { get; }

    /// <summary>The formats, in detection order.</summary>
    public IReadOnlyList<ISignatureFormat> Formats { get; }

    /// <summary>
    /// Validates <paramref name="document"/> at <paramref name="at"/> (null: the verifier's clock now). Never throws for
    /// bad input: an unknown format or unreadable file is a report without signatures and with a message.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public async Task<ValidationReport> ValidateAsync(SignedDocument document, DateTimeOffset? at = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        var started = Stopwatch.GetTimestamp();
        var report = await ValidateCoreAsync(document, at, cancellationToken).ConfigureAwait(false);
        VerificationTelemetry.Validated(report, Stopwatch.GetElapsedTime(started));
        return report;
    }

    private async Task<ValidationReport> ValidateCoreAsync(SignedDocument document, DateTimeOffset? at, CancellationToken cancellationToken)
    {
        var when = at ?? _verifier.Clock.GetUtcNow();
        byte[] head;
        try
        {
            head = document.SignatureSource.Head(HeadBytes);
        }
        catch (IOException e)
        {
            return Unreadable(when, document, e.Message);
        }

        var format = Formats.FirstOrDefault(f => f.Detect(document, head));
        if (format is null)
        {
            return Unreadable(when, document, "The input is not a signature format this validator knows (CMS/CAdES" + (Formats.Count > 1 ? ", " + string.Join(", ", Formats.Select(f => f.Name).Distinct().Where(n => n != "CAdES")) : string.Empty) + ").");
        }

        var context = new SignatureValidationContext(_verifier, _timestamps, when, Options);
        var signatures = await format.ValidateAsync(document, context, cancellationToken).ConfigureAwait(false);
        foreach (var signature in signatures)
        {
            // The signer's serial and issuer (a CA) only: the subject and the document's name may be personal.
            Log.SignatureValidated(_verifier.Logger, signature.Format, signature.Level, signature.Indication.ToString(), signature.SubIndication?.ToString() ?? "-", signature.Signer?.Serial ?? "(none)", signature.Signer?.Issuer ?? "(none)");
        }

        return new ValidationReport
        {
            Format = format.Name,
            ValidationTime = when,
            Document = document.Document.Name,
            Signatures = signatures,
            Message = signatures.Count == 0 ? "No signature was found." : null,
        };
    }

    private static ValidationReport Unreadable(DateTimeOffset when, SignedDocument document, string message) => new()
    {
        Format = "unknown",
        ValidationTime = when,
        Document = document.Document.Name,
        Signatures = [],
        Message = message,
    };
}
