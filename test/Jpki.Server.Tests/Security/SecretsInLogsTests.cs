using Jpki.Core.Storage;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Jpki.Authority.Ca;
using Jpki.Authority.Tests.Support;
using Jpki.Card.Applications;
using Jpki.Card.Client;
using Jpki.Card.Issuer;
using Jpki.Card.Transport;
using Jpki.Card.Virtual;
using Jpki.Core.Identity;
using Jpki.Core.Pins;
using Jpki.Municipality.Cards;
using Jpki.Municipality.Staff;
using Jpki.OnlineApplication;
using Jpki.Server.Staff;
using Jpki.Server.Tests.Counter;
using Jpki.Verification;
using Jpki.Verification.Cms;
using Jpki.Verification.Login;
using Jpki.Verification.Revocation;
using Jpki.Verification.Trust;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Server.Tests.Security;

/// <summary>
/// Issue 7, security: the whole flow — authority with a passphrase-protected software key, staff bootstrap and password
/// changes, resident import, issuance onto a virtual card, PIN reset, proxy issuance, an e-application signed with the
/// card, a login, revocation, OCSP and CRL for a registered verifier — with every log category at Trace, then a search
/// of the log lines, every response body and the stored files for every PIN, password, passphrase, My Number and private
/// key used (docs/security.md, "Secrets in logs").
/// </summary>
public sealed class SecretsInLogsTests : IDisposable
{
    private const string Passphrase = "tr0ub4dor-&-3-ocsp";
    private const string VerifierKey = "Vk-d41e8c7a2f9b6350";
    private const string WrongAdminGuess = "Wr0ng-Guess-Px4k";
    private const string AdminPassword = "Adm1n-Kq8vR2zW";
    private const string ClerkInitialPassword = "Cl3rk-Init-Vq5z";
    private const string ClerkPassword = "Cl3rk-Now-Hy2m";
    private const string CardPin = "4826";
    private const string WrongCardPin = "1470";
    private const string SignPassword = "ZQ7XKP3M9W";
    private const string AuthPin = "2648";
    private const string ResetAuthPin = "5172";
    private const string ProxyCardPin = "8153";
    private const string ProxySignPassword = "WJ4HT8RN2C";
    private const string ProxyAuthPin = "6039";
    private const string MyNumber = "739158462031";
    // No PIN shares three digits with a My Number: base64 of a 4-digit PIN pins only its first 3¾ bytes.
    private const string ProxyMyNumber = "582039174625";
    private const string SearchedReading = "ヒミツ　マモル";
    private const string SearchedName = "秘密";
    private const string SearchedBirth = "1980-02-17";

    private readonly string _data = Path.Combine(Path.GetTempPath(), "jpki-secrets-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly FakeTimeProvider _clock = new(CounterServer.Start);
    private readonly CapturingLoggerProvider _logs = new();
    private readonly RecordingHandler _responses = new(new HttpClientHandler());
    private readonly SecretScanner _secrets = new();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    [Fact]
    public async Task WholeFlow_AtTrace_NoSecretInLogsResponsesOrFiles()
    {
        // The authority, in production mode, its software keys under our passphrase.
        var authorityFolder = AuthorityFolder.PathOf(_data);
        Directory.CreateDirectory(authorityFolder);
        File.WriteAllText(Path.Combine(authorityFolder, "passphrase"), Passphrase);
        await AuthorityFolder.InitializeAsync(
            _data,
            new AuthoritySettings { TestNames = true, OpenSignatureRevocationData = false, VerifierKeys = [VerifierKey] },
            _clock,
            "test:init",
            CancellationToken.None);

        var app = JpkiServerHost.Build(
            new JpkiServerOptions
            {
                DataDirectory = _data,
                Urls = "http://127.0.0.1:0",
                ConfigureServices = services => services.AddLogging(logging =>
                {
                    // A provider rule beats the host's "Microsoft.AspNetCore: Warning" category rule.
                    logging.AddProvider(_logs);
                    logging.AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace);
                }),
            },
            _clock);
        await app.StartAsync();
        var baseUri = new Uri(app.Urls.First());
        try
        {
            await RunFlowAsync(app, baseUri);
        }
        finally
        {
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }

        AddKeys(authorityFolder);

        // The scanner itself must see a secret the way a careless log line or JSON body would carry it.
        Assert.Contains("card-pin", _secrets.FindIn($"{{\"cardPin\":\"{CardPin}\"}}"));
        Assert.Contains("ca-passphrase", _secrets.FindIn(JsonSerializer.Serialize(new { passphrase = Passphrase })));
        Assert.Contains("my-number", _secrets.FindIn(System.Text.Encoding.Unicode.GetBytes("番号 " + MyNumber)));
        var leaks = new List<string>();
        foreach (var (level, category, text) in _logs.Lines)
        {
            leaks.AddRange(_secrets.FindIn(text).Select(name => $"{name} in a {level} log line of {category}"));
        }

        foreach (var (request, body) in _responses.Responses)
        {
            leaks.AddRange(_secrets.FindIn(body).Select(name => $"{name} in the response to {request}"));
        }

        foreach (var file in Directory.EnumerateFiles(_data, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(_data, file);
            if (relative == Path.Combine("authority", "passphrase"))
            {
                continue; // Holds the passphrase by design (embedded default only; docs/authority.md).
            }

            // A card holds its keys and its My Number by design, but its PINs only as PBKDF2 verifiers.
            Func<SecretScanner.Kind, bool>? which = file.EndsWith(".jpkicard", StringComparison.Ordinal) ? k => k == SecretScanner.Kind.Pin : null;
            leaks.AddRange(_secrets.FindIn(File.ReadAllBytes(file), which).Select(name => $"{name} in the file {relative}"));
        }

        // Files (docs/security.md, "Files"): the data folder is closed to other accounts, and every file and folder our code
        // made in it is owner-only whatever the umask — databases with their -wal/-shm, card files, keys, CRLs, spooled imports.
        // The authority folder and its passphrase were made above by hand, as an operator would, with the umask's modes.
        if (!OperatingSystem.IsWindows())
        {
            var handMade = new[] { "authority", Path.Combine("authority", "passphrase") };
            var open = new List<string>();
            Assert.Equal(PrivateFiles.FolderMode, File.GetUnixFileMode(_data));
            foreach (var entry in Directory.EnumerateFileSystemEntries(_data, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(_data, entry);
                var mode = File.GetUnixFileMode(entry);
                var expected = Directory.Exists(entry) ? PrivateFiles.FolderMode : PrivateFiles.FileMode;
                if (!handMade.Contains(relative) && mode != expected)
                {
                    open.Add($"{relative}: {Convert.ToString((int)mode, 8)}");
                }
            }

            Assert.True(open.Count == 0, "Not owner-only:\n" + string.Join("\n", open));
            Assert.Contains(Directory.EnumerateFiles(_data, "*", SearchOption.AllDirectories), f => f.EndsWith(".jpkicard", StringComparison.Ordinal));
        }

        // What was searched for, as typed or as a URL carries it, in no log line (Trace included: the request lines).
        foreach (var term in new[] { SearchedReading, SearchedName, SearchedBirth })
        {
            foreach (var form in new[] { term, Uri.EscapeDataString(term), WebUtility.UrlEncode(term) }.Distinct())
            {
                leaks.AddRange(_logs.Lines.Where(l => l.Text.Contains(form, StringComparison.Ordinal)).Select(l => $"a searched term in a {l.Level} log line of {l.Category}"));
            }
        }

        Assert.Contains(_logs.Lines, l => l.Text.Contains("/counter/search", StringComparison.Ordinal));

        // The search must have had something to search: framework lines at Trace and Debug, and our own requests.
        Assert.Contains(_logs.Lines, l => l.Level == LogLevel.Trace && l.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.Contains(_logs.Lines, l => l.Level == LogLevel.Debug && l.Category.StartsWith("Microsoft.AspNetCore.Routing", StringComparison.Ordinal));
        Assert.Contains(_logs.Lines, l => l.Text.Contains("/api/counter/pin-reset", StringComparison.Ordinal));
        Assert.True(_secrets.Names.Count >= 20, "every secret and key registered");

        // The libraries' own events reached the host's logging (docs/operations.md) and were scanned with every other line:
        // the card's wrong PIN, the counter's issuances, PIN reset, proxy visits and revocation, the CA's issuances and revocations.
        // The e-application's receipt and acceptance (6201, 6202) too.
        var missing = new[] { 2101, 3110, 3111, 3112, 3113, 3114, 4120, 4124, 6201, 6202 }
            .Where(id => !_logs.Lines.Any(l => l.Text.Contains($" | event={id} | ", StringComparison.Ordinal) || l.Text.EndsWith($" | event={id}", StringComparison.Ordinal)))
            .ToList();
        Assert.True(missing.Count == 0, "Events not logged: " + string.Join(", ", missing));
        Assert.True(leaks.Count == 0, "Secrets leaked (names only):\n" + string.Join("\n", leaks.Distinct()));
    }

    private async Task RunFlowAsync(Microsoft.AspNetCore.Builder.WebApplication app, Uri baseUri)
    {
        _secrets.Add("ca-passphrase", Passphrase);
        _secrets.Add("verifier-key", VerifierKey);
        foreach (var (name, value) in new[]
        {
            ("wrong-admin-password", WrongAdminGuess), ("admin-password", AdminPassword), ("clerk-initial-password", ClerkInitialPassword),
            ("clerk-password", ClerkPassword), ("card-pin", CardPin), ("wrong-card-pin", WrongCardPin), ("signature-password", SignPassword),
            ("auth-pin", AuthPin), ("reset-auth-pin", ResetAuthPin), ("proxy-card-pin", ProxyCardPin), ("proxy-signature-password", ProxySignPassword),
            ("proxy-auth-pin", ProxyAuthPin),
        })
        {
            _secrets.Add(name, value);
        }

        _secrets.Add("my-number", MyNumber, SecretScanner.Kind.MyNumber);
        _secrets.Add("proxy-my-number", ProxyMyNumber, SecretScanner.Kind.MyNumber);

        // Staff: the first-start admin's one-time password (a wrong guess first), then its change; a clerk made by the admin.
        var oneTime = (await File.ReadAllTextAsync(Path.Combine(_data, StaffDirectory.InitialPasswordFile))).Trim();
        _secrets.Add("admin-one-time-password", oneTime);
        using var admin = new Client(baseUri, _responses);
        await admin.RefreshCsrfAsync();
        await admin.ExpectAsync(HttpStatusCode.Unauthorized, admin.Http.PostAsJsonAsync("/api/counter/session", new { id = "admin", password = WrongAdminGuess }));
        await admin.ExpectAsync(HttpStatusCode.OK, admin.Http.PostAsJsonAsync("/api/counter/session", new { id = "admin", password = oneTime }));
        await admin.RefreshCsrfAsync();
        await admin.ExpectAsync(HttpStatusCode.Redirect, admin.PostFormAsync("/staff/password", ("current", oneTime), ("new", AdminPassword), ("confirm", AdminPassword)));
        await admin.RefreshCsrfAsync();
        await admin.ExpectAsync(HttpStatusCode.OK, admin.PostFormAsync("/staff/accounts", ("id", "clerk7"), ("name", "窓口　七子"), ("role", "clerk"), ("password", ClerkInitialPassword)));

        using var clerk = new Client(baseUri, _responses);
        await clerk.RefreshCsrfAsync();
        await clerk.ExpectAsync(HttpStatusCode.Redirect, clerk.PostFormAsync("/staff/login", ("id", "clerk7"), ("password", ClerkInitialPassword)));
        await clerk.RefreshCsrfAsync();
        await clerk.ExpectAsync(HttpStatusCode.Redirect, clerk.PostFormAsync("/staff/password", ("current", ClerkInitialPassword), ("new", ClerkPassword), ("confirm", ClerkPassword)));
        await clerk.RefreshCsrfAsync();

        // Residents from CSV; their cards delivered (My Number in the text AP, card PIN set), registered over the API.
        await clerk.ExpectAsync(HttpStatusCode.OK, clerk.PostCsvAsync(
            "/api/counter/residents/import",
            "id,name,name_kana,address,date_of_birth,sex,under_guardianship,household_id\n" +
            "L01,秘密　守,ヒミツ　マモル,東京都千代田区千代田１－１,1980-02-17,1,0,H-L01\n" +
            "L02,代理　頼子,ダイリ　ヨリコ,東京都千代田区千代田２－２,1975-07-07,2,0,H-L02\n"));
        var slot = await DeliverCardAsync(clerk, "L01", MyNumber, CardPin, new BasicFourInfo("秘密　守", "東京都千代田区千代田１－１", new DateOnly(1980, 2, 17), Sex.Male));
        var proxySlot = await DeliverCardAsync(clerk, "L02", ProxyMyNumber, ProxyCardPin, new BasicFourInfo("代理　頼子", "東京都千代田区千代田２－２", new DateOnly(1975, 7, 7), Sex.Female));

        // Searches by name, reading and date of birth, on the page and over the API: what a clerk searched for is personal data;
        // it travels in request bodies and in sealed result addresses, never in a URL, so no request log can carry it.
        await clerk.ExpectAsync(HttpStatusCode.Redirect, clerk.PostFormAsync("/counter/search", ("q", SearchedReading), ("dob", SearchedBirth)));
        Assert.Contains("秘密　守", await clerk.ExpectAsync(HttpStatusCode.OK, clerk.Http.GetAsync(clerk.LastLocation)), StringComparison.Ordinal);
        await clerk.ExpectAsync(HttpStatusCode.OK, clerk.Http.PostAsJsonAsync("/api/counter/residents/search", new { q = SearchedName }));

        // Issuance: a wrong card PIN over the API, then the counter form.
        await clerk.ExpectAsync(HttpStatusCode.UnprocessableEntity, clerk.Http.PostAsJsonAsync("/api/counter/issue", new { residentId = "L01", cardSlot = slot, identityChecked = true, cardPin = WrongCardPin, signaturePassword = SignPassword, authenticationPin = AuthPin }));
        // The page form: the confirmation (checked before any PIN) carries a one-time form token; the answer is 303 to the receipt.
        var token = await clerk.FormTokenAsync($"/counter/residents/L01/issue/confirm?step=1&card={Uri.EscapeDataString(slot)}&identity=1&sign=1&auth=1");
        await clerk.ExpectAsync(HttpStatusCode.SeeOther, clerk.PostFormAsync(
            "/counter/residents/L01/issue/confirm",
            ("__form", token), ("card", slot), ("identity", "1"), ("sign", "1"), ("auth", "1"), ("cardPin", CardPin),
            ("signPassword", SignPassword), ("signPassword2", SignPassword), ("authPin", AuthPin), ("authPin2", AuthPin)));
        var receipt = await clerk.ExpectAsync(HttpStatusCode.OK, clerk.Http.GetAsync(clerk.LastLocation));
        Assert.Contains("交付", receipt, StringComparison.Ordinal);
        await clerk.ExpectAsync(HttpStatusCode.OK, clerk.Http.PostAsJsonAsync("/api/counter/pin-reset", new { residentId = "L01", cardSlot = slot, identityChecked = true, kind = 2, newPin = ResetAuthPin }));

        // Proxy issuance: visit 1 and the inquiry letter, visit 2 the next day with the PINs from the sealed answer sheet.
        var visit1 = await clerk.ExpectAsync(HttpStatusCode.OK, clerk.Http.PostAsJsonAsync("/api/counter/proxy/requests", new { residentId = "L02", proxyName = "代理　太郎", proxyIdDocument = "運転免許証", proxyIdChecked = true, applicationPresent = true, powerOfAttorneyPresent = true }));
        var reference = JsonDocument.Parse(visit1).RootElement.GetProperty("reference").GetString()!;
        await clerk.ExpectAsync(HttpStatusCode.OK, clerk.Http.GetAsync(new Uri($"/api/counter/proxy/requests/{reference}/letter", UriKind.Relative)));
        _clock.Advance(TimeSpan.FromDays(1));
        using var nextDay = new Client(baseUri, _responses);
        await nextDay.RefreshCsrfAsync();
        await nextDay.ExpectAsync(HttpStatusCode.OK, nextDay.Http.PostAsJsonAsync("/api/counter/session", new { id = "clerk7", password = ClerkPassword }));
        await nextDay.RefreshCsrfAsync();
        await nextDay.ExpectAsync(HttpStatusCode.OK, nextDay.Http.PostAsJsonAsync("/api/counter/proxy/visits", new { reference, cardSlot = proxySlot, proxyIdChecked = true, sealIntact = true, cardPin = ProxyCardPin, signaturePassword = ProxySignPassword, authenticationPin = ProxyAuthPin }));

        // The citizen: an e-application signed with the card, then a login with the authentication key.
        var cardPath = Path.Combine(_data, "cards", "L01.jpkicard");
        var document = RequestDocument.Encode(new ApplicationRequest(
            "CCCCCCCCCCCCCCCCCCCCCC", RequestKind.SealCertificate, 1, "年金の手続き", false, false, false, true, null, _clock.GetUtcNow().ToOffset(TimeSpan.FromHours(9))));
        var signature = SignWithCard(cardPath, document, _clock.GetUtcNow());
        using (var form = new MultipartFormDataContent { { new StringContent(Convert.ToBase64String(document)), "document" }, { new ByteArrayContent(signature), "signature", "request.json.p7s" } })
        {
            using var citizen = new HttpClient(_responses, disposeHandler: false) { BaseAddress = baseUri };
            using var submitted = await citizen.PostAsync(new Uri("/e-application/submit", UriKind.Relative), form);
            Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        }

        var authority = app.Services.GetRequiredService<OwnedAuthority>().Runtime.Authority;
        using var verifierHttp = new HttpClient(_responses, disposeHandler: false);
        verifierHttp.DefaultRequestHeaders.Add("X-Jpki-Verifier-Key", VerifierKey);
        var verifier = new JpkiVerifier(
            new TrustStoreBuilder().AddRoot(authority.SignCa.CertificateDer).AddRoot(authority.AuthCa.CertificateDer).Build(),
            [new OcspRevocationSource(verifierHttp, _clock, new OcspOptions { ResponderUri = new Uri(baseUri, "/ocsp"), CacheAnswers = false })],
            _clock,
            new VerifierOptions { Path = new() { AllowTestPolicy = true } });
        var login = new LoginVerifier(verifier, new InMemoryChallengeStore(), _clock);
        Assert.True((await LoginWithCardAsync(login, cardPath)).IsValid, "login before revocation");

        // Revocation by the holder's request; a registered verifier sees it in OCSP and the CRL; the login is refused.
        await nextDay.ExpectAsync(HttpStatusCode.OK, nextDay.Http.PostAsJsonAsync("/api/counter/revoke", new { residentId = "L01", identityChecked = true, kinds = new[] { 1, 2 } }));
        Assert.False((await LoginWithCardAsync(login, cardPath)).IsValid, "login after revocation");
        using (var crl = await verifierHttp.GetAsync(new Uri(baseUri, "/crl/sign.crl")))
        {
            Assert.Equal(HttpStatusCode.OK, crl.StatusCode);
        }

        AddCardKeys(cardPath);
        AddCardKeys(Path.Combine(_data, "cards", "L02.jpkicard"));
    }

    private async Task<string> DeliverCardAsync(Client clerk, string id, string myNumber, string cardPin, BasicFourInfo holder)
    {
        var number = "OJT" + id.PadLeft(13, '0');
        await clerk.ExpectAsync(HttpStatusCode.OK, clerk.Http.PostAsJsonAsync($"/api/counter/residents/{id}/cards", new { cardId = number, kind = 1, expiresOn = "2035-02-17" }));
        var path = Path.Combine(_data, "cards", id + ".jpkicard");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var key = CardManagementKey.Derive(CardMasterKey.Development(), number);
        using var card = VirtualCard.Create(path, new VirtualCardSpec(number, id, CardKind.MyNumberCard, new DateOnly(2035, 2, 17)), key);
        using var transport = new InProcessTransport(card);
        var issuer = new CardIssuerClient(new JpkiCardClient(transport), key, number);
        issuer.WriteTextData(myNumber, holder);
        issuer.SetPin(PinKind.CardPin, cardPin);
        return "file:" + id + ".jpkicard";
    }

    private static byte[] SignWithCard(string cardPath, byte[] document, DateTimeOffset signingTime)
    {
        using var card = VirtualCard.Open(cardPath);
        using var transport = new InProcessTransport(card);
        var client = new JpkiCardClient(transport);
        Assert.True(client.Verify(PinKind.SignaturePassword, SignPassword).Verified);
        using var certificate = X509CertificateLoader.LoadCertificate(client.ReadCertificate(CertificateSlot.Signature)!);
        using var publicKey = certificate.GetRSAPublicKey()!;
        using var rsa = new CardRsa(client, publicKey);
        return CmsSignatureBuilder.Sign(document, certificate, rsa, true, signingTime);
    }

    private static async Task<LoginResult> LoginWithCardAsync(LoginVerifier login, string cardPath)
    {
        var challenge = await login.IssueChallengeAsync();
        byte[] signature;
        X509Certificate2 certificate;
        using (var card = VirtualCard.Open(cardPath))
        {
            using var transport = new InProcessTransport(card);
            var client = new JpkiCardClient(transport);
            Assert.True(client.Verify(PinKind.AuthenticationPin, ResetAuthPin).Verified);
            signature = client.SignSha256Hash(CertificateKind.Authentication, SHA256.HashData(challenge.Challenge.Span));
            certificate = X509CertificateLoader.LoadCertificate(client.ReadCertificate(CertificateSlot.Authentication)!);
        }

        using (certificate)
        {
            return await login.VerifyAsync(challenge.Id, signature, certificate);
        }
    }

    private void AddKeys(string authorityFolder)
    {
        foreach (var slug in new[] { "sign", "auth" })
        {
            var pem = File.ReadAllText(Path.Combine(authorityFolder, slug + "-ca.key.pem"));
            Assert.StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----", pem, StringComparison.Ordinal);
            using var rsa = RSA.Create();
            rsa.ImportFromEncryptedPem(pem, Passphrase);
            _secrets.AddRsaKey(slug + "-ca-private-key", rsa);
            Assert.Contains(slug + "-ca-private-key", _secrets.FindIn(rsa.ExportPkcs8PrivateKeyPem()));
        }
    }

    /// <summary>The card's private keys, from the card file (the chip's memory): every key blob the file holds.</summary>
    private void AddCardKeys(string cardPath)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(cardPath));
        var found = 0;
        foreach (var blob in KeyBlobs(json.RootElement))
        {
            using var rsa = RSA.Create();
            try
            {
                rsa.ImportRSAPrivateKey(blob, out _);
            }
            catch (CryptographicException)
            {
                rsa.ImportPkcs8PrivateKey(blob, out _);
            }

            _secrets.AddRsaKey($"card-private-key-{Path.GetFileNameWithoutExtension(cardPath)}-{found++}", rsa);
        }

        Assert.True(found >= 2, "the card holds its two private keys");
    }

    private static IEnumerable<byte[]> KeyBlobs(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name.Equals("Keys", StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.Object)
                {
                    foreach (var key in property.Value.EnumerateObject())
                    {
                        yield return key.Value.GetBytesFromBase64();
                    }
                }
                else
                {
                    foreach (var blob in KeyBlobs(property.Value))
                    {
                        yield return blob;
                    }
                }
            }
        }
    }

    /// <summary>A staff client: own cookies, the CSRF header, every response recorded.</summary>
    private sealed class Client : IDisposable
    {
        private readonly HttpClientHandler _handler = new() { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        private readonly RecordingHandler _recording;

        public Client(Uri baseAddress, RecordingHandler shared)
        {
            _recording = new RecordingHandler(_handler);
            Shared = shared;
            Http = new HttpClient(_recording) { BaseAddress = baseAddress };
        }

        public HttpClient Http { get; }

        private RecordingHandler Shared { get; }

        public async Task RefreshCsrfAsync()
        {
            var token = await Http.GetFromJsonAsync<JsonElement>("/api/counter/csrf");
            Http.DefaultRequestHeaders.Remove("X-CSRF-TOKEN");
            Http.DefaultRequestHeaders.Add("X-CSRF-TOKEN", token.GetProperty("token").GetString());
        }

        /// <summary>Where the last answer sent the client (Location), for post-redirect-get.</summary>
        public Uri? LastLocation { get; private set; }

        /// <summary>The one-time form token of the page's counter form.</summary>
        public async Task<string> FormTokenAsync(string page)
        {
            var html = await ExpectAsync(HttpStatusCode.OK, Http.GetAsync(new Uri(page, UriKind.Relative)));
            var match = System.Text.RegularExpressions.Regex.Match(html, "name=\"__form\" value=\"([^\"]+)\"");
            Assert.True(match.Success, "the page has no form token");
            return WebUtility.HtmlDecode(match.Groups[1].Value);
        }

        public Task<HttpResponseMessage> PostFormAsync(string path, params (string Name, string Value)[] fields)
            => Http.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Name, f.Value))));

        public Task<HttpResponseMessage> PostCsvAsync(string path, string csv)
        {
            var content = new StringContent(csv);
            content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            return Http.PostAsync(new Uri(path, UriKind.Relative), content);
        }

        /// <summary>Awaits the response, checks its status (naming the step, not the body: it could hold what we look for).</summary>
        public async Task<string> ExpectAsync(HttpStatusCode expected, Task<HttpResponseMessage> sending)
        {
            using var response = await sending;
            foreach (var recorded in _recording.Responses)
            {
                Shared.Responses.Enqueue(recorded);
            }

            _recording.Responses.Clear();
            LastLocation = response.Headers.Location;
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath}: {(int)response.StatusCode}, expected {(int)expected}");
            return body;
        }

        public void Dispose()
        {
            Http.Dispose();
            _handler.Dispose();
        }
    }

    private sealed class CardRsa : RSA
    {
        private readonly JpkiCardClient _client;
        private readonly RSAParameters _public;

        public CardRsa(JpkiCardClient client, RSA publicKey)
        {
            _client = client;
            _public = publicKey.ExportParameters(false);
            KeySizeValue = publicKey.KeySize;
            LegalKeySizesValue = [new KeySizes(KeySizeValue, KeySizeValue, 0)];
        }

        public override RSAParameters ExportParameters(bool includePrivateParameters)
            => includePrivateParameters ? throw new CryptographicException("on the card") : _public;

        public override void ImportParameters(RSAParameters parameters) => throw new NotSupportedException();

        public override byte[] SignHash(byte[] hash, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding)
            => _client.SignSha256Hash(CertificateKind.Signature, hash);

        public override bool VerifyHash(byte[] hash, byte[] signature, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding)
        {
            using var rsa = Create(_public);
            return rsa.VerifyHash(hash, signature, hashAlgorithm, padding);
        }
    }
}
