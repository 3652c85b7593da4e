using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;

namespace Jpki.Server.Tests.Crash;

/// <summary>
/// What a relying party behind a load balancer sees of the CRLs while processes come and go: polls each running server's
/// complete and delta CRL of both CAs, checks each signature with the CA's key and records (server, CA, number, kind of
/// CRL, thisUpdate, SHA-256). <see cref="Problems"/> then says whether a CRL number was ever used for two different
/// documents, whether any server ever went back to a lower number, and whether a higher number ever carried an older
/// thisUpdate — what RFC 5280 §5.2.3 forbids and what a failover must not cause.
/// </summary>
internal sealed class CrlWatcher(IReadOnlyList<JpkiServerProcess> servers, byte[] signCa, byte[] authCa)
{
    private readonly ConcurrentQueue<Observation> _observations = new();

    public int Fetched => _observations.Count;

    /// <summary>Polls until <paramref name="stopping"/>; a server that is down or answers 404 is skipped.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var keys = new Dictionary<string, Org.BouncyCastle.Crypto.AsymmetricKeyParameter>(StringComparer.Ordinal)
        {
            ["sign"] = new X509CertificateParser().ReadCertificate(signCa).GetPublicKey(),
            ["auth"] = new X509CertificateParser().ReadCertificate(authCa).GetPublicKey(),
        };
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var tick = 0L;
        while (!stopping.IsCancellationRequested)
        {
            tick++;
            for (var i = 0; i < servers.Count; i++)
            {
                if (!servers[i].IsRunning)
                {
                    continue;
                }

                foreach (var ca in keys.Keys)
                {
                    foreach (var path in new[] { $"/crl/{ca}.crl", $"/crl/{ca}-delta.crl" })
                    {
                        await FetchAsync(http, i, tick, ca, path, keys[ca], stopping);
                    }
                }
            }

            try
            {
                // The polling interval of a relying party that refreshes often.
                await Task.Delay(TimeSpan.FromMilliseconds(250), stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task FetchAsync(HttpClient http, int server, long tick, string ca, string path, Org.BouncyCastle.Crypto.AsymmetricKeyParameter key, CancellationToken stopping)
    {
        byte[] der;
        try
        {
            using var response = await http.GetAsync(new Uri(servers[server].BaseAddress, path), stopping);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return;
            }

            der = await response.Content.ReadAsByteArrayAsync(stopping);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException && !stopping.IsCancellationRequested)
        {
            return; // killed meanwhile
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var crl = new X509CrlParser().ReadCrl(der);
        crl.Verify(key); // throws on a bad signature: the test fails with it
        var number = DerInteger.GetInstance(X509ExtensionUtilities.FromExtensionValue(crl.GetExtensionValue(X509Extensions.CrlNumber))).Value.LongValueExact;
        var delta = crl.GetExtensionValue(X509Extensions.DeltaCrlIndicator) is not null;
        _observations.Enqueue(new Observation(server, tick, ca, delta, number, crl.ThisUpdate, Convert.ToHexString(SHA256.HashData(der))));
    }

    /// <summary>Every violation found in what was observed; empty when the numbering held.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        var all = _observations.ToList();
        foreach (var byNumber in all.GroupBy(o => (o.Ca, o.Number)))
        {
            if (byNumber.Select(o => o.Sha256).Distinct(StringComparer.Ordinal).Count() > 1)
            {
                problems.Add($"{byNumber.Key.Ca} CRL number {byNumber.Key.Number} was used for {byNumber.Select(o => o.Sha256).Distinct(StringComparer.Ordinal).Count()} different documents");
            }
        }

        foreach (var seen in all.GroupBy(o => (o.Server, o.Ca, o.Delta)))
        {
            var last = long.MinValue;
            foreach (var o in seen.OrderBy(o => o.Tick))
            {
                if (o.Number < last)
                {
                    problems.Add($"server {o.Server} went back from {o.Ca} {(o.Delta ? "delta" : "complete")} CRL #{last} to #{o.Number}");
                }

                last = Math.Max(last, o.Number);
            }
        }

        foreach (var sequence in all.GroupBy(o => o.Ca))
        {
            var ordered = sequence.DistinctBy(o => o.Number).OrderBy(o => o.Number).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                if (ordered[i].ThisUpdate < ordered[i - 1].ThisUpdate)
                {
                    problems.Add($"{sequence.Key} CRL #{ordered[i].Number} has an older thisUpdate than #{ordered[i - 1].Number}");
                }
            }
        }

        return problems;
    }

    /// <summary>The distinct CRL numbers seen per CA (for the test's output).</summary>
    public string Summary() => string.Join(", ", _observations.GroupBy(o => o.Ca).OrderBy(g => g.Key, StringComparer.Ordinal)
        .Select(g => $"{g.Key}: {g.Select(o => o.Number).Distinct().Count()} numbers #{g.Min(o => o.Number)}–#{g.Max(o => o.Number)}"));

    private sealed record Observation(int Server, long Tick, string Ca, bool Delta, long Number, DateTime ThisUpdate, string Sha256);
}
