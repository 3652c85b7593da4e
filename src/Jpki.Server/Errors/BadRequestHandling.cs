using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Jpki.Server.Errors;

/// <summary>
/// Bad requests answered as a clear 4xx instead of a 500, a stack trace or an empty 200, before anything is stored:
/// <list type="bullet">
/// <item>a request body limit per endpoint: <see cref="DefaultBodyLimit"/> (64 KB) unless the endpoint carries a
/// <see cref="BodyLimit"/> (CSV import) or raises it itself (e-application upload) → 413 <c>request-too-large</c>;</item>
/// <item>minimal-API binding failures thrown (<see cref="RouteHandlerOptions.ThrowOnBadRequest"/>) and mapped here: bad
/// or truncated JSON, wrong JSON types, numbers out of range → 400 <c>malformed-json</c> naming the JSON path;
/// a wrong <c>Content-Type</c> → 415 <c>unsupported-media-type</c>; a query or route value that does not parse →
/// 400 <c>bad-parameter</c>;</item>
/// <item>form posts (<c>application/x-www-form-urlencoded</c>) whose fields are not strict UTF-8 or break
/// <see cref="InputText"/> → 400 (the framework's form reader would silently put U+FFFD in their place);</item>
/// <item>a malformed form or multipart body (<see cref="InvalidDataException"/>) → 400 <c>bad-form</c>.</item>
/// </list>
/// Every answer is <c>application/problem+json</c> with <c>title</c> and <c>code</c> = the machine code and
/// <c>detail</c> = one English sentence saying what is wrong.
/// </summary>
internal static class BadRequestHandling
{
    /// <summary>The request body limit of every endpoint without its own <see cref="BodyLimit"/>.</summary>
    public const long DefaultBodyLimit = 64 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static IServiceCollection AddBadRequestHandling(this IServiceCollection services)
    {
        // Binding failures throw BadHttpRequestException (caught below) instead of a bare 400 with no body.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.MaxDepth = 32);
        services.Configure<FormOptions>(options =>
        {
            options.ValueCountLimit = 256;
            options.KeyLengthLimit = 256;
        });
        return services;
    }

    public static WebApplication UseBadRequestHandling(this WebApplication app)
    {
        app.Use(HandleAsync);
        return app;
    }

    /// <summary>A problem answer: <c>{title: code, status, detail, code, field?}</c>.</summary>
    internal static IResult Problem(int status, string code, string detail, string? field = null)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = code };
        if (field is not null)
        {
            extensions["field"] = field;
        }

        return Results.Problem(detail, statusCode: status, title: code, extensions: extensions);
    }

    private static async Task HandleAsync(HttpContext http, RequestDelegate next)
    {
        var endpoint = http.GetEndpoint();
        var limit = endpoint?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? DefaultBodyLimit;
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit;
        }

        if (http.Request.ContentLength > limit)
        {
            await TooLarge(limit).ExecuteAsync(http).ConfigureAwait(false);
            return;
        }

        var watched = new WatchedBody(http.Request.Body);
        http.Request.Body = watched;
        try
        {
            if (endpoint is not null
                && (CheckFields(http.Request.QueryString.HasValue ? http.Request.QueryString.Value.AsMemory(1) : default, "A query parameter")
                    ?? (IsUrlEncodedForm(http.Request) ? await CheckFormAsync(http.Request).ConfigureAwait(false) : null)) is { } bad)
            {
                await bad.ExecuteAsync(http).ConfigureAwait(false);
                return;
            }

            await next(http).ConfigureAwait(false);
            if (watched.Failure is { } swallowed && !http.Response.HasStarted)
            {
                // The framework's JSON binding swallows an IOException (the body limit) and answers an empty response.
                http.Response.Clear();
                await Answer(swallowed, limit).ExecuteAsync(http).ConfigureAwait(false);
            }
            else if (http.Response.StatusCode == StatusCodes.Status415UnsupportedMediaType && !http.Response.HasStarted && http.Response.ContentType is null)
            {
                // The framework answers a wrong Content-Type with a bare 415 (it does not throw even with ThrowOnBadRequest).
                await Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "This call takes a JSON body: send Content-Type: application/json.").ExecuteAsync(http).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (!http.Response.HasStarted && Map(e, limit) is { } answer)
        {
            http.Response.Clear();
            await answer.ExecuteAsync(http).ConfigureAwait(false);
        }
    }

    private static IResult? Map(Exception e, long limit) => e switch
    {
        BadHttpRequestException bad => Answer(bad, limit),
        JsonException json => MalformedJson(json),
        InvalidDataException => Problem(StatusCodes.Status400BadRequest, "bad-form", "The form or multipart body is malformed or has too many or too long fields."),
        _ => null,
    };

    private static IResult Answer(BadHttpRequestException bad, long limit)
    {
        if (bad.InnerException is JsonException json)
        {
            return MalformedJson(json);
        }

        return bad.StatusCode switch
        {
            StatusCodes.Status413PayloadTooLarge => TooLarge(limit),
            StatusCodes.Status415UnsupportedMediaType => Problem(bad.StatusCode, "unsupported-media-type", "This call takes a JSON body: send Content-Type: application/json."),
            _ when bad.InnerException is InvalidDataException => Problem(StatusCodes.Status400BadRequest, "bad-form", "The form or multipart body is malformed or has too many or too long fields."),
            _ when bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase) => Problem(StatusCodes.Status400BadRequest, "missing-body", "This call needs a JSON body."),
            _ => Problem(StatusCodes.Status400BadRequest, "bad-parameter", Sentence(bad.Message)),
        };
    }

    internal static IResult TooLarge(long limit) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "request-too-large", $"The request body is larger than this call accepts ({limit / 1024} KB).");

    private static IResult MalformedJson(JsonException json)
    {
        // The framework's sentence without its "Path: … | LineNumber: …" tail, then the path on its own.
        var message = json.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        message = cut > 0 ? message[..cut] : message;
        var where = json.Path is { Length: > 0 } path ? $" (at {path})" : string.Empty;
        return Problem(StatusCodes.Status400BadRequest, "malformed-json", $"The body is not valid JSON for this call{where}: {Sentence(message)}", json.Path);
    }

    private static string Sentence(string text)
    {
        text = text.Trim();
        return text.Length > 300 ? text[..300] + "…" : text;
    }

    private static bool IsUrlEncodedForm(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.ContentType is { } type
        && type.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads the (size-limited) form body once, checks every key and value, and rewinds it for the handler.</summary>
    private static async Task<IResult?> CheckFormAsync(HttpRequest request)
    {
        request.EnableBuffering();
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted).ConfigureAwait(false);
        request.Body.Position = 0;
        return CheckFields(Encoding.Latin1.GetString(buffer.GetBuffer(), 0, (int)buffer.Length).AsMemory(), "A form field");
    }

    /// <summary>
    /// Checks every key and value of <c>a=b&amp;c=d</c> text (a query string or a form body, still percent-encoded, one
    /// char per byte): strict UTF-8 once decoded, and <see cref="InputText"/>. The framework's decoders would keep an
    /// invalid sequence as it is (query) or replace it with U+FFFD (form) without a word.
    /// </summary>
    private static IResult? CheckFields(ReadOnlyMemory<char> encoded, string what)
    {
        foreach (var pair in Split(encoded, '&'))
        {
            foreach (var part in Split(pair, '='))
            {
                var raw = new byte[part.Length];
                for (var i = 0; i < raw.Length; i++)
                {
                    var c = part.Span[i];
                    raw[i] = c == '+' ? (byte)' ' : c > 0xFF ? (byte)'?' : (byte)c;
                }

                for (var i = 0; i < raw.Length; i++)
                {
                    raw[i] = raw[i] == (byte)'+' ? (byte)' ' : raw[i];
                }

                string text;
                try
                {
                    text = StrictUtf8.GetString(System.Net.WebUtility.UrlDecodeToBytes(raw, 0, raw.Length));
                }
                catch (DecoderFallbackException)
                {
                    return Problem(StatusCodes.Status400BadRequest, "invalid-utf8", what + " is not valid UTF-8.");
                }

                if (InputText.Problem(text, allowLineBreaks: true) is { } bad)
                {
                    return Problem(StatusCodes.Status400BadRequest, bad.Code, what + ": " + bad.Message);
                }
            }
        }

        return null;
    }

    private static IEnumerable<ReadOnlyMemory<char>> Split(ReadOnlyMemory<char> text, char separator)
    {
        while (true)
        {
            var at = text.Span.IndexOf(separator);
            if (at < 0)
            {
                yield return text;
                yield break;
            }

            yield return text[..at];
            text = text[(at + 1)..];
        }
    }

    /// <summary>The request body, remembering a bad-request failure (the body limit) even when the caller swallows it.</summary>
    private sealed class WatchedBody(Stream inner) : Stream
    {
        public BadHttpRequestException? Failure { get; private set; }

        public override bool CanRead => inner.CanRead;

        public override bool CanSeek => inner.CanSeek;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => inner.Position = value; }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count)
        {
            try
            {
                return inner.Read(buffer, offset, count);
            }
            catch (BadHttpRequestException e)
            {
                Failure ??= e;
                throw;
            }
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                return await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (BadHttpRequestException e)
            {
                Failure ??= e;
                throw;
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
