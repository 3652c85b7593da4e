using System.Security.Cryptography.X509Certificates;
using Jpki.Signing.Cades;
using Jpki.Signing.Pades;
using Jpki.Signing.Revocation;
using Jpki.Signing.Signers;
using Jpki.Signing.Timestamps;
using Jpki.Signing.Xades;
using Microsoft.Extensions.Logging;

namespace Jpki.Cli.Commands.Sign;

/// <summary>
/// The one signing path of <c>jpki sign</c> and <c>jpki sign-helper</c>: what the card signs (inside its transaction) and
/// how the result is raised to B-T, B-LT or B-LTA afterwards (time-stamps from the TSA, validation data from the
/// certificates' responders, without the card). Both commands call these members, so a signature the helper hands a
/// web page is made exactly as one <c>jpki sign</c> writes to a file.
/// </summary>
internal sealed class SignaturePipeline : IDisposable
{
    private readonly HttpClient _http;
    private readonly ILogger? _logger;

    /// <param name="tsa">The RFC 3161 time-stamping authority (needed for B-T and above), or null.</param>
    /// <param name="ocsp">An OCSP responder to ask instead of the ones the certificates name (B-LT), or null.</param>
    /// <param name="extraCertificates">Issuer certificates that complete chains for B-LT (e.g. the TSA root).</param>
    /// <param name="logger">Jpki.Signing's events (6101–6121: made, extended, TSA and validation-data failures), or null.</param>
    public SignaturePipeline(Uri? tsa, Uri? ocsp, IReadOnlyList<X509Certificate2> extraCertificates, ILogger? logger)
    {
        _logger = logger;
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        if (Environment.GetEnvironmentVariable(SignCommand.VerifierKeyVariable) is { Length: > 0 } key)
        {
            _http.DefaultRequestHeaders.Add("X-Jpki-Verifier-Key", key);
        }

        Timestamps = tsa is null ? null : new HttpTimestampClient(_http, tsa, new TimestampClientOptions { Logger = logger });
        ValidationData = new OnlineValidationDataSource(_http, new OnlineValidationDataOptions { ExtraCertificates = extraCertificates, OcspResponder = ocsp, Logger = logger });
    }

    /// <summary>The TSA client, null when no TSA was given.</summary>
    public ITimestampClient? Timestamps { get; }

    /// <summary>Where B-LT validation data comes from.</summary>
    public IValidationDataSource ValidationData { get; }

    /// <summary>
    /// Signs <paramref name="content"/> on the card: a CAdES B-B CMS (<paramref name="xades"/> null) or an XML signature
    /// placed as <paramref name="xades"/> says.
    /// </summary>
    /// <exception cref="ArgumentException">XAdES: not XML for an enveloped/enveloping signature, or it would break a signature already there.</exception>
    /// <exception cref="System.Security.Cryptography.CryptographicException">The card refused.</exception>
    public static byte[] SignContent(ReadOnlyMemory<byte> content, ISigner signer, DateTimeOffset now, XadesSignOptions? xades, bool detachedCms, ILogger? logger)
        => xades is not null ? XadesSigner.Sign(content, signer, now, xades with { Logger = logger }) : CadesSigner.Sign(content.Span, signer, now, detachedCms, logger);

    /// <summary>PAdES: the card signs the prepared PDF's byte ranges (hashed with the key's hash) as a CAdES B-B CMS.</summary>
    public static byte[] SignPreparedPdf(PdfSignaturePreparation prepared, ISigner signer, ILogger? logger)
        => CadesSigner.SignDigest(prepared.Hash(SignerKeys.HashFor(signer)), signer, null, logger, "PAdES");

    /// <summary>Raises a CAdES or XAdES signature to <paramref name="target"/> (no card).</summary>
    /// <exception cref="TimestampException">The TSA refused or could not be reached.</exception>
    /// <exception cref="ArgumentException">The signature cannot be read.</exception>
    public Task<AugmentResult> RaiseAsync(bool xml, byte[] signature, CadesLevel target, byte[]? detachedContent, CancellationToken cancellationToken) => xml
        ? new XadesAugmenter(Timestamps, ValidationData, _logger).AugmentAsync(signature, target, detachedContent, null, cancellationToken)
        : new CadesAugmenter(Timestamps, ValidationData, _logger).AugmentAsync(signature, target, detachedContent, cancellationToken);

    /// <summary>PAdES B-T: the signature time-stamp goes into the CMS before it is written into <c>/Contents</c>.</summary>
    /// <exception cref="TimestampException">The TSA refused or could not be reached.</exception>
    public async Task<byte[]> AddSignatureTimestampAsync(byte[] cms, CancellationToken cancellationToken)
        => (await new CadesAugmenter(Timestamps, null, _logger).AugmentAsync(cms, CadesLevel.BaselineT, null, cancellationToken).ConfigureAwait(false)).Signature;

    /// <summary>
    /// PAdES B-LT/B-LTA (or, with <c>--augment</c>, any level): the signed PDF <paramref name="input"/> raised by incremental
    /// updates into <paramref name="output"/> (the same path is fine). Empty when done, else what validation data is missing.
    /// </summary>
    /// <exception cref="TimestampException">The TSA refused or could not be reached.</exception>
    /// <exception cref="Jpki.Verification.Pades.PdfFormatException">The PDF is not a signed PDF that can be augmented.</exception>
    public Task<IReadOnlyList<string>> AugmentPdfAsync(string input, string output, CadesLevel target, CancellationToken cancellationToken)
        => new PadesAugmenter(Timestamps, ValidationData, _logger).AugmentAsync(input, output, target, cancellationToken);

    public void Dispose() => _http.Dispose();
}
