using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Jpki.Card.Client;
using Jpki.Card.Transport;
using Jpki.Cli.Commands.Card;
using Jpki.Core.Pins;
using Jpki.Signing.Cades;
using Jpki.Signing.Signers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Jpki.Cli.Commands.SignHelper;

/// <summary>
/// The local signing helper: an HTTP server on 127.0.0.1 only that a city page (an allowed origin) sends a document
/// to; the helper shows the document and its SHA-256 on its own console, asks for the signature password there, signs
/// with the card (detached CMS, as <c>jpki sign</c>) and answers the <c>.p7s</c>. The password is never read from HTTP.
/// </summary>
internal sealed partial class SignHelperServer : IAsyncDisposable
{
    private const string SignatureType = "application/pkcs7-signature";

    private readonly SignHelperOptions _options;
    private readonly HashSet<string> _origins;
    private readonly Func<(ICardTransport? Transport, string? Error)> _openCard;
    private readonly IPasswordPrompt _prompt;
    private readonly TextWriter _console;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _one = new(1, 1);
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

        if (!await _one.WaitAsync(0, cancellationToken).ConfigureAwait(false))
        {
            return Problem(StatusCodes.Status409Conflict, "busy", "The helper is already asking for a password for another document.");
        }

        try
        {
            return await Task.Run(() => SignWithCard(origin, document), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _one.Release();
        }
    }

    private IResult SignWithCard(string origin, byte[] document)
    {
        Show(origin, document);
        var password = _prompt.ReadPassword("署名用パスワード（空のまま Enter で拒否） / signature password (empty = decline): ");
        if (password is null || password.Length == 0)
        {
            _console.WriteLine("署名を拒否しました。 Declined.");
            return Problem(StatusCodes.Status403Forbidden, "declined", "署名は利用者によって拒否されました。");
        }

        var format = PinPolicy.For(PinKind.SignaturePassword).CheckFormat(password);
        if (!format.IsAllowed)
        {
            // Refused before the card is touched: no try is spent on a password that cannot be right.
            Array.Clear(password);
            _console.WriteLine($"署名用パスワードの形式が違います。 {format.Message}");
            return Problem(StatusCodes.Status400BadRequest, "password-format", "署名用パスワードは英大文字と数字の6〜16文字です。 " + format.Message);
        }

        return OnCard(password, client => SignInTransaction(client, document, password));
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

    private IResult SignInTransaction(JpkiCardClient client, byte[] document, char[] password)
    {
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

        if (client.ReadCertificate(CertificateSlot.Signature) is not { } der)
        {
            return Problem(StatusCodes.Status409Conflict, "no-certificate", "カードに署名用電子証明書がありません。");
        }

        using var certificate = X509CertificateLoader.LoadCertificate(der);
        using (var publicKey = (System.Security.Cryptography.AsymmetricAlgorithm?)certificate.GetRSAPublicKey() ?? certificate.GetECDsaPublicKey())
        {
            if (publicKey is null)
            {
                return Problem(StatusCodes.Status409Conflict, "not-rsa", "The card's signature certificate holds neither an RSA nor an EC key.");
            }
        }

        var cms = CadesSigner.Sign(document, new CardSigner(client, certificate), _clock.GetUtcNow());
        _console.WriteLine($"署名しました（{cms.Length} バイト）。 Signed by {certificate.Subject}.");
        return Results.Bytes(cms, SignatureType);
    }

    private void Show(string origin, byte[] document)
    {
        _console.WriteLine();
        _console.WriteLine($"署名の依頼 / signature request from {origin}");
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
            _console.WriteLine("  (not UTF-8 text: compare the SHA-256 with the one the page shows)");
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
