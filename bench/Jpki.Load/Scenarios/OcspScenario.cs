using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Jpki.Load.Data;
using Jpki.Load.Running;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Asn1.Oiw;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.X509;

namespace Jpki.Load.Scenarios;

/// <summary>
/// <c>ocsp</c>: RFC 6960 requests for one certificate each, POST and GET, spread over good, revoked and unknown certIDs
/// of both CAs (unknown = random serials never issued), every answer checked by <see cref="OcspChecker"/>.
/// </summary>
internal sealed class OcspScenario(HttpClient http, LoadManifest manifest, OcspMix mix, TimeProvider clock, string path = "ocsp") : IScenario
{
    // Relative to the client's base address: "ocsp" → POST {base}ocsp, GET {base}ocsp/{b64}; "" → the base itself.
    private readonly string _path = path.Trim('/');

    private static readonly MediaTypeHeaderValue RequestType = new("application/ocsp-request");
    private readonly OcspChecker _checker = new(clock);
    private readonly List<OcspTarget> _good = [];
    private readonly List<OcspTarget> _revoked = [];
    private readonly List<OcspTarget> _unknown = [];

    public string Name => "ocsp";

    private Uri PostUri => new(_path, UriKind.Relative);

    public IReadOnlyDictionary<string, string> Notes { get; private set; } = new Dictionary<string, string>();

    public async Task SetUpAsync(CancellationToken cancellationToken)
    {
        var parser = new X509CertificateParser();
        var sign = parser.ReadCertificate(manifest.SignCa);
        var auth = parser.ReadCertificate(manifest.AuthCa);
        var kinds = mix.Kinds;
        foreach (var c in manifest.Certificates.Where(c => kinds.Contains(c.Kind)))
        {
            var issuer = c.Kind == "sign" ? sign : auth;
            (c.Revoked ? _revoked : _good).Add(Target(issuer, new BigInteger(c.Serial, 16), c.Revoked ? ExpectedStatus.Revoked : ExpectedStatus.Good));
        }

        for (var i = 0; i < 64; i++)
        {
            var issuer = kinds.Contains("auth") && (i % 2 == 0 || !kinds.Contains("sign")) ? auth : sign;
            var serial = RandomNumberGenerator.GetBytes(16);
            serial[0] = (byte)((serial[0] & 0x7F) | 0x40);
            _unknown.Add(Target(issuer, new BigInteger(1, serial), ExpectedStatus.Unknown));
        }

        if (_good.Count == 0 && mix.Good > 0 || _revoked.Count == 0 && mix.Revoked > 0)
        {
            throw new InvalidOperationException("The data folder has no certificates for this mix: prepare it with jpki-load prepare.");
        }

        Notes = new Dictionary<string, string>
        {
            ["mix good:revoked:unknown"] = string.Create(CultureInfo.InvariantCulture, $"{mix.Good}:{mix.Revoked}:{mix.Unknown}"),
            ["targets good/revoked/unknown"] = string.Create(CultureInfo.InvariantCulture, $"{_good.Count}/{_revoked.Count}/{_unknown.Count}"),
            ["GET share %"] = mix.GetPercent.ToString(CultureInfo.InvariantCulture),
            ["nonce share %"] = mix.NoncePercent.ToString(CultureInfo.InvariantCulture),
            ["CAs"] = string.Join(",", kinds),
            ["check"] = "parse, responder issued by the CA, signature, certID, status, freshness, nonce echo",
            ["primed"] = "every good and revoked target asked once before the warm-up (the responder signs a first answer per certificate, then serves it pre-signed)",
        };

        // Prime: the first answer for each certificate costs the responder an RSA signature; steady state is what is measured.
        var wrong = 0;
        await Parallel.ForEachAsync(_good.Concat(_revoked), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (target, ct) =>
        {
            using var content = new ByteArrayContent(target.Request);
            content.Headers.ContentType = RequestType;
            using var response = await http.PostAsync(PostUri, content, ct).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode || _checker.Check(target, body, null) is not null)
            {
                Interlocked.Increment(ref wrong);
            }
        }).ConfigureAwait(false);
        if (wrong > 0)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{wrong} of {_good.Count + _revoked.Count} priming answers were wrong or failed."));
        }
    }

    public async Task<Outcome?> RunOnceAsync(long index, CancellationToken cancellationToken)
    {
        var roll = Mix.Percent(index, 1);
        var list = roll < mix.Good ? _good : roll < mix.Good + mix.Revoked ? _revoked : _unknown;
        var target = list[Mix.Pick(index, 2, list.Count)];
        var get = Mix.Percent(index, 3) < mix.GetPercent;
        byte[]? nonce = null;
        var request = target.Request;
        if (Mix.Percent(index, 4) < mix.NoncePercent)
        {
            nonce = RandomNumberGenerator.GetBytes(16);
            request = Build(target.Id, nonce);
        }

        var tag = (get ? "get" : "post") + (nonce is null ? string.Empty : "+nonce");
        HttpResponseMessage response;
        if (get)
        {
            response = await http.GetAsync(new Uri((_path.Length == 0 ? string.Empty : _path + "/") + Uri.EscapeDataString(Convert.ToBase64String(request)), UriKind.Relative), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            using var content = new ByteArrayContent(request);
            content.Headers.ContentType = RequestType;
            response = await http.PostAsync(PostUri, content, cancellationToken).ConfigureAwait(false);
        }

        using (response)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return Outcome.Status((int)response.StatusCode, tag);
            }

            var wrong = _checker.Check(target, body, nonce);
            return wrong is null ? Outcome.Ok(body.Length, tag) : Outcome.Wrong(wrong, tag);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static OcspTarget Target(X509Certificate issuer, BigInteger serial, ExpectedStatus expected)
    {
        var id = new CertificateID(new AlgorithmIdentifier(OiwObjectIdentifiers.IdSha1, DerNull.Instance), issuer, serial);
        return new OcspTarget(id, Build(id, null), serial.ToString(16), expected, issuer);
    }

    private static byte[] Build(CertificateID id, byte[]? nonce)
    {
        var generator = new OcspReqGenerator();
        generator.AddRequest(id);
        if (nonce is not null)
        {
            generator.SetRequestExtensions(new X509Extensions(new Dictionary<DerObjectIdentifier, X509Extension>
            {
                [OcspObjectIdentifiers.PkixOcspNonce] = new X509Extension(false, new DerOctetString(new DerOctetString(nonce).GetEncoded())),
            }));
        }

        return generator.Generate().GetEncoded();
    }
}

/// <summary>The OCSP request mix: percentages good/revoked/unknown (sum 100), GET share, nonce share, which CAs.</summary>
internal sealed record OcspMix(int Good, int Revoked, int Unknown, int GetPercent, int NoncePercent, IReadOnlyList<string> Kinds);
