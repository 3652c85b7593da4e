using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Jpki.Card.Client;
using Jpki.Card.Transport;
using Jpki.Cli.Commands.Card;
using Jpki.Core.Identity;
using Jpki.Core.Pins;
using Jpki.Verification.Login;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Jpki.Cli.Commands.SignHelper;

/// <summary>
/// The helper's card login (docs/login.md): <c>POST /login</c> with <c>{"nonce":…,"certificate":"auth"|"sign"}</c> from an
/// allowed origin. The helper shows the origin it will sign for, asks the 4-digit PIN (or, for <c>sign</c>, the signature
/// password) on its own console, lets the card sign SHA-256(origin) ‖ SHA-256(nonce) (RS256; with the next-generation
/// card's P-384 key SHA-384(origin) ‖ SHA-384(nonce), ES384) and answers the login token. The
/// origin is the browser's <c>Origin</c> header, never something the page says about itself.
/// </summary>
internal sealed partial class SignHelperServer
{
    private const int MaxLoginRequestBytes = 4 * 1024;

    private void MapLogin(WebApplication app)
    {
        app.MapMethods("/login", ["OPTIONS"], Preflight);
        app.MapPost("/login", LoginAsync);
    }

    private async Task<IResult> LoginAsync(HttpContext http, CancellationToken cancellationToken)
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
        LoginRequest? request;
        try
        {
            if (http.Request.ContentLength is > MaxLoginRequestBytes)
            {
                return Problem(StatusCodes.Status413PayloadTooLarge, "too-large", "The login request is too large.");
            }

            request = await JsonSerializer.DeserializeAsync(http.Request.Body, HelperJson.Default.LoginRequest, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is JsonException or BadHttpRequestException)
        {
            request = null;
        }

        if (request is null || !IsNonce(request.Nonce) || request.Certificate is not (null or "auth" or "sign"))
        {
            return Problem(StatusCodes.Status400BadRequest, "bad-request", "Send {\"nonce\": <base64url, 16–256 characters>, \"certificate\": \"auth\" | \"sign\"}.");
        }

        var kind = request.Certificate == "sign" ? CertificateKind.Signature : CertificateKind.Authentication;
        if (!await _one.WaitAsync(0, cancellationToken).ConfigureAwait(false))
        {
            return Problem(StatusCodes.Status409Conflict, "busy", "The helper is already asking for a PIN or password.");
        }

        try
        {
            return await Task.Run(() => LoginWithCard(origin, request.Nonce!, kind), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _one.Release();
        }
    }

    private IResult LoginWithCard(string origin, string nonce, CertificateKind kind)
    {
        _console.WriteLine();
        _console.WriteLine(kind == CertificateKind.Authentication
            ? $"ログインの依頼 / login request from {origin}"
            : $"基本4情報の提供の依頼 / request for your name, address, birth date and sex from {origin}");
        _console.WriteLine($"  この接続先のために署名します。知らないサイトなら拒否してください。 The card will sign for {origin} only.");
        _console.Flush();
        var secret = _prompt.ReadPassword(kind == CertificateKind.Authentication
            ? "利用者証明用暗証番号（数字4桁、空のまま Enter で拒否） / 4-digit PIN (empty = decline): "
            : "署名用パスワード（空のまま Enter で拒否） / signature password (empty = decline): ");
        if (secret is null || secret.Length == 0)
        {
            _console.WriteLine("拒否しました。 Declined.");
            return Problem(StatusCodes.Status403Forbidden, "declined", "利用者によって拒否されました。");
        }

        var pinKind = kind == CertificateKind.Authentication ? PinKind.AuthenticationPin : PinKind.SignaturePassword;
        var format = PinPolicy.For(pinKind).CheckFormat(secret);
        if (!format.IsAllowed)
        {
            // Refused before the card is touched: no try is spent on a PIN that cannot be right.
            Array.Clear(secret);
            _console.WriteLine($"暗証番号の形式が違います。 {format.Message}");
            return Problem(StatusCodes.Status400BadRequest, "pin-format", "暗証番号の形式が違います。 " + format.Message);
        }

        return OnCard(secret, client =>
        {
            var verified = client.Verify(pinKind, secret);
            if (verified.Blocked)
            {
                _console.WriteLine("暗証番号がロックされています。 The PIN is blocked.");
                return Problem(StatusCodes.Status403Forbidden, "pin-blocked", "暗証番号がロックされています。市区町村の窓口で初期化してください。", 0);
            }

            if (!verified.Verified)
            {
                _console.WriteLine($"暗証番号が違います（残り{verified.TriesLeft}回）。 Wrong PIN, {verified.TriesLeft} tries left.");
                return Problem(StatusCodes.Status403Forbidden, "pin-wrong", $"暗証番号が違います。残り{verified.TriesLeft}回でロックされます。", verified.TriesLeft);
            }

            var slot = kind == CertificateKind.Authentication ? CertificateSlot.Authentication : CertificateSlot.Signature;
            if (client.ReadCertificate(slot) is not { } der)
            {
                return Problem(StatusCodes.Status409Conflict, "no-certificate", "カードに電子証明書がありません。");
            }

            // The token's algorithm follows the certificate's key: RS256 for today's RSA-2048 card, ES384 (SHA-384 halves,
            // r‖s) for the next-generation P-384 card, as Web eID does.
            string? algorithm;
            try
            {
                using var certificate = X509CertificateLoader.LoadCertificate(der);
                algorithm = LoginOrigin.AlgorithmFor(certificate);
            }
            catch (CryptographicException)
            {
                algorithm = null;
            }

            if (algorithm is null)
            {
                return Problem(StatusCodes.Status409Conflict, "unsupported-key", "カードの電子証明書の鍵（RSA-2048 または ECDSA P-384 以外）ではログインできません。");
            }

            var signature = algorithm == LoginToken.AlgorithmEs384
                ? client.SignEcdsaHash(kind, LoginOrigin.HashToSignEs384(origin, nonce))
                : client.SignDigestInfo(kind, LoginOrigin.DigestInfoToSign(origin, nonce));
            _console.WriteLine($"署名しました（{algorithm}）。 Signed for {origin}.");
            return Results.Bytes(new LoginToken(origin, nonce, der, signature, algorithm).ToJson(), "application/json");
        });
    }

    /// <summary>Logs the client out when disposed (inside the transaction, before the card is released).</summary>
    private readonly struct LogoutOnDispose(JpkiCardClient client) : IDisposable
    {
        public void Dispose() => CardClientRunner.LogoutQuietly(client);
    }

    private static bool IsNonce(string? nonce)
        => nonce is { Length: >= 16 and <= 256 } && nonce.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}

/// <summary>The body of <c>POST /login</c>.</summary>
internal sealed record LoginRequest(string? Nonce, string? Certificate);

/// <summary>Source-generated JSON for the helper (camelCase).</summary>
[System.Text.Json.Serialization.JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[System.Text.Json.Serialization.JsonSerializable(typeof(LoginRequest))]
internal sealed partial class HelperJson : System.Text.Json.Serialization.JsonSerializerContext;
