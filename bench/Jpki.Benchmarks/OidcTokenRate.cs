using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Jpki.Authority.Ca;
using Jpki.Core.Identity;
using Jpki.Oidc;
using Jpki.Server;
using Jpki.Verification.Login;
using Microsoft.Extensions.DependencyInjection;

namespace Jpki.Benchmarks;

/// <summary>
/// <c>oidc-token-rate [--codes N] [--concurrency C]</c>: ID tokens/s from <c>jpki serve</c>'s <c>POST /oidc/token</c>
/// (authorization code + PKCE verifier + client_secret_basic → RS256 ID token and access token, code marked redeemed in
/// SQLite). One citizen logs in once with an origin-bound token (a software key certified by the server's authority);
/// N codes are collected through <c>/oidc/authorize</c>, then redeemed by C concurrent clients over loopback HTTP.
/// Then, in the same run, the peers: raw RSA-2048 signatures/s on C threads and SQLite commits/s (WAL, synchronous=FULL)
/// in the same folder, and what two of each in a row allow.
/// </summary>
internal static class OidcTokenRate
{
    public const string Name = "oidc-token-rate";

    public static async Task<int> RunAsync(string[] args)
    {
        var codes = Arg(args, "--codes", 2000);
        var concurrency = Arg(args, "--concurrency", 4);
        var data = Path.Combine(Path.GetTempPath(), "jpki-bench-oidc-" + Guid.NewGuid().ToString("N"));
        var port = FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        var clock = new FrozenClock(TimeProvider.System.GetUtcNow());
        var app = JpkiServerHost.Build(new JpkiServerOptions { DataDirectory = data, Urls = baseUrl }, clock);
        await app.StartAsync().ConfigureAwait(false);
        try
        {
            var authority = app.Services.GetRequiredService<OwnedAuthority>().Runtime;
            using var key = RSA.Create(2048);
            var issued = await authority.Authority.IssueAsync(
                new IssueRequest(CertificateKind.Authentication, key.ExportSubjectPublicKeyInfo(), "BENCH0001", "holder-bench", new DateOnly(2035, 3, 31), null, null, "bench"),
                CancellationToken.None).ConfigureAwait(false);
            string clientId, secret;
            await using (var registry = OidcClientRegistry.Open(Path.Combine(data, "oidc")))
            {
                var added = await registry.AddAsync(new OidcClientRegistration { DisplayName = "bench", RedirectUris = [new Uri("http://127.0.0.1:9/cb")] }).ConfigureAwait(false);
                (clientId, secret) = (added.ClientId, added.Secret!);
            }

            var verifier = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            var challenge = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            var authorize = $"/oidc/authorize?client_id={clientId}&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb&response_type=code&scope=openid&code_challenge={challenge}&code_challenge_method=S256&state=s&nonce=n";
            using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
            (await browser.GetAsync(authorize).ConfigureAwait(false)).Dispose();
            var nonce = JsonDocument.Parse(await PostAsync(browser, "/oidc/login/nonce", "{}", baseUrl).ConfigureAwait(false)).RootElement.GetProperty("nonce").GetString()!;
            var token = new LoginToken(baseUrl, nonce, issued.Der, key.SignData(LoginOrigin.SignedData(baseUrl, nonce), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
            await PostAsync(browser, "/oidc/login/card", Encoding.UTF8.GetString(token.ToJson()), baseUrl).ConfigureAwait(false);

            var collected = new List<string>(codes);
            for (var i = 0; i < codes; i++)
            {
                using var response = await browser.GetAsync(authorize).ConfigureAwait(false);
                var location = response.Headers.Location ?? throw new InvalidOperationException($"authorize answered {response.StatusCode}");
                collected.Add(System.Web.HttpUtility.ParseQueryString(location.Query)["code"]!);
            }

            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = new Uri(baseUrl) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{secret}")));
            var next = -1;
            var failed = 0;
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < collected.Count)
                {
                    using var content = new FormUrlEncodedContent(
                    [
                        new("grant_type", "authorization_code"), new("code", collected[i]), new("redirect_uri", "http://127.0.0.1:9/cb"), new("code_verifier", verifier),
                    ]);
                    using var response = await http.PostAsync("/oidc/token", content).ConfigureAwait(false);
                    if (!response.IsSuccessStatusCode || !(await response.Content.ReadAsStringAsync().ConfigureAwait(false)).Contains("\"id_token\"", StringComparison.Ordinal))
                    {
                        Interlocked.Increment(ref failed);
                    }
                }
            })).ConfigureAwait(false);
            watch.Stop();
            var tokens = codes / watch.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"oidc-token-rate: {codes} codes redeemed by {concurrency} clients in {watch.Elapsed.TotalSeconds:0.00} s = {tokens:0.0} ID tokens/s, {failed} failed; load average {File.ReadAllText("/proc/loadavg").Trim()}"));

            // The peers, in the same run and process: what one token request cannot do without — two SQLite commits with
            // synchronous=FULL in the same folder (redeeming the code, the access token's entry) and two RS256 signatures.
            var signs = RawRsaSignsPerSecond(concurrency);
            var commits = SqliteCommitsPerSecond(data);
            var bound = 1 / (2 / commits + 2 / (signs / Math.Min(concurrency, Environment.ProcessorCount)));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"peers: raw RSA-2048 PKCS#1 signatures {signs:0} /s ({concurrency} threads); SQLite commits (WAL, synchronous=FULL) {commits:0} /s; 2 commits + 2 signatures in a row allow {bound:0} requests/s; ratio {bound / tokens:0.0}; load average {File.ReadAllText("/proc/loadavg").Trim()}"));
            return failed == 0 ? 0 : 1;
        }
        finally
        {
            await app.DisposeAsync().ConfigureAwait(false);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    private static double RawRsaSignsPerSecond(int threads)
    {
        using var key = RSA.Create(2048);
        var hash = SHA256.HashData("jpki-bench"u8);
        var count = 0L;
        var watch = Stopwatch.StartNew();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ =>
        {
            while (watch.Elapsed < TimeSpan.FromSeconds(2))
            {
                key.SignHash(hash, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                Interlocked.Increment(ref count);
            }
        });
        return count / watch.Elapsed.TotalSeconds;
    }

    private static double SqliteCommitsPerSecond(string folder)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(folder, "commit-rate.db")};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE t(id INTEGER PRIMARY KEY, payload TEXT);";
        command.ExecuteNonQuery();
        command.CommandText = "INSERT INTO t(payload) VALUES ($p)";
        command.Parameters.AddWithValue("$p", new string('x', 600));
        const int Commits = 300;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < Commits; i++)
        {
            command.ExecuteNonQuery();
        }

        return Commits / watch.Elapsed.TotalSeconds;
    }

    private static async Task<string> PostAsync(HttpClient http, string path, string body, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Origin", origin);
        using var response = await http.SendAsync(request).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        return response.IsSuccessStatusCode ? text : throw new InvalidOperationException($"{path}: {response.StatusCode} {text}");
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class FrozenClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
