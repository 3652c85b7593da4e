using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jpki.Authority.Contracts.Wire;
using Jpki.Core.Identity;
using Polly;
using Polly.Retry;

namespace Jpki.Municipality.Issuance;

/// <summary>
/// <see cref="ICertificateIssuer"/> over the authority API of a remote OpenJpki server (<c>/api/authority</c>,
/// docs/authority.md), as a registered registration authority: the key goes in <c>X-Jpki-RA-Key</c>. Requests and answers
/// are the contract's (<see cref="CertificateIssuance"/>, <see cref="AuthorityCertificate"/>), read strictly: an answer
/// that does not follow the contract throws <see cref="AuthorityProtocolException"/>, never a guessed default.
/// </summary>
/// <remarks>
/// Input the authority refuses (400, and 409 for a request id reused with another request) throws
/// <see cref="AuthorityRefusedException"/> with its code and sentence; any other failure (refused key, server error, no
/// connection) throws <see cref="HttpRequestException"/>.
/// <para><b>Retries.</b> When no answer comes (the connection drops, the request times out, 502/503/504) the call is sent
/// again with exponential back-off (<see cref="HttpCertificateIssuerOptions"/>): revocations and reads are idempotent, and
/// an issuance is retried only when it carries a request id — the authority answers the repeat with the first outcome
/// (the same certificate), so a lost answer never issues twice. An issuance without a request id is never retried.</para>
/// </remarks>
public sealed class HttpCertificateIssuer : ICertificateIssuer
{
    /// <summary>The header that carries the registration-authority key.</summary>
    public const string KeyHeader = "X-Jpki-RA-Key";

    private readonly HttpClient _http;
    private readonly string _key;
    private readonly ResiliencePipeline _retry;

    /// <summary>Creates the issuer on <paramref name="http"/> (its BaseAddress is the authority server; the caller owns it).</summary>
    /// <exception cref="ArgumentException">No BaseAddress, or no key.</exception>
    public HttpCertificateIssuer(HttpClient http, string registrationAuthorityKey, HttpCertificateIssuerOptions? options = null)
    {
        options ??= new HttpCertificateIssuerOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxRetries);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentException.ThrowIfNullOrWhiteSpace(registrationAuthorityKey);
        if (http.BaseAddress is null)
        {
            throw new ArgumentException("The HttpClient needs the authority server as its BaseAddress.", nameof(http));
        }

        _http = http;
        _key = registrationAuthorityKey;
        _retry = options.MaxRetries == 0
            ? ResiliencePipeline.Empty
            : new ResiliencePipelineBuilder { TimeProvider = options.TimeProvider }
                .AddRetry(new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>(IsNoAnswer).Handle<TaskCanceledException>(e => e.InnerException is TimeoutException),
                    MaxRetryAttempts = options.MaxRetries,
                    Delay = options.RetryDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                })
                .Build();
    }

    /// <summary>No answer, or an answer that says the authority (or a proxy before it) could not handle the call now.</summary>
    private static bool IsNoAnswer(HttpRequestException e) =>
        e.StatusCode is null or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <inheritdoc />
    public async Task<AuthorityCertificate> IssueAsync(CertificateIssuance request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = request.ToWire();
        async ValueTask<AuthorityCertificate> AttemptAsync(CancellationToken token)
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, "api/authority/certificates")
            {
                Content = JsonContent.Create(body, AuthorityJsonContext.Default.IssueBody),
            };
            using var response = await SendAsync(message, token).ConfigureAwait(false);
            await EnsureAsync(response, HttpStatusCode.Created, token).ConfigureAwait(false);
            return AuthorityCertificate.FromWire(await ReadAsync(response, AuthorityJsonContext.Default.CertificateView, token).ConfigureAwait(false));
        }

        // Without a request id a lost answer leaves the outcome unknown: sending again could issue a second certificate.
        return request.RequestId is null
            ? await AttemptAsync(cancellationToken).ConfigureAwait(false)
            : await _retry.ExecuteAsync(AttemptAsync, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<RevokeResult> RevokeAsync(CertificateSerial serial, RevocationReason reason, CancellationToken cancellationToken)
    {
        // A revocation is idempotent (a repeat answers already-revoked; the first reason stands): retried freely.
        return await _retry.ExecuteAsync(async token =>
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, $"api/authority/certificates/{serial.Hex}/revocation")
            {
                Content = JsonContent.Create(new RevokeBody(WireNames.Of(reason), null), AuthorityJsonContext.Default.RevokeBody),
            };
            using var response = await SendAsync(message, token).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return RevokeResult.NotFound;
            }

            await EnsureAsync(response, HttpStatusCode.OK, token).ConfigureAwait(false);
            // A retry after a lost first answer says already-revoked: the certificate is revoked either way.
            return RevocationAnswer.FromWire(await ReadAsync(response, AuthorityJsonContext.Default.RevocationView, token).ConfigureAwait(false)).Result;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AuthorityCertificate>> FindByHolderAsync(HolderId holder, CancellationToken cancellationToken)
    {
        return await _retry.ExecuteAsync<IReadOnlyList<AuthorityCertificate>>(async token =>
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, "api/authority/certificates?holderId=" + Uri.EscapeDataString(holder.Value));
            using var response = await SendAsync(message, token).ConfigureAwait(false);
            await EnsureAsync(response, HttpStatusCode.OK, token).ConfigureAwait(false);
            var views = await ReadAsync(response, AuthorityJsonContext.Default.ListCertificateView, token).ConfigureAwait(false);
            return [.. views.Select(AuthorityCertificate.FromWire)];
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<byte[]> GetCaCertificateAsync(CertificateKind kind, CancellationToken cancellationToken)
    {
        // The CA certificates are public (/ca/{sign,auth}.cer): no key is sent.
        return await _retry.ExecuteAsync(async token =>
        {
            using var response = await _http.GetAsync(new Uri($"ca/{WireNames.Of(kind)}.cer", UriKind.Relative), token).ConfigureAwait(false);
            await EnsureAsync(response, HttpStatusCode.OK, token).ConfigureAwait(false);
            var der = await response.Content.ReadAsByteArrayAsync(token).ConfigureAwait(false);
            return der.Length > 0 ? der : throw new AuthorityProtocolException($"The authority answered an empty {WireNames.Of(kind)} CA certificate.");
        }, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync(type, cancellationToken).ConfigureAwait(false)
                ?? throw new AuthorityProtocolException($"The authority answered {(int)response.StatusCode} without a body.");
        }
        catch (JsonException e)
        {
            throw new AuthorityProtocolException($"The authority's {(int)response.StatusCode} answer is not the contract's JSON.", e);
        }
    }

    private static async Task EnsureAsync(HttpResponseMessage response, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        if (response.StatusCode == expected)
        {
            return;
        }

        ProblemBody? problem = null;
        try
        {
            problem = await response.Content.ReadFromJsonAsync<ProblemBody>(cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            // Not a problem document: the status says enough.
        }

        var detail = problem?.Detail;
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Conflict)
        {
            throw new AuthorityRefusedException(problem?.Code, detail ?? "The authority refused the request as bad input.");
        }

        throw new HttpRequestException($"The authority answered {(int)response.StatusCode}{(detail is null ? "." : ": " + detail)}", null, response.StatusCode);
    }

    private Task<HttpResponseMessage> SendAsync(HttpRequestMessage message, CancellationToken cancellationToken)
    {
        message.Headers.Add(KeyHeader, _key);
        return _http.SendAsync(message, cancellationToken);
    }

    private sealed record ProblemBody(string? Detail, string? Code);
}
