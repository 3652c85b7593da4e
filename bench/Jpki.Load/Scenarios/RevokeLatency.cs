using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Jpki.Authority.Ca;
using Jpki.Authority.Crl;
using Jpki.Load.Data;
using Jpki.Verification.Revocation;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Ocsp;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace Jpki.Load.Scenarios;

/// <summary>
/// <c>jpki-load revoke-latency</c>: how long a revocation made by ANOTHER process (this tool, opening the server's data
/// folder as the <c>jpki</c> command line does) takes to show in the running server's answers — OCSP (POST, no nonce:
/// the pre-signed path) and the CRLs of the certificate's partition (its delta, or a new complete CRL when one was due),
/// each polled until it says revoked. The time
/// is counted from just before the revocation's commit. Revokes <c>count</c> good certificates of the manifest one after
/// the other and marks them revoked in the manifest.
/// </summary>
internal static class RevokeLatency
{
    private static readonly TimeSpan OcspPoll = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan CrlPoll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan GiveUp = TimeSpan.FromMinutes(5);

    public static async Task<int> RunAsync(HttpClient http, string dataDirectory, LoadManifest manifest, string kind, int count, TimeProvider clock, TextWriter output, CancellationToken cancellationToken)
    {
        var candidates = manifest.Certificates.Where(c => c.Kind == kind && !c.Revoked).Take(count).ToList();
        if (candidates.Count < count)
        {
            await output.WriteLineAsync($"error: the manifest has only {candidates.Count} good {kind} certificates left.").ConfigureAwait(false);
            return ExitCodes.BadUsage;
        }

        var certificateKind = kind == "sign" ? Jpki.Core.Identity.CertificateKind.Signature : Jpki.Core.Identity.CertificateKind.Authentication;
        var issuer = new BcCertificate(kind == "sign" ? manifest.SignCa : manifest.AuthCa);
        var ocsp = new List<double>();
        var crl = new List<double>();
        await using (var runtime = await AuthorityFolder.OpenAsync(dataDirectory, clock, cancellationToken).ConfigureAwait(false))
        {
            foreach (var candidate in candidates)
            {
                var record = await runtime.Authority.Registry.FindBySerialAsync(candidate.Serial, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"certificate {candidate.Serial} of the manifest is not in the registry");
                var path = CrlPartitions.PathOf(kind, record.CrlPartition, delta: true);
                var basePath = CrlPartitions.PathOf(kind, record.CrlPartition, delta: false);
                var started = Stopwatch.GetTimestamp();
                var result = await runtime.Authority.RevokeAsync(candidate.Serial, Jpki.Authority.Contracts.RevocationReason.KeyCompromise, null, "load-revoke-latency", cancellationToken).ConfigureAwait(false);
                if (result != Jpki.Authority.Contracts.RevokeResult.Revoked)
                {
                    throw new InvalidOperationException($"certificate {candidate.Serial}: {result}");
                }

                var ocspTask = UntilAsync(() => OcspRevokedAsync(http, issuer, candidate.Serial, cancellationToken), OcspPoll, started, cancellationToken);
                // What a relying party that uses delta CRLs sees: the revocation in the delta, or in a new complete CRL when
                // the publisher's next complete one was due (it then starts a new delta chain that need not repeat it).
                var crlTask = UntilAsync(async () => await ListsAsync(http, path, candidate.Serial, cancellationToken).ConfigureAwait(false) || await ListsAsync(http, basePath, candidate.Serial, cancellationToken).ConfigureAwait(false), CrlPoll, started, cancellationToken);
                var (ocspSeconds, crlSeconds) = (await ocspTask.ConfigureAwait(false), await crlTask.ConfigureAwait(false));
                ocsp.Add(ocspSeconds);
                crl.Add(crlSeconds);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{candidate.Serial}: OCSP {ocspSeconds * 1000:F0} ms, CRLs {path} or {basePath} {crlSeconds:F2} s")).ConfigureAwait(false);
            }
        }

        var revoked = candidates.Select(c => c.Serial).ToHashSet(StringComparer.Ordinal);
        await (manifest with { Certificates = [.. manifest.Certificates.Select(c => revoked.Contains(c.Serial) ? c with { Revoked = true } : c)] })
            .WriteAsync(dataDirectory, cancellationToken).ConfigureAwait(false);
        ocsp.Sort();
        crl.Sort();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"revocations: {count}; OCSP shows it after p50 {ocsp[ocsp.Count / 2] * 1000:F0} ms, max {ocsp[^1] * 1000:F0} ms; the delta or complete CRL of its partition after p50 {crl[crl.Count / 2]:F2} s, max {crl[^1]:F2} s")).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private static async Task<double> UntilAsync(Func<Task<bool>> done, TimeSpan poll, long started, CancellationToken cancellationToken)
    {
        while (!await done().ConfigureAwait(false))
        {
            if (Stopwatch.GetElapsedTime(started) > GiveUp)
            {
                throw new TimeoutException("the revocation did not show within 5 minutes");
            }

            await Task.Delay(poll, cancellationToken).ConfigureAwait(false);
        }

        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private static async Task<bool> OcspRevokedAsync(HttpClient http, BcCertificate issuer, string serial, CancellationToken cancellationToken)
    {
        var generator = new OcspReqGenerator();
        generator.AddRequest(new CertificateID(new AlgorithmIdentifier(Org.BouncyCastle.Asn1.Oiw.OiwObjectIdentifiers.IdSha1, DerNull.Instance), issuer, new Org.BouncyCastle.Math.BigInteger(serial, 16)));
        using var content = new ByteArrayContent(generator.Generate().GetEncoded());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/ocsp-request");
        using var response = await http.PostAsync(new Uri("ocsp", UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return new OcspResp(body).GetResponseObject() is BasicOcspResp basic && basic.Responses[0].GetCertStatus() is RevokedStatus;
    }

    private static async Task<bool> ListsAsync(HttpClient http, string path, string serial, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri(path.TrimStart('/'), UriKind.Relative), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return false;
        }

        var crl = CertificateRevocationList.Decode(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
        return crl.TryGetEntry(Convert.FromHexString(serial), out _);
    }
}
