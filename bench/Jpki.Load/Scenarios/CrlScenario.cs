using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Load.Data;
using Jpki.Load.Running;
using Jpki.Verification.Revocation;

namespace Jpki.Load.Scenarios;

/// <summary>
/// <c>crl</c>: <c>GET /crl/{kind}.crl</c>, full downloads and — when the server sent validators (Last-Modified, ETag)
/// — conditional ones (If-Modified-Since / If-None-Match) that may be answered 304. Each distinct CRL body is parsed,
/// its signature verified against the CA, checked fresh, and must list every certificate the data folder revoked.
/// </summary>
internal sealed class CrlScenario(HttpClient http, LoadManifest manifest, IReadOnlyList<string> kinds, int conditionalPercent, TimeProvider clock) : IScenario
{
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);
    private readonly Dictionary<string, X509Certificate2> _cas = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<byte[]>> _revoked = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (DateTimeOffset? NextUpdate, string? Wrong)> _checked = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (DateTimeOffset? LastModified, EntityTagHeaderValue? ETag)> _validators = new(StringComparer.Ordinal);

    public string Name => "crl";

    public IReadOnlyDictionary<string, string> Notes { get; private set; } = new Dictionary<string, string>();

    public async Task SetUpAsync(CancellationToken cancellationToken)
    {
        foreach (var kind in kinds)
        {
            _cas[kind] = X509CertificateLoader.LoadCertificate(kind == "sign" ? manifest.SignCa : manifest.AuthCa);
            _revoked[kind] = manifest.Certificates.Where(c => c.Kind == kind && c.Revoked).Select(c => Convert.FromHexString(c.Serial)).ToList();
            using var response = await http.GetAsync(new Uri($"crl/{kind}.crl", UriKind.Relative), cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            _validators[kind] = (response.Content.Headers.LastModified, response.Headers.ETag);
        }

        var supports = _validators.Values.Any(v => v.LastModified is not null || v.ETag is not null);
        Notes = new Dictionary<string, string>
        {
            ["kinds"] = string.Join(",", kinds),
            ["conditional share %"] = supports ? conditionalPercent.ToString(CultureInfo.InvariantCulture) : "0 (server sent neither Last-Modified nor ETag)",
            ["validators"] = string.Join(", ", _validators.Select(v => $"{v.Key}: {(v.Value.LastModified is null ? "no Last-Modified" : "Last-Modified")}, {(v.Value.ETag is null ? "no ETag" : "ETag")}")),
            ["revoked listed"] = string.Join(", ", _revoked.Select(r => $"{r.Key} {r.Value.Count}")),
            ["check"] = "200: parse, CA signature, fresh, lists every revoked serial; conditional: 304 or a new CRL",
        };
    }

    public async Task<Outcome?> RunOnceAsync(long index, CancellationToken cancellationToken)
    {
        var kind = kinds[Mix.Pick(index, 5, kinds.Count)];
        var (lastModified, etag) = _validators[kind];
        var conditional = (lastModified is not null || etag is not null) && Mix.Percent(index, 6) < conditionalPercent;
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"crl/{kind}.crl", UriKind.Relative));
        if (conditional)
        {
            if (etag is not null)
            {
                request.Headers.IfNoneMatch.Add(etag);
            }

            if (lastModified is not null)
            {
                request.Headers.IfModifiedSince = lastModified;
            }
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var tag = (conditional ? "conditional " : "full ") + ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
        if (response.StatusCode == HttpStatusCode.NotModified)
        {
            return conditional ? Outcome.Ok(0, tag) : Outcome.Wrong("304 to an unconditional request", tag);
        }

        if (response.StatusCode != HttpStatusCode.OK)
        {
            return Outcome.Status((int)response.StatusCode, tag);
        }

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var key = kind + ":" + Convert.ToHexString(SHA256.HashData(body));
        var (nextUpdate, wrong) = _checked.GetOrAdd(key, _ => Check(kind, body));
        if (wrong is null && nextUpdate is { } next && next + Skew < clock.GetUtcNow())
        {
            wrong = "stale CRL";
        }

        return wrong is null ? Outcome.Ok(body.Length, tag) : Outcome.Wrong(wrong, tag);
    }

    public ValueTask DisposeAsync()
    {
        foreach (var ca in _cas.Values)
        {
            ca.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private (DateTimeOffset? NextUpdate, string? Wrong) Check(string kind, byte[] body)
    {
        CertificateRevocationList crl;
        try
        {
            crl = CertificateRevocationList.Decode(body);
        }
        catch (RevocationDataException)
        {
            return (null, "does not parse");
        }

        if (!crl.IsSignedBy(_cas[kind]))
        {
            return (null, "not signed by the CA");
        }

        var now = clock.GetUtcNow();
        if (crl.ThisUpdate > now + Skew || crl.NextUpdate is { } n && n + Skew < now)
        {
            return (null, "not fresh");
        }

        return _revoked[kind].All(serial => crl.TryGetEntry(serial, out _)) ? (crl.NextUpdate, null) : (null, "a revoked serial is missing");
    }
}
