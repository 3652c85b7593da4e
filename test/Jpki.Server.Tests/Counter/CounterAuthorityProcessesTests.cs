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
        await RegisterResidentWithCardAsync("T01");
        await RegisterResidentWithCardAsync("T02");
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

    /// <summary>Writes the resident and the card to the counter's store (before the counter process starts) and makes the card file.</summary>
    private async Task RegisterResidentWithCardAsync(string id)
    {
        var number = "OJT" + id.PadLeft(13, '0');
        await using (var store = CounterStores.OpenSqlite(Path.Combine(CounterData, CounterStores.DefaultFileName)))
        {
            await store.MigrateAsync(default);
            await store.AddResidentsAsync([new Resident(id, "山田　太郎", "ヤマダ　タロウ", "東京都千代田区千代田１－１", new DateOnly(1980, 2, 17), Sex.Male, false, "H-" + id)], default);
            await store.SaveCardAsync(new ResidentCard(number, id, CardKind.MyNumberCard, new DateOnly(2035, 2, 17)), default);
        }

        var path = Path.Combine(CounterData, "cards", id + ".jpkicard");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var key = CardManagementKey.Derive(CardMasterKey.Read(CardKeyFile), number);
        using var card = VirtualCard.Create(path, new VirtualCardSpec(number, id, CardKind.MyNumberCard, new DateOnly(2035, 2, 17)), key);
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
