using System.Security.Cryptography.X509Certificates;
using Jpki.Signing.Cades;
using Jpki.Signing.Pades;
using Jpki.Signing.Revocation;
using Jpki.Signing.Timestamps;
using Jpki.Signing.Xades;
using Jpki.Verification;
using Jpki.Verification.Certificates;
using Jpki.Verification.Revocation;
using Jpki.Verification.Signatures;
using Jpki.Verification.Trust;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Jpki.OnlineApplication;

/// <summary>
/// Verifies a submitted request with <c>Jpki.Verification</c>: trust anchors and revocation sources from
/// <see cref="OnlineApplicationTrust"/>, path at the injected clock's now, revocation by OCSP first, then the current
/// CRL (fail closed), signature certificate only (the library's kind check). The signature's format is detected: a
/// detached CMS (<c>.p7s</c>) over exactly the submitted bytes, a detached XAdES whose reference is that document, or a
/// signed PDF that is exactly <see cref="RequestPdf"/> of the document plus one signature. An accepted request is then
/// raised to B-LTA (<see cref="ArchiveAsync"/>), and <see cref="ReverifyAsync"/> validates what was stored, years later.
/// </summary>
internal sealed class SignedRequestVerifier : IDisposable
{
    /// <summary>The name a detached XAdES signature's reference gives the document (<c>jpki sign --format xades --placement detached --in request.json</c>).</summary>
    public const string DocumentName = "request.json";

    private readonly JpkiVerifier _verifier;
    private readonly SignatureValidator _validator;
    private readonly HttpClient _http;
    private readonly OnlineApplicationTrust _trust;
    private readonly ILoggerFactory _loggers;

    /// <param name="trust">Anchors, revocation and time-stamp services.</param>
    /// <param name="clock">The clock of every check.</param>
    /// <param name="loggers">Where the verifier (5110–5117), the signing library (6101–6121) and the application (6201–6205) log; null: nowhere.</param>
    public SignedRequestVerifier(OnlineApplicationTrust trust, TimeProvider clock, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(trust);
        _trust = trust;
        _loggers = loggers ?? NullLoggerFactory.Instance;
        Logger = _loggers.CreateLogger("Jpki.OnlineApplication");
        var roots = new TrustStoreBuilder();
        foreach (var root in trust.Roots)
        {
            // The roots this application was configured with, pinned by their own bytes (a J-LIS-named root is trusted only pinned).
            roots.PinJlisFingerprint(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(root))).AddRoot(root);
        }

        _http = trust.Handler is null ? new HttpClient() : new HttpClient(trust.Handler, disposeHandler: false);
        var ocsp = new OcspRevocationSource(_http, clock, new OcspOptions { ResponderUri = trust.OcspUri, CacheAnswers = false, SendNonce = false });
        IRevocationSource[] sources = [ocsp, .. trust.CrlUris.Select(uri => new CrlRevocationSource(_http, new CrlSourceOptions { DownloadUri = uri }))];
        _verifier = new JpkiVerifier(roots.Build(), sources, clock, new VerifierOptions { Path = new() { AllowTestPolicy = trust.AllowTestPolicy } }, _loggers.CreateLogger<JpkiVerifier>());
        _validator = new SignatureValidator(_verifier, new SignatureValidationOptions { TimestampTrust = [.. trust.TsaRoots.Select(r => X509CertificateLoader.LoadCertificate(r))] });
    }

    /// <summary>The application's own events (<see cref="Log"/>).</summary>
    public ILogger Logger { get; }

    /// <summary>The format of a submitted signature: <c>pades</c> (starts with <c>%PDF-</c>), <c>xades</c> (XML), else <c>cades</c>.</summary>
    public static string FormatOf(ReadOnlySpan<byte> signature)
    {
        var head = signature[..Math.Min(signature.Length, 1024)];
        if (head.IndexOf("%PDF-"u8) >= 0)
        {
            return "pades";
        }

        var text = head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? head[3..] : head;
        return text.TrimStart(" \t\r\n"u8).StartsWith("<"u8) ? "xades" : "cades";
    }

    /// <summary>Verifies <paramref name="signature"/> (any of the three formats) over <paramref name="document"/> at now.</summary>
    public async Task<RequestVerification> VerifyAsync(ReadOnlyMemory<byte> signature, ReadOnlyMemory<byte> document, string requestId, CancellationToken cancellationToken)
    {
        var format = FormatOf(signature.Span);
        if (format == "cades")
        {
            var cms = await _verifier.VerifyDetachedAsync(signature, document, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new RequestVerification(format, cms.Verdict, cms.BasicFourInfo, cms.SignerCertificate, cms.VerifiedAt);
        }

        if (format == "pades" && !signature.Span.StartsWith(RequestPdf.Create(document.Span, requestId)))
        {
            return Refused(format, "The signed PDF is not the request PDF of this application (download request.pdf and sign it as it is).");
        }

        var report = await _validator.ValidateAsync(Signed(format, signature, document), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (report.Signatures.Count != 1)
        {
            return Refused(format, $"The file holds {report.Signatures.Count} signatures; the request must carry exactly one.");
        }

        var single = report.Signatures[0];
        var verdict = single.VerdictValue ?? Verdict.Fail(VerdictCode.Malformed, single.Message);
        if (verdict.IsValid && format == "xades" && !single.SignedObjects.Any(o => o.StartsWith("the detached file", StringComparison.Ordinal)))
        {
            verdict = Verdict.Fail(VerdictCode.ContentTampered, "The XML signature does not cover request.json (sign it as a detached signature: --placement detached).");
        }

        if (verdict.IsValid && format == "pades"
            && (!single.SignedObjects.Any(o => o.StartsWith("revision 2 of", StringComparison.Ordinal)) || single.Warnings.Any(w => w.StartsWith("Changed after signing", StringComparison.Ordinal))))
        {
            verdict = Verdict.Fail(VerdictCode.ContentTampered, "The PDF was changed between the request and the signature, or after it.");
        }

        return new RequestVerification(format, verdict, single.BasicFourInfo, single.SignerCertificate, report.ValidationTime);
    }

    /// <summary>
    /// Raises an accepted signature to B-LTA with the configured TSA and this authority's revocation data; the
    /// signature unchanged when no TSA is configured. Null when it cannot be done (the TSA or the responder failed).
    /// </summary>
    public async Task<byte[]?> ArchiveAsync(string format, byte[] signature, byte[] document, CancellationToken cancellationToken)
    {
        if (_trust.TsaUri is not { } tsaUri)
        {
            return signature;
        }

        var signing = _loggers.CreateLogger("Jpki.Signing");
        var timestamps = new HttpTimestampClient(_http, tsaUri, new TimestampClientOptions { Logger = signing });
        var validationData = new OnlineValidationDataSource(_http, new OnlineValidationDataOptions
        {
            Logger = signing,
            ExtraCertificates = [.. _trust.Roots.Concat(_trust.TsaRoots).Select(r => X509CertificateLoader.LoadCertificate(r))],
            OcspResponder = _trust.OcspUri,
        });
        try
        {
            switch (format)
            {
                case "cades":
                    var cades = await new CadesAugmenter(timestamps, validationData, signing).AugmentAsync(signature, CadesLevel.BaselineLta, document, cancellationToken).ConfigureAwait(false);
                    return cades.Problems.Count == 0 ? cades.Signature : null;
                case "xades":
                    var xades = await new XadesAugmenter(timestamps, validationData, signing).AugmentAsync(signature, CadesLevel.BaselineLta, document, null, cancellationToken).ConfigureAwait(false);
                    return xades.Problems.Count == 0 ? xades.Signature : null;
                default:
                    return await ArchivePdfAsync(new PadesAugmenter(timestamps, validationData, signing), signature, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is TimestampException or ArgumentException or InvalidOperationException or IOException or Jpki.Verification.Pades.PdfFormatException)
        {
            return null;
        }
    }

    /// <summary>Validates a stored (archived) signature at now, with its embedded data and time-stamps, as a clerk does years later.</summary>
    public Task<ValidationReport> ReverifyAsync(string format, byte[] signature, byte[] document, CancellationToken cancellationToken)
        => _validator.ValidateAsync(Signed(format, signature, document), cancellationToken: cancellationToken);

    public void Dispose() => _http.Dispose();

    private static SignedDocument Signed(string format, ReadOnlyMemory<byte> signature, ReadOnlyMemory<byte> document) => format == "pades"
        ? new SignedDocument(DocumentSource.FromBytes(signature, "request.signed.pdf"))
        : new SignedDocument(DocumentSource.FromBytes(document, DocumentName), DocumentSource.FromBytes(signature, format == "xades" ? "request.json.xml" : "request.json.p7s"));

    private static async Task<byte[]?> ArchivePdfAsync(PadesAugmenter augmenter, byte[] pdf, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("jpki-eapp-");
        try
        {
            var input = Path.Combine(folder.FullName, "signed.pdf");
            var output = Path.Combine(folder.FullName, "lta.pdf");
            await File.WriteAllBytesAsync(input, pdf, cancellationToken).ConfigureAwait(false);
            var problems = await augmenter.AugmentAsync(input, output, CadesLevel.BaselineLta, cancellationToken).ConfigureAwait(false);
            return problems.Count == 0 ? await File.ReadAllBytesAsync(output, cancellationToken).ConfigureAwait(false) : null;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static RequestVerification Refused(string format, string message) => new(format, Verdict.Fail(VerdictCode.ContentTampered, message), null, null, default);
}

/// <summary>What verifying a submitted request found.</summary>
/// <param name="Format"><c>cades</c>, <c>xades</c> or <c>pades</c>.</param>
internal sealed record RequestVerification(string Format, Verdict Verdict, CertifiedBasicFourInfo? BasicFourInfo, X509Certificate2? SignerCertificate, DateTimeOffset VerifiedAt)
{
    public bool IsValid => Verdict.IsValid;
}
