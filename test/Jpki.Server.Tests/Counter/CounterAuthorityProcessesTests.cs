using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jpki.Card.Client;
using Jpki.Card.Issuer;
using Jpki.Card.Transport;
using Jpki.Card.Virtual;
using Jpki.Core.Identity;
using Jpki.Core.Pins;
using Jpki.Municipality.Cards;
using Jpki.Municipality.Residents;
using Jpki.Municipality.Storage;
using Jpki.Server.Tests.Crash;

namespace Jpki.Server.Tests.Counter;

/// <summary>
/// The counter and the authority as two organisations: two real <c>jpki serve</c> processes on two data folders,
/// <c>--role authority</c> and <c>--role counter --authority URL --ra-key-file</c>. The counter issues both certificates
/// onto a virtual card and revokes the signature one on an address change, all over the authority API; the counter's
/// folder never gets an authority or a registry. The authority killed and started again keeps everything it
/// acknowledged, and the counter carries on once it is back.
/// </summary>
public sealed class CounterAuthorityProcessesTests : IAsyncLifetime
{
    private const string Password = "two-orgs-Kp3x9Wd";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "jpki-two-orgs-" + Guid.NewGuid().ToString("N")[..12]);
    private JpkiServerProcess _authority = null!;
    private JpkiServerProcess _counter = null!;

    /// <summary>The residents issued to while the authority is killed.</summary>
    private static readonly string[] KillResidents = ["T03", "T04", "T05", "T06", "T07", "T08"];

    /// <summary>The residents whose issuance the counter process dies in: after the card write, and before it.</summary>
    private static readonly string[] CrashWindowResidents = ["T10", "T11"];

    private string AuthorityData => Path.Combine(_root, "authority");

    private string CounterData => Path.Combine(_root, "counter");

    private string RaKeyFile => Path.Combine(AuthorityData, "authority", "registration-authority-key");

    private string CardKeyFile => Path.Combine(_root, "card-master.key");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(AuthorityData);
        Directory.CreateDirectory(CounterData);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        _authority = new JpkiServerProcess(AuthorityData, JpkiServerProcess.FreePort(), new Dictionary<string, string>(), ["--role", "authority"]);
        await _authority.StartAsync(timeout.Token);
        Assert.True(File.Exists(RaKeyFile), _authority.LogTail);

        // A configured counter: its own card-management master key (never the public development one).
        await File.WriteAllTextAsync(CardKeyFile, Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        foreach (var id in (string[])["T01", "T02", .. KillResidents, .. CrashWindowResidents])
        {
            await RegisterResidentWithCardAsync(id);
        }

        // A card that expires in 60 days: its certificates expire with it, so their renewal window is open today (real clock).
        await RegisterResidentWithCardAsync("T09", Jpki.Core.Time.JapanTime.Today(TimeProvider.System).AddDays(60));

        _counter = new JpkiServerProcess(CounterData, JpkiServerProcess.FreePort(), new Dictionary<string, string> { ["JPKI_COUNTER_ALWAYS_OPEN"] = "1" },
            ["--role", "counter", "--authority", _authority.BaseAddress.ToString(), "--ra-key-file", RaKeyFile, "--card-master-key-file", CardKeyFile]);
        await _counter.StartAsync(timeout.Token);
    }

    public Task DisposeAsync()
    {
        _counter?.Dispose();
        _authority?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task IssueAndRevokeOnMove_OverTheAuthorityApi_AuthorityRestartLosesNothingAcknowledged()
    {
        using var clerk = new CounterServer.StaffClient(_counter.BaseAddress);
        await CounterServer.SignInAsInitialAdminAsync(clerk, CounterData, Password);
        // A configured counter (its own card key) never shows the sandbox banner nor logs the sandbox warning.
        Assert.DoesNotContain("sandbox-card-key", await clerk.Http.GetStringAsync(new Uri("/counter", UriKind.Relative)), StringComparison.Ordinal);
        Assert.DoesNotContain("SANDBOX", _counter.LogTail, StringComparison.Ordinal);

        using (var issued = await clerk.Http.PostAsJsonAsync("/api/counter/issue", CounterApiTests.Issue("T01", "file:T01.jpkicard")))
        {
            Assert.True(issued.StatusCode == HttpStatusCode.OK, $"{(int)issued.StatusCode} {await issued.Content.ReadAsStringAsync()}\n{_counter.LogTail}\n{_authority.LogTail}");
        }

        var atAuthority = await HolderAsync("T01");
        Assert.Equal(2, atAuthority.Count);
        Assert.All(atAuthority, c => Assert.Equal("good", c.GetProperty("status").GetString()));
        Assert.Equal(
            atAuthority.Single(c => c.GetProperty("kind").GetString() == "auth").GetProperty("certificate").GetString(),
            Convert.ToBase64String(ReadCard("T01", CertificateSlot.Authentication)));

        // The counter process opened no authority: no keys, no registry in its folder.
        Assert.False(Directory.Exists(Path.Combine(CounterData, "authority")));
        Assert.False(File.Exists(Path.Combine(CounterData, "registry.db")));

        // An address change revokes the signature certificate at the authority (affiliationChanged), not the auth one.
        using (var move = await clerk.Http.PostAsJsonAsync("/api/counter/residents/T01/changes", new { kind = 1, newAddress = "東京都千代田区一ツ橋２－２" }))
        {
            Assert.True(move.IsSuccessStatusCode, await move.Content.ReadAsStringAsync());
        }

        var afterMove = await HolderAsync("T01");
        Assert.Equal("affiliation-changed", afterMove.Single(c => c.GetProperty("kind").GetString() == "sign").GetProperty("revocationReason").GetString());
        Assert.Equal("good", afterMove.Single(c => c.GetProperty("kind").GetString() == "auth").GetProperty("status").GetString());

        // The authority goes away: the counter says it cannot issue, and issues nothing behind the clerk's back.
        await _authority.KillAsync();
        using (var down = await clerk.Http.PostAsJsonAsync("/api/counter/issue", CounterApiTests.Issue("T02", "file:T02.jpkicard")))
        {
            Assert.False(down.IsSuccessStatusCode, await down.Content.ReadAsStringAsync());
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await _authority.StartAsync(timeout.Token);

        // Everything acknowledged before the kill is there; the counter carries on.
        Assert.Equal(
            afterMove.Select(c => (c.GetProperty("serial").GetString(), c.GetProperty("status").GetString())).Order(),
            (await HolderAsync("T01")).Select(c => (c.GetProperty("serial").GetString(), c.GetProperty("status").GetString())).Order());
        using (var issued = await clerk.Http.PostAsJsonAsync("/api/counter/issue", CounterApiTests.Issue("T02", "file:T02.jpkicard")))
        {
            Assert.True(issued.StatusCode == HttpStatusCode.OK, $"{(int)issued.StatusCode} {await issued.Content.ReadAsStringAsync()}\n{_counter.LogTail}");
        }

        var live = (await HolderAsync("T02")).Where(c => c.GetProperty("status").GetString() == "good").ToList();
        Assert.Equal(2, live.Count);
        Assert.Equal(
            live.Single(c => c.GetProperty("kind").GetString() == "auth").GetProperty("certificate").GetString(),
            Convert.ToBase64String(ReadCard("T02", CertificateSlot.Authentication)));
    }

    /// <summary>
    /// Renewal with two processes and the real clock: the counter renews both certificates of a resident whose card (and so
    /// whose certificates) expire in 60 days. The authority holds the new ones live and the old ones revoked superseded
    /// (the recorded step of the workflow, closed as written); the card holds the new authentication certificate.
    /// </summary>
    [Fact]
    public async Task Renewal_OverTheAuthorityApi_RealClock_OldRevokedSuperseded_CardHoldsTheNew()
    {
        using var clerk = new CounterServer.StaffClient(_counter.BaseAddress);
        await CounterServer.SignInAsInitialAdminAsync(clerk, CounterData, Password);
        var (_, first) = await IssueAsync(clerk, "T09");
        Assert.True(first is not null, _counter.LogTail);

        using var renewal = await clerk.Http.PostAsJsonAsync("/api/counter/issue", CounterApiTests.Issue("T09", "file:T09.jpkicard"));
        Assert.True(renewal.StatusCode == HttpStatusCode.OK, $"{(int)renewal.StatusCode} {await renewal.Content.ReadAsStringAsync()}\n{_counter.LogTail}");
        var lines = (await renewal.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("certificates").EnumerateArray().ToList();

        Assert.Equal(2, lines.Count);
        var atAuthority = await HolderAsync("T09");
        Assert.Equal(4, atAuthority.Count);
        foreach (var line in lines)
        {
            var kind = KindName(line.GetProperty("kind"));
            var old = first!.Single(c => c.Kind == kind).Serial;
            Assert.Equal(old, line.GetProperty("previousSerialHex").GetString(), ignoreCase: true);
            var oldAtAuthority = atAuthority.Single(c => string.Equals(c.GetProperty("serial").GetString(), old, StringComparison.OrdinalIgnoreCase));
            Assert.Equal(("revoked", "superseded"), (oldAtAuthority.GetProperty("status").GetString(), oldAtAuthority.GetProperty("revocationReason").GetString()));
            var renewed = atAuthority.Single(c => string.Equals(c.GetProperty("serial").GetString(), line.GetProperty("serialHex").GetString(), StringComparison.OrdinalIgnoreCase));
            Assert.Equal("good", renewed.GetProperty("status").GetString());
            if (kind == "auth")
            {
                Assert.Equal(renewed.GetProperty("certificate").GetString(), Convert.ToBase64String(ReadCard("T09", CertificateSlot.Authentication)));
            }
        }

        using var detail = JsonDocument.Parse(await clerk.Http.GetStringAsync(new Uri("/api/counter/residents/T09", UriKind.Relative)));
        Assert.All(detail.RootElement.GetProperty("issuances").EnumerateArray(), w => Assert.Equal("written", w.GetProperty("state").GetString()));
    }

    /// <summary>
    /// Issue 14, "killing the authority mid-issuance loses nothing acknowledged", across processes: six residents are issued
    /// to at once over the counter's API while the authority process is killed with SIGKILL at a random moment, three
    /// times, and started again. Then every resident whose issuance was not acknowledged comes back once (their half-done
    /// workflows are resolved first: re-asked under the same request id, then revoked). At the end, for every resident:
    /// each acknowledged receipt's certificates are the live ones; at most one live certificate of each kind, and the live
    /// authentication certificate is the one on the card; every certificate the authority holds belongs to exactly one
    /// counter workflow (nothing issued twice, nothing issued behind the counter's back); every workflow is closed, a
    /// written one live, a revoked one revoked with reason unspecified.
    /// </summary>
    [Fact]
    public async Task AuthorityKilledAtRandomMomentsDuringIssuances_AcknowledgedKeptOnceLive_HalfDoneResolvedOnce_NothingDoubleIssued()
    {
        using var clerk = new CounterServer.StaffClient(_counter.BaseAddress);
        await CounterServer.SignInAsInitialAdminAsync(clerk, CounterData, Password);
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var acknowledged = new Dictionary<string, List<(string Kind, string Serial)>>();
        var unanswered = 0;
        for (var round = 0; round < 3; round++)
        {
            var attempts = KillResidents.Where(r => !acknowledged.ContainsKey(r)).Select(r => IssueAsync(clerk, r)).ToList();
            if (attempts.Count == 0)
            {
                break;
            }

            // A random moment while the authority issues, the counter writes cards and records workflows.
            await Task.Delay(random.Next(50, 900));
            await _authority.KillAsync();
            foreach (var (resident, receipt) in await Task.WhenAll(attempts))
            {
                if (receipt is null)
                {
                    unanswered++;
                }
                else
                {
                    acknowledged[resident] = receipt;
                }
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await _authority.StartAsync(timeout.Token);
        }

        Assert.True(unanswered > 0, $"no issuance was cut by a kill (seed {seed}): the test did not test anything");

        // Each resident left without an answer comes back once: the half-done workflows are resolved before anything else.
        foreach (var resident in KillResidents.Where(r => !acknowledged.ContainsKey(r)))
        {
            var (_, receipt) = await IssueAsync(clerk, resident);
            if (receipt is not null)
            {
                acknowledged[resident] = receipt;
            }
        }

        var problems = new List<string>();
        foreach (var resident in KillResidents)
        {
            var atAuthority = await HolderAsync(resident);
            var live = atAuthority.Where(c => c.GetProperty("status").GetString() == "good").ToList();
            using var detail = JsonDocument.Parse(await clerk.Http.GetStringAsync(new Uri("/api/counter/residents/" + resident, UriKind.Relative)));
            var workflows = detail.RootElement.GetProperty("issuances").EnumerateArray().ToList();
            var open = workflows.Where(w => w.GetProperty("state").GetString() is "intended" or "issued" or "writing" or "superseding").ToList();
            if (open.Count > 0)
            {
                problems.Add($"{resident}: {open.Count} workflow(s) still open");
            }

            // Nothing issued twice or behind the counter's back: the authority's certificates are exactly the workflows' serials.
            var serialsAtAuthority = atAuthority.Select(c => c.GetProperty("serial").GetString()!.ToUpperInvariant()).Order().ToList();
            var serialsOfWorkflows = workflows.Where(w => w.GetProperty("serialHex").GetString() is not null).Select(w => w.GetProperty("serialHex").GetString()!.ToUpperInvariant()).Order().ToList();
            if (!serialsAtAuthority.SequenceEqual(serialsOfWorkflows))
            {
                problems.Add($"{resident}: authority holds [{string.Join(", ", serialsAtAuthority)}], workflows name [{string.Join(", ", serialsOfWorkflows)}]");
            }

            foreach (var w in workflows.Where(w => w.GetProperty("serialHex").GetString() is not null))
            {
                var serial = w.GetProperty("serialHex").GetString()!;
                var certificate = atAuthority.SingleOrDefault(c => string.Equals(c.GetProperty("serial").GetString(), serial, StringComparison.OrdinalIgnoreCase));
                var state = w.GetProperty("state").GetString();
                var status = certificate.ValueKind == JsonValueKind.Undefined ? "missing" : certificate.GetProperty("status").GetString();
                if ((state, status) is not (("written", "good") or ("revoked", "revoked")))
                {
                    problems.Add($"{resident}: workflow {state} for {serial}, the authority says {status}");
                }

                if (state == "revoked" && certificate.ValueKind != JsonValueKind.Undefined && certificate.GetProperty("revocationReason").GetString() != "unspecified")
                {
                    problems.Add($"{resident}: {serial} revoked {certificate.GetProperty("revocationReason").GetString()}, not unspecified");
                }
            }

            foreach (var kind in new[] { "sign", "auth" })
            {
                if (live.Count(c => c.GetProperty("kind").GetString() == kind) > 1)
                {
                    problems.Add($"{resident}: more than one live {kind} certificate");
                }
            }

            if (live.SingleOrDefault(c => c.GetProperty("kind").GetString() == "auth") is { ValueKind: JsonValueKind.Object } liveAuth
                && liveAuth.GetProperty("certificate").GetString() != Convert.ToBase64String(ReadCard(resident, CertificateSlot.Authentication)))
            {
                problems.Add($"{resident}: the live authentication certificate is not the one on the card");
            }

            if (acknowledged.TryGetValue(resident, out var receipt))
            {
                var liveSerials = live.Select(c => (c.GetProperty("kind").GetString()!, c.GetProperty("serial").GetString()!.ToUpperInvariant())).Order();
                var receiptSerials = receipt.Select(c => (c.Kind, c.Serial.ToUpperInvariant())).Order();
                if (!liveSerials.SequenceEqual(receiptSerials))
                {
                    problems.Add($"{resident}: acknowledged [{string.Join(", ", receiptSerials)}] but live [{string.Join(", ", liveSerials)}]");
                }
            }
        }

        Assert.True(problems.Count == 0, $"seed {seed}, {unanswered} unanswered, {acknowledged.Count} acknowledged:\n" + string.Join("\n", problems) + "\n" + _counter.LogTail);
        Assert.True(acknowledged.Count > 0, $"seed {seed}: nothing was ever acknowledged");
    }

    /// <summary>
    /// Issue 14's crash window across processes: a real <c>jpki serve --role counter</c> is SIGKILLed while it issues, once
    /// between the card write and the workflow's state change (T10: the authentication certificate is on the card), once
    /// between the writing mark and the card write (T11: it is not), paused there by <c>JPKI_TEST_ISSUANCE_PAUSE</c>. A new
    /// counter process, when the clerk presents each card again, reads it back: T10's certificate completes as written
    /// (live at the authority, GOOD over OCSP, in no CRL; the new request is a renewal, too early), T11's is revoked
    /// unspecified (REVOKED over OCSP, in the authority's CRL or delta CRL) and the resident is issued at once.
    /// </summary>
    [Fact]
    public async Task CounterKilledInTheCrashWindow_RestartedCounterReadsTheCardBack_CompletesOrRevokes_OcspAndCrlAgree()
    {
        using (var clerk = new CounterServer.StaffClient(_counter.BaseAddress))
        {
            await CounterServer.SignInAsInitialAdminAsync(clerk, CounterData, Password);
        }

        await _counter.KillAsync();
        var serials = new Dictionary<string, string>();
        foreach (var (resident, step) in new[] { ("T10", "written"), ("T11", "writing") })
        {
            var signal = Path.Combine(_root, resident + ".paused");
            using var paused = new JpkiServerProcess(CounterData, JpkiServerProcess.FreePort(),
                new Dictionary<string, string> { ["JPKI_COUNTER_ALWAYS_OPEN"] = "1", ["JPKI_TEST_ISSUANCE_PAUSE"] = step + ":" + signal }, CounterArguments());
            using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
            {
                await paused.StartAsync(timeout.Token);
            }

            using var clerk = new CounterServer.StaffClient(paused.BaseAddress);
            await SignInAsync(clerk);
            var issuing = IssueAsync(clerk, resident);
            var waited = TimeProvider.System.GetTimestamp();
            while (!File.Exists(signal))
            {
                Assert.True(TimeProvider.System.GetElapsedTime(waited) < TimeSpan.FromMinutes(1), $"{resident}: the issuance never reached {step}\n{paused.LogTail}");
                await Task.Delay(50); // polling interval of a bounded wait for the other process's signal file
            }

            Assert.Equal("auth", await File.ReadAllTextAsync(signal)); // the authentication certificate comes first
            await paused.KillAsync();
            Assert.Null((await issuing).Receipt);

            var pending = (await HolderAsync(resident)).Single();
            Assert.Equal("good", pending.GetProperty("status").GetString()); // issued, live, and nobody knows yet whether the card has it
            serials[resident] = pending.GetProperty("serial").GetString()!;
        }

        Assert.Equal(serials["T10"].TrimStart('0').ToUpperInvariant(), SerialOnCard("T10"));
        Assert.Null(ReadCardOrNull("T11", CertificateSlot.Authentication));

        var restarted = new JpkiServerProcess(CounterData, JpkiServerProcess.FreePort(), new Dictionary<string, string> { ["JPKI_COUNTER_ALWAYS_OPEN"] = "1" }, CounterArguments());
        _counter.Dispose();
        _counter = restarted;
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
        {
            await restarted.StartAsync(timeout.Token);
        }

        using var again = new CounterServer.StaffClient(restarted.BaseAddress);
        await SignInAsync(again);
        // T10 presents the card: the certificate is on it — written; the new request is a renewal, too early.
        using (var t10 = await again.Http.PostAsJsonAsync("/api/counter/issue", CounterApiTests.Issue("T10", "file:T10.jpkicard")))
        {
            var body = await t10.Content.ReadAsStringAsync();
            Assert.True(!t10.IsSuccessStatusCode && body.Contains("renewal-too-early", StringComparison.Ordinal), $"{(int)t10.StatusCode} {body}\n{restarted.LogTail}");
        }

        // T11 presents the card: not on it — revoked unspecified, and the issuance goes on at once.
        var (_, t11) = await IssueAsync(again, "T11");
        Assert.True(t11 is not null, restarted.LogTail);

        var t10Certificates = await HolderAsync("T10");
        Assert.Equal("good", t10Certificates.Single().GetProperty("status").GetString());
        var lost = (await HolderAsync("T11")).Single(c => string.Equals(c.GetProperty("serial").GetString(), serials["T11"], StringComparison.OrdinalIgnoreCase));
        Assert.Equal(("revoked", "unspecified"), (lost.GetProperty("status").GetString(), lost.GetProperty("revocationReason").GetString()));
        foreach (var (resident, state) in new[] { ("T10", "written"), ("T11", "revoked") })
        {
            using var detail = JsonDocument.Parse(await again.Http.GetStringAsync(new Uri("/api/counter/residents/" + resident, UriKind.Relative)));
            var workflow = detail.RootElement.GetProperty("issuances").EnumerateArray().Single(w => string.Equals(w.GetProperty("serialHex").GetString(), serials[resident], StringComparison.OrdinalIgnoreCase));
            Assert.Equal(state, workflow.GetProperty("state").GetString());
        }

        // The authority's OCSP and CRLs say the same.
        using var http = new HttpClient { BaseAddress = _authority.BaseAddress };
        var authCa = await http.GetByteArrayAsync(new Uri("/ca/auth.cer", UriKind.Relative));
        Assert.IsType<Org.BouncyCastle.Ocsp.RevokedStatus>(await OcspStatusAsync(http, authCa, serials["T11"]));
        Assert.Null(await OcspStatusAsync(http, authCa, serials["T10"]));
        var key = new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificate(authCa).GetPublicKey();
        var waitedForCrl = TimeProvider.System.GetTimestamp();
        while (true)
        {
            var listed = new HashSet<string>(StringComparer.Ordinal);
            foreach (var path in new[] { "/crl/auth.crl", "/crl/auth-delta.crl" })
            {
                using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var crl = new Org.BouncyCastle.X509.X509CrlParser().ReadCrl(await response.Content.ReadAsByteArrayAsync());
                    crl.Verify(key);
                    listed.UnionWith((crl.GetRevokedCertificates() ?? new HashSet<Org.BouncyCastle.X509.X509CrlEntry>()).Select(e => e.SerialNumber.ToString(16).ToUpperInvariant()));
                }
            }

            Assert.DoesNotContain(serials["T10"].TrimStart('0').ToUpperInvariant(), listed);
            if (listed.Contains(serials["T11"].TrimStart('0').ToUpperInvariant()))
            {
                break;
            }

            Assert.True(TimeProvider.System.GetElapsedTime(waitedForCrl) < TimeSpan.FromMinutes(3), "T11's revocation is in neither the auth CRL nor its delta after 3 minutes");
            await Task.Delay(500); // polling interval of a bounded wait for the authority's background publisher
        }
    }

    private string[] CounterArguments() =>
        ["--role", "counter", "--authority", _authority.BaseAddress.ToString(), "--ra-key-file", RaKeyFile, "--card-master-key-file", CardKeyFile];

    /// <summary>Signs in as the admin whose password the first sign-in chose.</summary>
    private static async Task SignInAsync(CounterServer.StaffClient clerk)
    {
        await clerk.RefreshCsrfAsync();
        using (var login = await clerk.Http.PostAsJsonAsync("/api/counter/session", new { id = "admin", password = Password }))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }

        await clerk.RefreshCsrfAsync();
    }

    private static async Task<object?> OcspStatusAsync(HttpClient http, byte[] caDer, string serialHex)
    {
        using var content = new ByteArrayContent(Jpki.Authority.Tests.Support.OcspClient.Request(caDer, serialHex));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/ocsp-request");
        using var response = await http.PostAsync(new Uri("/ocsp", UriKind.Relative), content);
        var (single, _) = Jpki.Authority.Tests.Support.OcspClient.Read(await response.Content.ReadAsByteArrayAsync(), caDer);
        return single.GetCertStatus();
    }

    private string SerialOnCard(string id)
    {
        using var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(ReadCard(id, CertificateSlot.Authentication));
        return certificate.SerialNumber.TrimStart('0');
    }

    private byte[]? ReadCardOrNull(string id, CertificateSlot slot)
    {
        using var card = VirtualCard.Open(Path.Combine(CounterData, "cards", id + ".jpkicard"));
        using var transport = new InProcessTransport(card);
        return new JpkiCardClient(transport).ReadCertificate(slot);
    }

    /// <summary>One issuance of both certificates over the counter API: the receipt's (kind, serial) when it answered 200, else null.</summary>
    private static async Task<(string Resident, List<(string Kind, string Serial)>? Receipt)> IssueAsync(CounterServer.StaffClient clerk, string resident)
    {
        try
        {
            using var response = await clerk.Http.PostAsJsonAsync("/api/counter/issue", CounterApiTests.Issue(resident, $"file:{resident}.jpkicard"));
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return (resident, null);
            }

            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            return (resident, [.. body.GetProperty("certificates").EnumerateArray().Select(c => (KindName(c.GetProperty("kind")), c.GetProperty("serialHex").GetString()!))]);
        }
        catch (HttpRequestException)
        {
            return (resident, null);
        }
    }

    private static string KindName(JsonElement kind) => kind.ValueKind == JsonValueKind.Number
        ? (kind.GetInt32() == (int)CertificateKind.Signature ? "sign" : "auth")
        : kind.GetString() is "Signature" or "sign" ? "sign" : "auth";

    /// <summary>Writes the resident and the card to the counter's store (before the counter process starts) and makes the card file.</summary>
    private async Task RegisterResidentWithCardAsync(string id, DateOnly? cardExpiry = null)
    {
        var expiry = cardExpiry ?? new DateOnly(2035, 2, 17);
        var number = "OJT" + id.PadLeft(13, '0');
        await using (var store = CounterStores.OpenSqlite(Path.Combine(CounterData, CounterStores.DefaultFileName)))
        {
            await store.MigrateAsync(default);
            await store.AddResidentsAsync([new Resident(id, "山田　太郎", "ヤマダ　タロウ", "東京都千代田区千代田１－１", new DateOnly(1980, 2, 17), Sex.Male, false, "H-" + id)], default);
            await store.SaveCardAsync(new ResidentCard(number, id, CardKind.MyNumberCard, expiry), default);
        }

        var path = Path.Combine(CounterData, "cards", id + ".jpkicard");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var key = CardManagementKey.Derive(CardMasterKey.Read(CardKeyFile), number);
        using var card = VirtualCard.Create(path, new VirtualCardSpec(number, id, CardKind.MyNumberCard, expiry), key);
        using var transport = new InProcessTransport(card);
        new CardIssuerClient(new JpkiCardClient(transport), key, number).SetPin(PinKind.CardPin, CounterServer.CardPin);
    }

    private byte[] ReadCard(string id, CertificateSlot slot)
    {
        using var card = VirtualCard.Open(Path.Combine(CounterData, "cards", id + ".jpkicard"));
        using var transport = new InProcessTransport(card);
        return new JpkiCardClient(transport).ReadCertificate(slot)!;
    }

    /// <summary>The holder's certificates as the authority's registration-authority API answers them.</summary>
    private async Task<List<JsonElement>> HolderAsync(string holder)
    {
        using var http = new HttpClient { BaseAddress = _authority.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/authority/certificates?holderId=" + holder);
        request.Headers.Add("X-Jpki-RA-Key", (await File.ReadAllTextAsync(RaKeyFile)).Trim());
        using var response = await http.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return [.. (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray()];
    }
}
