using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;
using Jpki.Card.Client;
using Jpki.Card.Transport;
using Jpki.Cli.Commands.Card;
using Jpki.Cli.Commands.Sign;
using Jpki.Core.Pins;
using Jpki.Signing.Cades;
using Jpki.Signing.Pades;
using Jpki.Signing.Signers;
using Jpki.Signing.Timestamps;
using Jpki.Signing.Xades;
using Jpki.Verification.Pades;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Jpki.Cli.Commands.SignHelper;

/// <summary>
/// The local signing helper: an HTTP server on 127.0.0.1 only that a city page (an allowed origin) sends a document
/// to; the helper shows the document, its SHA-256 and the format asked for on its own console, asks for the signature
/// password there, signs with the card through the same <see cref="SignaturePipeline"/> as <c>jpki sign</c> and answers
/// the signature: a detached CMS (<c>.p7s</c>), an XML signature (the XML with an enveloped one, or a detached one) or the
/// signed PDF, at B-B, or B-T/B-LT/B-LTA with the helper's <c>--tsa</c> (<see cref="SignHelperRequest"/>). The password is
/// never read from HTTP.
/// </summary>
internal sealed partial class SignHelperServer : IAsyncDisposable
{
    private readonly SignHelperOptions _options;
    private readonly HashSet<string> _origins;
    private readonly Func<(ICardTransport? Transport, string? Error)> _openCard;
    private readonly IPasswordPrompt _prompt;
    private readonly TextWriter _console;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _one = new(1, 1);
    private readonly SignaturePipeline _pipeline;
    private WebApplication? _app;

    public SignHelperServer(
        SignHelperOptions options, Func<(ICardTransport? Transport, string? Error)> openCard, IPasswordPrompt prompt, TextWriter console, TimeProvider clock)
    {
        _options = options;
        _origins = [.. options.AllowedOrigins.Select(o => SignHelperOptions.NormalizeOrigin(o) ?? throw new ArgumentException($"Not an http(s) origin: {o}", nameof(options)))];
        _openCard = openCard;
        _prompt = prompt;
        _console = console;
        _clock = clock;
        _pipeline = new SignaturePipeline(options.Tsa, options.Ocsp, options.Chain, options.Logger);
    }

    /// <summary>The address it listens on, once started.</summary>
    public Uri Address => new(_app?.Urls.First() ?? throw new InvalidOperationException("Not started."));

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls($"http://127.0.0.1:{_options.Port}");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = SignHelperOptions.MaxDocumentBytes);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapMethods("/sign", ["OPTIONS"], Preflight);
        app.MapPost("/sign", SignAsync);
        MapLogin(app);
        app.MapGet("/", (HttpContext http) => LocalHost(http.Request) ? Results.Text("OpenJpki local signing helper\n") : Results.StatusCode(StatusCodes.Status421MisdirectedRequest));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }

        _one.Dispose();
        _pipeline.Dispose();
    }

    private IResult Preflight(HttpContext http)
    {
        if (!LocalHost(http.Request) || AllowedOrigin(http.Request) is not { } origin)
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        var headers = http.Response.Headers;
        headers.AccessControlAllowOrigin = origin;
        headers.AccessControlAllowMethods = "POST";
        headers.AccessControlAllowHeaders = "Content-Type";
        headers.AccessControlMaxAge = "600";
        headers.Vary = "Origin";
        if (http.Request.Headers["Access-Control-Request-Private-Network"] == "true")
        {
            // Chrome's Private Network Access: a public city page may reach this loopback helper only if it says so.
            headers["Access-Control-Allow-Private-Network"] = "true";
        }

        return Results.NoContent();
    }

    private async Task<IResult> SignAsync(HttpContext http, CancellationToken cancellationToken)
    {
        if (!LocalHost(http.Request))
        {
            return Problem(StatusCodes.Status421MisdirectedRequest, "not-loopback", "The helper answers requests addressed to 127.0.0.1 or localhost only.");
        }

        if (AllowedOrigin(http.Request) is not { } origin)
        {
            return Problem(StatusCodes.Status403Forbidden, "origin-refused", "This page is not one of the origins the helper was started for (--origin).");
        }

        http.Response.Headers.AccessControlAllowOrigin = origin;
        http.Response.Headers.Vary = "Origin";
        if (SignHelperRequest.Parse(http.Request.Query, out var code, out var problem) is not { } request)
        {
            return Problem(StatusCodes.Status400BadRequest, code!, problem!);
        }

        if (request.Level > CadesLevel.BaselineB && _options.Tsa is null)
        {
            return Problem(StatusCodes.Status400BadRequest, "level-needs-tsa", $"level={CadesLevels.Name(request.Level)} needs a time-stamping authority, and this helper was started without one: B-B only (start it with --tsa URL for B-T, B-LT and B-LTA).");
        }

        if (http.Request.ContentLength is > SignHelperOptions.MaxDocumentBytes)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, "too-large", $"The document is larger than {SignHelperOptions.MaxDocumentBytes} bytes.");
        }

        byte[] document;
        try
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            document = buffer.ToArray();
        }
        catch (BadHttpRequestException)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, "too-large", $"The document is larger than {SignHelperOptions.MaxDocumentBytes} bytes.");
        }

        if (document.Length is 0 or > SignHelperOptions.MaxDocumentBytes)
        {
            return Problem(StatusCodes.Status400BadRequest, "empty", "No document was sent.");
        }

        // The format must fit the document before anyone is asked for a password.
        if (request.Format == SignHelperFormat.Pades && !document.AsSpan().StartsWith("%PDF-"u8))
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, "not-pdf", "format=pades signs a PDF, and this document is not one (it does not start with %PDF-): send the PDF, or ask for format=cades.");
        }

        if (request.Format == SignHelperFormat.Xades && request.Placement == XmlSignaturePlacement.Enveloped && NotXml(document) is { } why)
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, "not-xml", $"An enveloped XML signature needs an XML document, and this one is not well-formed XML without a DTD ({why}): send XML, or ask for placement=detached&name=….");
        }

        if (!await _one.WaitAsync(0, cancellationToken).ConfigureAwait(false))
        {
            return Problem(StatusCodes.Status409Conflict, "busy", "The helper is already asking for a password for another document.");
        }

        DirectoryInfo? folder = null;
        PdfSignaturePreparation? prepared = null;
        try
        {
            var output = string.Empty;
            if (request.Format == SignHelperFormat.Pades)
            {
                // As jpki sign --format pades: the update is prepared (and the PDF's structure checked) before the password is asked.
                folder = Directory.CreateTempSubdirectory("jpki-sign-helper-");
                var input = Path.Combine(folder.FullName, "document.pdf");
                output = Path.Combine(folder.FullName, "signed.pdf");
                await File.WriteAllBytesAsync(input, document, cancellationToken).ConfigureAwait(false);
                try
                {
                    prepared = PadesSigner.Prepare(input, output, _clock.GetUtcNow());
                }
                catch (PdfFormatException e)
                {
                    return Problem(StatusCodes.Status422UnprocessableEntity, "bad-pdf", "This PDF cannot be signed: " + e.Message);
                }
            }

            var (refused, signed) = await Task.Run(() => SignWithCard(origin, document, request, prepared), cancellationToken).ConfigureAwait(false);
            if (refused is not null)
            {
                return refused;
            }

            var bytes = await RaiseAsync(request, signed!, document, prepared, output, cancellationToken).ConfigureAwait(false);
            if (bytes.Problems.Count > 0)
            {
                _console.WriteLine($"{CadesLevels.Name(request.Level)} にできませんでした。 {string.Join(" ", bytes.Problems)}");
                return Problem(StatusCodes.Status502BadGateway, "incomplete-validation-data", $"The signature cannot be made {CadesLevels.Name(request.Level)}: validation data is missing. {string.Join(" ", bytes.Problems)}");
            }

            _console.WriteLine($"署名しました（{request.Describe()}、{bytes.Signature.Length} バイト）。 Signed.");
            return Results.Bytes(bytes.Signature, request.ContentType);
        }
        catch (TimestampException e)
        {
            _console.WriteLine($"タイムスタンプを取得できません: {e.Message}");
            return Problem(StatusCodes.Status502BadGateway, "tsa-refused", "The time-stamping authority did not give a time-stamp: " + e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or PdfFormatException or ArgumentException)
        {
            return Problem(StatusCodes.Status500InternalServerError, "sign-failed", "The signature could not be completed: " + e.Message);
        }
        finally
        {
            prepared?.Dispose();
            folder?.Delete(recursive: true);
            _one.Release();
        }
    }

    /// <summary>Raises the card's B-B signature to the level asked for, without the card (the time-stamp and validation data come over the network).</summary>
    private async Task<AugmentResult> RaiseAsync(SignHelperRequest request, byte[] signed, byte[] document, PdfSignaturePreparation? prepared, string output, CancellationToken cancellationToken)
    {
        if (prepared is not null)
        {
            var cms = request.Level >= CadesLevel.BaselineT ? await _pipeline.AddSignatureTimestampAsync(signed, cancellationToken).ConfigureAwait(false) : signed;
            prepared.Complete(cms);
            var problems = request.Level >= CadesLevel.BaselineLt ? await _pipeline.AugmentPdfAsync(output, output, request.Level, cancellationToken).ConfigureAwait(false) : [];
            return new AugmentResult(problems.Count == 0 ? await File.ReadAllBytesAsync(output, cancellationToken).ConfigureAwait(false) : [], problems);
        }

        if (request.Level == CadesLevel.BaselineB)
        {
            return new AugmentResult(signed, []);
        }

        var detached = request.Format == SignHelperFormat.Cades || request.Placement == XmlSignaturePlacement.Detached;
        return await _pipeline.RaiseAsync(request.Format == SignHelperFormat.Xades, signed, request.Level, detached ? document : null, cancellationToken).ConfigureAwait(false);
    }

    private (IResult? Refused, byte[]? Signed) SignWithCard(string origin, byte[] document, SignHelperRequest request, PdfSignaturePreparation? prepared)
    {
        Show(origin, document, request);
        var password = _prompt.ReadPassword("署名用パスワード（空のまま Enter で拒否） / signature password (empty = decline): ");
        if (password is null || password.Length == 0)
        {
            _console.WriteLine("署名を拒否しました。 Declined.");
            return (Problem(StatusCodes.Status403Forbidden, "declined", "署名は利用者によって拒否されました。"), null);
        }

        var format = PinPolicy.For(PinKind.SignaturePassword).CheckFormat(password);
        if (!format.IsAllowed)
        {
            // Refused before the card is touched: no try is spent on a password that cannot be right.
            Array.Clear(password);
            _console.WriteLine($"署名用パスワードの形式が違います。 {format.Message}");
            return (Problem(StatusCodes.Status400BadRequest, "password-format", "署名用パスワードは英大文字と数字の6〜16文字です。 " + format.Message), null);
        }

        byte[]? signed = null;
        var outcome = OnCard(password, client =>
        {
            var result = SignInTransaction(client, document, request, prepared, password, out var bytes);
            signed = bytes;
            return result;
        });
        return signed is null ? (outcome, null) : (null, signed);
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the card in one transaction (VERIFY, certificate read and signature cannot be
    /// interleaved by another application on the reader), logged out before the card is released; card failures become
    /// a 503 problem; <paramref name="secret"/> is cleared whatever happens.
    /// </summary>
    private IResult OnCard(char[] secret, Func<JpkiCardClient, IResult> work)
    {
        try
        {
            var (transport, error) = _openCard();
            if (transport is null)
            {
                return Problem(StatusCodes.Status503ServiceUnavailable, "no-card", error ?? "The card cannot be opened.");
            }

            using (transport)
            {
                var client = new JpkiCardClient(transport);
                using var transaction = client.BeginTransaction();
                using var logout = new LogoutOnDispose(client);
                return work(client);
            }
        }
        catch (Exception e) when (e is CardStatusException or CardTransportException or CryptographicException or Jpki.Card.Virtual.VirtualCardException)
        {
            _console.WriteLine($"カードで署名できません: {e.Message}");
            return Problem(StatusCodes.Status503ServiceUnavailable, "card-error", "カードで署名できませんでした: " + e.Message);
        }
        finally
        {
            Array.Clear(secret);
        }
    }

    private IResult SignInTransaction(JpkiCardClient client, byte[] document, SignHelperRequest request, PdfSignaturePreparation? prepared, char[] password, out byte[]? signed)
    {
        signed = null;
        var verified = client.Verify(PinKind.SignaturePassword, password);
        if (verified.Blocked)
        {
            _console.WriteLine("署名用パスワードがロックされています。 The signature password is blocked.");
            return Problem(StatusCodes.Status403Forbidden, "password-blocked", "署名用パスワードがロックされています。市区町村の窓口で初期化してください。", 0);
        }

        if (!verified.Verified)
        {
            _console.WriteLine($"パスワードが違います（残り{verified.TriesLeft}回）。 Wrong password, {verified.TriesLeft} tries left.");
            return Problem(StatusCodes.Status403Forbidden, "password-wrong", $"署名用パスワードが違います。残り{verified.TriesLeft}回でロックされます。", verified.TriesLeft);
        }

        CardSigner card;
        try
        {
            card = CardSigner.FromCard(client);
        }
        catch (InvalidOperationException)
        {
            return Problem(StatusCodes.Status409Conflict, "no-certificate", "カードに署名用電子証明書がありません。");
        }

        // RSA (today's card) or ECDSA P-384 (the next-generation card): the formats pick their algorithms from the key.
        using (var publicKey = (System.Security.Cryptography.AsymmetricAlgorithm?)card.Certificate.GetRSAPublicKey() ?? card.Certificate.GetECDsaPublicKey())
        {
            if (publicKey is null)
            {
                return Problem(StatusCodes.Status409Conflict, "not-rsa", "The card's signature certificate holds neither an RSA nor an EC key.");
            }
        }

        try
        {
            signed = prepared is not null
                ? SignaturePipeline.SignPreparedPdf(prepared, card, _options.Logger)
                : SignaturePipeline.SignContent(
                    document,
                    card,
                    _clock.GetUtcNow(),
                    request.Format == SignHelperFormat.Xades
                        ? new XadesSignOptions { Placement = request.Placement, DetachedUri = request.Placement == XmlSignaturePlacement.Detached ? Uri.EscapeDataString(request.DetachedName) : null }
                        : null,
                    detachedCms: true,
                    _options.Logger);
        }
        catch (ArgumentException e)
        {
            // E.g. a second whole-document XML signature would break the first one already in the document.
            _console.WriteLine($"署名できません: {e.Message}");
            return Problem(StatusCodes.Status422UnprocessableEntity, "cannot-sign", e.Message);
        }

        _console.WriteLine($"カードで署名しました。 Signed by {card.Certificate.Subject}.");
        return Results.Empty;
    }

    /// <summary>Null when <paramref name="document"/> is well-formed XML without a DTD (what an enveloped signature needs), else why not.</summary>
    private static string? NotXml(byte[] document)
    {
        // Read as XadesSigner reads it (no DTD, nothing resolved); it checks again when it signs.
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(document, writable: false), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            while (reader.Read())
            {
            }

            return null;
        }
        catch (XmlException e)
        {
            return e.Message;
        }
    }

    private void Show(string origin, byte[] document, SignHelperRequest request)
    {
        _console.WriteLine();
        _console.WriteLine($"署名の依頼 / signature request from {origin}");
        _console.WriteLine($"  形式 / format: {request.Describe()}");
        _console.WriteLine($"  {document.Length} bytes, SHA-256 {Convert.ToHexString(SHA256.HashData(document))}");
        string? text = null;
        try
        {
            text = new UTF8Encoding(false, true).GetString(document);
        }
        catch (DecoderFallbackException)
        {
        }

        if (text is not null && !text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            _console.WriteLine("----- 署名する内容 / content -----");
            _console.WriteLine(text.Length > 4000 ? text[..4000] + " …" : text);
            _console.WriteLine("----------------------------------");
        }
        else
        {
            _console.WriteLine(request.Format == SignHelperFormat.Pades
                ? "  (a PDF: open the same file the page offers and compare its SHA-256 with this one)"
                : "  (not UTF-8 text: compare the SHA-256 with the one the page shows)");
        }

        _console.Flush();
    }

    private string? AllowedOrigin(HttpRequest request)
        => SignHelperOptions.NormalizeOrigin(request.Headers.Origin.ToString()) is { } origin && _origins.Contains(origin) ? origin : null;

    /// <summary>Host must name the loopback address (refuses DNS-rebinding pages that reach us under another name).</summary>
    private static bool LocalHost(HttpRequest request) => request.Host.Host is "127.0.0.1" or "localhost";

    private static IResult Problem(int status, string code, string message, int? triesLeft = null)
        => Results.Json(new HelperProblem(code, message, triesLeft), statusCode: status);

    private sealed record HelperProblem(string Code, string Message, int? TriesLeft);
}
