using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jpki.Authority.Contracts.Wire;
using Jpki.Core.Identity;

namespace Jpki.Municipality.Issuance;

/// <summary>
/// <see cref="ICertificateIssuer"/> over the authority API of a remote OpenJpki server (<c>/api/authority</c>,
/// docs/authority.md), as a registered registration authority: the key goes in <c>X-Jpki-RA-Key</c>. Requests and answers
/// are the contract's (<see cref="CertificateIssuance"/>, <see cref="AuthorityCertificate"/>), read strictly: an answer
/// that does not follow the contract throws <see cref="AuthorityProtocolException"/>, never a guessed default.
/// </summary>
/// <remarks>
/// Input the authority refuses (400) throws <see cref="AuthorityRefusedException"/> with its sentence; any other failure
/// (refused key, server error, no connection) throws <see cref="HttpRequestException"/>. An issuance with a request id
/// can be sent again after a lost answer: the authority answers the first outcome.
/// </remarks>
public sealed class HttpCertificateIssuer : ICertificateIssuer
{
    /// <summary>The header that carries the registration-authority key.</summary>
    public const string KeyHeader = "X-Jpki-RA-Key";

    private readonly HttpClient _http;
    private readonly string _key;

    /// <summary>Creates the issuer on <paramref name="http"/> (its BaseAddress is the authority server; the caller owns it).</summary>
    /// <exception cref="ArgumentException">No BaseAddress, or no key.</exception>
    public HttpCertificateIssuer(HttpClient http, string registrationAuthorityKey)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentException.ThrowIfNullOrWhiteSpace(registrationAuthorityKey);
        if (http.BaseAddress is null)
        {
            throw new ArgumentException("The HttpClient needs the authority server as its BaseAddress.", nameof(http));
        }

        _http = http;
        _key = registrationAuthorityKey;
    }

    /// <inheritdoc />
    public async Task<AuthorityCertificate> IssueAsync(CertificateIssuance request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var message = new HttpRequestMessage(HttpMethod.Post, "api/authority/certificates")
        {
            Content = JsonContent.Create(request.ToWire(), AuthorityJsonContext.Default.IssueBody),
        };
        using var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        await EnsureAsync(response, HttpStatusCode.Created, cancellationToken).ConfigureAwait(false);
        return AuthorityCertificate.FromWire(await ReadAsync(response, AuthorityJsonContext.Default.CertificateView, cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc />
    public async Task<RevokeResult> RevokeAsync(CertificateSerial serial, RevocationReason reason, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, $"api/authority/certificates/{serial.Hex}/revocation")
        {
            Content = JsonContent.Create(new RevokeBody(WireNames.Of(reason), null), AuthorityJsonContext.Default.RevokeBody),
        };
        using var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return RevokeResult.NotFound;
        }

        await EnsureAsync(response, HttpStatusCode.OK, cancellationToken).ConfigureAwait(false);
        return RevocationAnswer.FromWire(await ReadAsync(response, AuthorityJsonContext.Default.RevocationView, cancellationToken).ConfigureAwait(false)).Result;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AuthorityCertificate>> FindByHolderAsync(HolderId holder, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, "api/authority/certificates?holderId=" + Uri.EscapeDataString(holder.Value));
        using var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        await EnsureAsync(response, HttpStatusCode.OK, cancellationToken).ConfigureAwait(false);
        var views = await ReadAsync(response, AuthorityJsonContext.Default.ListCertificateView, cancellationToken).ConfigureAwait(false);
        return [.. views.Select(AuthorityCertificate.FromWire)];
    }

    /// <inheritdoc />
    public async Task<byte[]> GetCaCertificateAsync(CertificateKind kind, CancellationToken cancellationToken)
    {
        // The CA certificates are public (/ca/{sign,auth}.cer): no key is sent.
        using var response = await _http.GetAsync(new Uri($"ca/{WireNames.Of(kind)}.cer", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        await EnsureAsync(response, HttpStatusCode.OK, cancellationToken).ConfigureAwait(false);
        var der = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return der.Length > 0 ? der : throw new AuthorityProtocolException($"The authority answered an empty {WireNames.Of(kind)} CA certificate.");
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

        string? detail = null;
        try
        {
            detail = (await response.Content.ReadFromJsonAsync<ProblemBody>(cancellationToken).ConfigureAwait(false))?.Detail;
        }
        catch (JsonException)
        {
            // Not a problem document: the status says enough.
        }

        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            throw new AuthorityRefusedException(detail ?? "The authority refused the request as bad input.");
        }

        throw new HttpRequestException($"The authority answered {(int)response.StatusCode}{(detail is null ? "." : ": " + detail)}", null, response.StatusCode);
    }

    private Task<HttpResponseMessage> SendAsync(HttpRequestMessage message, CancellationToken cancellationToken)
    {
        message.Headers.Add(KeyHeader, _key);
        return _http.SendAsync(message, cancellationToken);
    }

    private sealed record ProblemBody(string? Detail);
}
