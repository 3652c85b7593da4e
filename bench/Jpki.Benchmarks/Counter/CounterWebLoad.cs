using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Jpki.Authority.Ca;
using Jpki.Core.Identity;
using Jpki.Core.Pins;
using Jpki.Core.Time;
using Jpki.Municipality.Hosting;
using Jpki.Municipality.Issuance;
using Jpki.Municipality.Residents;
using Jpki.Municipality.Staff;
using Jpki.Server;
using Jpki.Server.Counter;
using Jpki.Server.Staff;
using Microsoft.Extensions.DependencyInjection;

namespace Jpki.Benchmarks.Counter;

/// <summary>
/// <c>counter-issue-load [count] [concurrency]</c>: the counter API's issuance throughput (POST /api/counter/issue, both
/// certificates, real in-process authority and SQLite stores with synchronous=FULL) with card key pairs generated
/// beforehand — the card is an in-memory stand-in that hands out pregenerated RSA-2048 public keys, so the figure is
/// the server's (HTTP, auth, CSRF, rules, CA signing, registry and journal writes), not on-card key generation.
/// </summary>
internal static class CounterWebLoad
{
    public const string Name = "counter-issue-load";

    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
        var concurrency = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 4;
        var data = Path.Combine(Path.GetTempPath(), "jpki-counter-load-" + Guid.NewGuid().ToString("N")[..8]);
        var clock = new FixedClock(JapanTime.At(new DateOnly(2026, 6, 10), new TimeOnly(10, 0)));
        var options = new JpkiServerOptions { DataDirectory = data, Urls = "http://127.0.0.1:0" };
        try
        {
            Directory.CreateDirectory(data);
            await AuthorityFolder.InitializeAsync(data, new AuthoritySettings { TestNames = true, OpenSignatureRevocationData = true }, clock, "bench", default).ConfigureAwait(false);
            await using var authority = await AuthorityFolder.OpenAsync(data, clock, default).ConfigureAwait(false);
            await using var runtime = await Jpki.Server.Composition.CounterComposition.OpenAsync(new CounterRuntimeOptions { DataDirectory = data, UsePcsc = false, UseDevelopmentCardKey = true }, clock, authority, default).ConfigureAwait(false);
            var keys = Enumerable.Range(0, 16).Select(_ =>
            {
                using var rsa = RSA.Create(2048);
                return rsa.ExportSubjectPublicKeyInfo();
            }).ToArray();
            var web = CounterHosting.FromRuntime(runtime) with { Cards = new PregeneratedCards(keys) };
            var residents = Enumerable.Range(0, count).Select(i => new Resident($"L{i:D6}", "山田　太郎", "ヤマダ　タロウ", "東京都千代田区千代田１－１", new DateOnly(1980, 2, 17), Sex.Male, false, "H1")).ToList();
            await runtime.Store.AddResidentsAsync(residents, default).ConfigureAwait(false);
            foreach (var r in residents)
            {
                await runtime.Store.SaveCardAsync(new ResidentCard("C" + r.Id, r.Id, CardKind.MyNumberCard, new DateOnly(2035, 2, 17)), default).ConfigureAwait(false);
            }

            await using var app = JpkiServerHost.Build(options, clock, authority, web);
            await app.StartAsync().ConfigureAwait(false);
            await app.Services.GetRequiredService<StaffDirectory>().AddAsync("load1", "負荷", StaffRole.Clerk, "load-password-1", mustChange: false, default).ConfigureAwait(false);
            using var handler = new HttpClientHandler { CookieContainer = new CookieContainer() };
            using var http = new HttpClient(handler) { BaseAddress = new Uri(app.Urls.First()) };
            await SetCsrfAsync(http).ConfigureAwait(false);
            (await http.PostAsJsonAsync("/api/counter/session", new { id = "load1", password = "load-password-1" }).ConfigureAwait(false)).EnsureSuccessStatusCode();
            await SetCsrfAsync(http).ConfigureAwait(false);

            var next = -1;
            var failures = 0;
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < count)
                {
                    var id = residents[i].Id;
                    using var response = await http.PostAsJsonAsync("/api/counter/issue", new { residentId = id, cardSlot = "C" + id, identityChecked = true, cardPin = "1234", signaturePassword = "ABC123", authenticationPin = "5678" }).ConfigureAwait(false);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
            })).ConfigureAwait(false);
            watch.Stop();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"counter-issue-load: {count} issuances (2 certificates each), concurrency {concurrency}, {watch.Elapsed.TotalSeconds:F1} s, {count / watch.Elapsed.TotalSeconds:F1} issuances/s, {failures} failed"));
            await app.StopAsync().ConfigureAwait(false);
            return failures == 0 ? 0 : 1;
        }
        finally
        {
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
                // Best effort.
            }
        }
    }

    private static async Task SetCsrfAsync(HttpClient http)
    {
        var token = await http.GetFromJsonAsync<JsonElement>("/api/counter/csrf").ConfigureAwait(false);
        http.DefaultRequestHeaders.Remove("X-CSRF-TOKEN");
        http.DefaultRequestHeaders.Add("X-CSRF-TOKEN", token.GetProperty("token").GetString());
    }

    private sealed class FixedClock(DateTimeOffset at) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => at;
    }

    private sealed class PregeneratedCards(byte[][] keys) : ITerminalCards
    {
        private int _next;

        public Task<IReadOnlyList<CardSlot>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<CardSlot>>([]);

        public Task<CardInfo?> DescribeAsync(string slotId, CancellationToken cancellationToken) =>
            Task.FromResult<CardInfo?>(new CardInfo(slotId, CardKind.MyNumberCard, new DateOnly(2035, 2, 17)));

        public Task<ICounterCard?> OpenAsync(string slotId, CancellationToken cancellationToken) =>
            Task.FromResult<ICounterCard?>(new PregeneratedCard(new CardInfo(slotId, CardKind.MyNumberCard, new DateOnly(2035, 2, 17)), this));

        public byte[] NextKey() => keys[(Interlocked.Increment(ref _next) & int.MaxValue) % keys.Length];
    }

    private sealed class PregeneratedCard(CardInfo info, PregeneratedCards pool) : ICounterCard
    {
        public Task<CardInfo> ReadInfoAsync(CancellationToken cancellationToken) => Task.FromResult(info);

        public Task<PinCheck> VerifyCardPinAsync(SecretPin pin, CancellationToken cancellationToken) => Task.FromResult(PinCheck.Ok(3));

        public Task<byte[]> GenerateKeyPairAsync(CertificateKind kind, CancellationToken cancellationToken) => Task.FromResult(pool.NextKey());

        public Task WriteCertificateAsync(CertificateKind kind, ReadOnlyMemory<byte> der, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task SetPinAsync(PinKind kind, SecretPin pin, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<PukCheck> UnblockWithPukAsync(PinKind kind, SecretPin puk, SecretPin newPin, CancellationToken cancellationToken) => Task.FromResult(PukCheck.NoPuk);

        // Read back only after a failed write, which this card never has.
        public Task<byte[]?> ReadCertificateAsync(CertificateKind kind, CancellationToken cancellationToken) => Task.FromResult<byte[]?>(null);
    }
}
