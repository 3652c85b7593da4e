using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jpki.Authority.Registry;
using Jpki.Core.Identity;
using Jpki.Core.Time;

namespace Jpki.Municipality.Issuance;

/// <summary>
/// <see cref="ICertificateIssuer"/> over the authority API of a remote OpenJpki server (<c>/api/authority</c>,
/// docs/authority.md), as a registered registration authority: the key goes in <c>X-Jpki-RA-Key</c>. The in-process
/// twin is <see cref="AuthorityCertificateIssuer"/>.
/// </summary>
/// <remarks>
/// Input the authority refuses (400) throws <see cref="ArgumentException"/> with its sentence, as the in-process
/// issuer does; any other failure (refused key, server error) throws <see cref="HttpRequestException"/> with the status.
/// A dropped connection leaves the outcome unknown: look the holder up before issuing again.
/// </remarks>
public sealed class HttpCertificateIssuer : ICertificateIssuer
{
    private const string KeyHeader = "X-Jpki-RA-Key";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly Dictionary<RevocationReason, string> ReasonNames = new()
    {
        [RevocationReason.Unspecified] = "unspecified",
        [RevocationReason.KeyCompromise] = "key-compromise",
        [RevocationReason.CACompromise] = "ca-compromise",
        [RevocationReason.AffiliationChanged] = "affiliation-changed",
        [RevocationReason.Superseded] = "superseded",
        [RevocationReason.CessationOfOperation] = "cessation-of-operation",
        [RevocationReason.PrivilegeWithdrawn] = "privilege-withdrawn",
    };

    private readonly HttpClient _http;
    private readonly string _key;
    private readonly string _prefecture;
    private readonly string _municipality;

    /// <summary>Creates the issuer on <paramref name="http"/> (its BaseAddress is the authority server; the caller owns it).</summary>
    public HttpCertificateIssuer(HttpClient http, string registrationAuthorityKey, string prefecture, string municipality)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentException.ThrowIfNullOrWhiteSpace(registrationAuthorityKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(prefecture);
        ArgumentException.ThrowIfNullOrWhiteSpace(municipality);
        if (http.BaseAddress is null)
        {
            throw new ArgumentException("The HttpClient needs the authority server as its BaseAddress.", nameof(http));
        }

        _http = http;
        _key = registrationAuthorityKey;
        _prefecture = prefecture;
        _municipality = municipality;
    }

    /// <inheritdoc />
    public async Task<IssuedCertificate> IssueAsync(CertificateIssueRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        object? signature = null;
        if (request.Kind == CertificateKind.Signature)
        {
            var info = request.MappedInfo ?? throw new ArgumentException("A signature certificate needs the mapped basic 4 info.", nameof(request));
            signature = new
            {
                prefecture = _prefecture,
                municipality = _municipality,
                name = info.Name,
                nameSubstitutionFlags = request.NameFlags,
                address = info.Address,
                addressSubstitutionFlags = request.AddressFlags,
                dateOfBirth = info.DateOfBirth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                sex = (int)info.Sex,
            };
        }

        var body = new
        {
            kind = request.Kind == CertificateKind.Signature ? "sign" : "auth",
            subjectPublicKeyInfo = Convert.ToBase64String(request.SubjectPublicKeyInfo.Span),
            cardId = request.CardId,
            holderId = request.HolderId,
            expiryDate = JapanTime.ToJapanDate(request.NotAfter).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            signature,
            previousSerial = request.PreviousSerialHex,
        };
        using var message = new HttpRequestMessage(HttpMethod.Post, "api/authority/certificates") { Content = JsonContent.Create(body, options: Json) };
        using var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        await EnsureAsync(response, HttpStatusCode.Created, cancellationToken).ConfigureAwait(false);
        var view = await response.Content.ReadFromJsonAsync<CertificateView>(Json, cancellationToken).ConfigureAwait(false)
            ?? throw new HttpRequestException("The authority answered 201 without a certificate.");
        return new IssuedCertificate(view.Serial, KindOf(view.Kind), view.NotAfter, Convert.FromBase64String(view.Certificate));
    }

    /// <inheritdoc />
    public async Task<RevokeResult> RevokeAsync(string serialHex, RevocationReason reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serialHex);
        if (!ReasonNames.TryGetValue(reason, out var name))
        {
            throw new ArgumentOutOfRangeException(nameof(reason), reason, "Not a CRLReason JPKI uses.");
        }

        using var message = new HttpRequestMessage(HttpMethod.Post, $"api/authority/certificates/{Uri.EscapeDataString(serialHex)}/revocation")
        {
            Content = JsonContent.Create(new { reason = name }, options: Json),
        };
        using var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return RevokeResult.NotFound;
        }

        await EnsureAsync(response, HttpStatusCode.OK, cancellationToken).ConfigureAwait(false);
        var view = await response.Content.ReadFromJsonAsync<RevocationView>(Json, cancellationToken).ConfigureAwait(false);
        return view?.Result == "revoked" ? RevokeResult.Revoked : RevokeResult.AlreadyRevoked;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CertificateRecord>> FindByHolderAsync(string holderId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(holderId);
        using var message = new HttpRequestMessage(HttpMethod.Get, "api/authority/certificates?holderId=" + Uri.EscapeDataString(holderId));
        using var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        await EnsureAsync(response, HttpStatusCode.OK, cancellationToken).ConfigureAwait(false);
        var views = await response.Content.ReadFromJsonAsync<List<CertificateView>>(Json, cancellationToken).ConfigureAwait(false) ?? [];
        return [.. views.Select(ToRecord)];
    }

    private static CertificateRecord ToRecord(CertificateView view) => new(
        view.Serial,
        KindOf(view.Kind),
        view.CardId,
        view.HolderId,
        view.NotBefore,
        view.NotAfter,
        view.IssuedAt,
        view.PreviousSerial,
        Convert.FromBase64String(view.Certificate),
        view.RevokedAt is { } at ? new RevocationInfo(at, ReasonOf(view.RevocationReason), at) : null);

    private static CertificateKind KindOf(string kind) => kind == "sign" ? CertificateKind.Signature : CertificateKind.Authentication;

    private static RevocationReason ReasonOf(string? name) =>
        ReasonNames.FirstOrDefault(p => p.Value == name) is { Value: not null } pair ? pair.Key : RevocationReason.Unspecified;

    private static async Task EnsureAsync(HttpResponseMessage response, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        if (response.StatusCode == expected)
        {
            return;
        }

        string? detail = null;
        try
        {
            detail = (await response.Content.ReadFromJsonAsync<Problem>(Json, cancellationToken).ConfigureAwait(false))?.Detail;
        }
        catch (JsonException)
        {
            // Not a problem document: the status says enough.
        }

        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            throw new ArgumentException(detail ?? "The authority refused the request as bad input.");
        }

        throw new HttpRequestException($"The authority answered {(int)response.StatusCode}{(detail is null ? "." : ": " + detail)}", null, response.StatusCode);
    }

    private Task<HttpResponseMessage> SendAsync(HttpRequestMessage message, CancellationToken cancellationToken)
    {
        message.Headers.Add(KeyHeader, _key);
        return _http.SendAsync(message, cancellationToken);
    }

    private sealed record Problem(string? Detail);

    private sealed record RevocationView(string Serial, string Result);

    private sealed record CertificateView(
        string Serial,
        string Kind,
        string CardId,
        string HolderId,
        DateTimeOffset NotBefore,
        DateTimeOffset NotAfter,
        DateTimeOffset IssuedAt,
        string? PreviousSerial,
        string Status,
        DateTimeOffset? RevokedAt,
        string? RevocationReason,
        string Certificate);
}
