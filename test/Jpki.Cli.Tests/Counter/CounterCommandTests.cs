using System.Text;
using System.Text.Json;
using Jpki.Card.Client;
using Jpki.Card.Issuer;
using Jpki.Card.Transport;
using Jpki.Card.Virtual;
using Jpki.Core.Identity;
using Jpki.Core.Pins;
using Jpki.Core.Time;
using Jpki.Municipality.Cards;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Cli.Tests.Counter;

/// <summary>
/// <c>jpki counter …</c> in-process on a temp data folder (test authority created by the first command), a virtual card
/// file in <c>cards/</c>, and a clock on Wednesday 2026-06-10 10:00 JST (office open).
/// </summary>
public sealed class CounterCommandTests : IDisposable
{
    private const string Csv =
        "id,name,name_kana,address,date_of_birth,sex,under_guardianship,household_id\n" +
        "R1,山田　太郎,ヤマダ　タロウ,東京都千代田区千代田１－１,1980-02-17,1,0,H1\n" +
        "R2,鈴木　花子,スズキ　ハナコ,東京都千代田区丸の内２－２,1990-05-01,2,0,H2\n";

    private const string Pins = "1234\nSECRET9X\n8642\n";

    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("jpki-cli-counter-");
    private readonly FakeTimeProvider _clock = new(JapanTime.At(new DateOnly(2026, 6, 10), new TimeOnly(10, 0)));

    private string CardFile => Path.Combine(_data.FullName, "cards", "r1.jpkicard");

    public void Dispose() => _data.Delete(recursive: true);

    [Fact]
    public async Task ResidentsImport_ValidCsv_ImportedAndSearchable()
    {
        await ImportAsync();

        var (code, stdout, _) = await RunAsync("", "counter", "residents", "search", "--text", "スズキ", "--data", _data.FullName, "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("R2", json.RootElement.GetProperty("residents")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task ResidentsImport_BadLine_Exit1NothingImported()
    {
        var file = Path.Combine(_data.FullName, "bad.csv");
        await File.WriteAllTextAsync(file, Csv + "R3,,ア,住所,2000-01-01,1,0,H3\n");

        var (code, stdout, _) = await RunAsync("", "counter", "residents", "import", "--file", file, "--data", _data.FullName, "--json");

        Assert.Equal(1, code);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(0, json.RootElement.GetProperty("imported").GetInt32());
        Assert.Equal(4, json.RootElement.GetProperty("errors")[0].GetProperty("line").GetInt32());
        Assert.Equal(1, (await RunAsync("", "counter", "residents", "show", "--resident", "R1", "--data", _data.FullName)).ExitCode);
    }

    [Fact]
    public async Task Issue_VirtualCard_ReceiptShowMoveRevokesSignJournalAndReport()
    {
        await ImportAndRegisterCardAsync();

        var issued = await RunAsync(Pins, "counter", "issue", "--resident", "R1", "--card", CardFile, "--identity-checked", "--staff", "clerk7", "--data", _data.FullName, "--json");

        Assert.True(issued.ExitCode == 0, issued.Stdout + issued.Stderr);
        Assert.DoesNotContain("SECRET9X", issued.Stdout + issued.Stderr, StringComparison.OrdinalIgnoreCase);
        using (var receipt = JsonDocument.Parse(issued.Stdout))
        {
            Assert.Equal(2, receipt.RootElement.GetProperty("certificates").GetArrayLength());
            Assert.Equal("2031-02-17", receipt.RootElement.GetProperty("certificates")[0].GetProperty("expiresOn").GetString());
        }

        var moved = await RunAsync("", "counter", "change", "--resident", "R1", "--kind", "move", "--address", "東京都千代田区丸の内２－２", "--data", _data.FullName, "--json");
        Assert.True(moved.ExitCode == 0, moved.Stdout + moved.Stderr);
        using (var change = JsonDocument.Parse(moved.Stdout))
        {
            Assert.True(change.RootElement.GetProperty("allDone").GetBoolean());
            Assert.Equal("Signature", change.RootElement.GetProperty("revocations")[0].GetProperty("kind").GetString());
        }

        var shown = await RunAsync("", "counter", "residents", "show", "--resident", "R1", "--data", _data.FullName, "--json");
        using (var show = JsonDocument.Parse(shown.Stdout))
        {
            var certificates = show.RootElement.GetProperty("certificates").EnumerateArray().ToList();
            Assert.Equal(2, certificates.Count);
            Assert.True(certificates.Single(c => c.GetProperty("kind").GetString() == "Signature").GetProperty("revoked").GetBoolean());
            Assert.False(certificates.Single(c => c.GetProperty("kind").GetString() == "Authentication").GetProperty("revoked").GetBoolean());
            Assert.Equal("東京都千代田区丸の内２－２", show.RootElement.GetProperty("resident").GetProperty("address").GetString());
        }

        var journal = await RunAsync("", "counter", "journal", "--data", _data.FullName, "--json");
        Assert.Equal(0, journal.ExitCode);
        Assert.Contains("\"clerk7\"", journal.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET9X", journal.Stdout, StringComparison.OrdinalIgnoreCase);
        var report = await RunAsync("", "counter", "report", "--date", "2026-06-10", "--data", _data.FullName, "--json");
        using (var daily = JsonDocument.Parse(report.Stdout))
        {
            Assert.Equal(2, daily.RootElement.GetProperty("certificatesIssued").GetInt32());
        }

        var revoked = await RunAsync("", "counter", "revoke", "--resident", "R1", "--which", "auth", "--identity-checked", "--data", _data.FullName, "--json");
        Assert.True(revoked.ExitCode == 0, revoked.Stdout + revoked.Stderr);
        var again = await RunAsync("", "counter", "revoke", "--resident", "R1", "--identity-checked", "--data", _data.FullName, "--json");
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("no-certificate", again.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, Pins, 1, "identity-not-checked")]
    [InlineData(true, "9999\nSECRET9X\n8642\n", 1, "card-pin-wrong")]
    [InlineData(true, "1234\nshort\n8642\n", 1, "pin-")]
    [InlineData(true, "1234\n", 2, "bad-input")]
    public async Task Issue_Refusals_ExitCodeAndCode(bool identity, string stdin, int exit, string code)
    {
        await ImportAndRegisterCardAsync();
        var args = new List<string> { "counter", "issue", "--resident", "R1", "--card", CardFile, "--data", _data.FullName, "--json" };
        if (identity)
        {
            args.Add("--identity-checked");
        }

        var (actual, stdout, _) = await RunAsync(stdin, [.. args]);

        Assert.Equal(exit, actual);
        Assert.Contains(code, stdout, StringComparison.Ordinal);
        using var card = VirtualCard.Open(CardFile);
        using var transport = new InProcessTransport(card);
        Assert.Null(new JpkiCardClient(transport).ReadCertificate(CertificateSlot.Authentication));
    }

    [Fact]
    public async Task Issue_PinOnCommandLineOrTwoCards_RejectedAsUsage()
    {
        await ImportAndRegisterCardAsync();

        Assert.Equal(2, (await RunAsync(Pins, "counter", "issue", "--resident", "R1", "--card", CardFile, "--card-pin", "1234", "--data", _data.FullName)).ExitCode);
        Assert.Equal(2, (await RunAsync(Pins, "counter", "issue", "--resident", "R1", "--card", CardFile, "--reader", "X", "--data", _data.FullName)).ExitCode);
        Assert.Equal(2, (await RunAsync(Pins, "counter", "issue", "--resident", "R1", "--card", Path.Combine(_data.FullName, "none.jpkicard"), "--data", _data.FullName)).ExitCode);
    }

    [Fact]
    public async Task Issue_PinsFromEnvironment_IssuedThenPinResetFromStdin()
    {
        await ImportAndRegisterCardAsync();
        Environment.SetEnvironmentVariable("JPKI_CT_CARD", "1234");
        Environment.SetEnvironmentVariable("JPKI_CT_SIGN", "SECRET9X");
        Environment.SetEnvironmentVariable("JPKI_CT_AUTH", "8642");

        var issued = await RunAsync("", "counter", "issue", "--resident", "R1", "--card-id", "file:r1.jpkicard", "--identity-checked",
            "--card-pin-env", "JPKI_CT_CARD", "--sign-password-env", "JPKI_CT_SIGN", "--auth-pin-env", "JPKI_CT_AUTH", "--data", _data.FullName);
        Assert.True(issued.ExitCode == 0, issued.Stdout + issued.Stderr);

        var reset = await RunAsync("1357\n", "counter", "pin-reset", "--resident", "R1", "--which", "auth", "--card", CardFile, "--identity-checked", "--data", _data.FullName, "--json");

        Assert.True(reset.ExitCode == 0, reset.Stdout + reset.Stderr);
        using var card = VirtualCard.Open(CardFile);
        using var transport = new InProcessTransport(card);
        Assert.True(new JpkiCardClient(transport).Verify(PinKind.AuthenticationPin, "1357").Verified);
    }

    [Fact]
    public async Task PinUnblock_NextGenerationCardFromCardNewWithPuk_WrongPukTriesLeftThenUnblockedRsaCardRefused()
    {
        await ImportAsync();
        var nextgen = Path.Combine(_data.FullName, "cards", "ng.jpkicard");
        Directory.CreateDirectory(Path.GetDirectoryName(nextgen)!);
        Environment.SetEnvironmentVariable("JPKI_CT_PUK", "20261205");
        Environment.SetEnvironmentVariable("JPKI_CT_CARDPIN", "1234");
        var created = await RunAsync("", "card", "new", "--profile", "nextgen", "--out", nextgen, "--number", "OJCLING000000001", "--holder", "R1",
            "--card-pin-env", "JPKI_CT_CARDPIN", "--puk-env", "JPKI_CT_PUK", "--json");
        Assert.True(created.ExitCode == 0, created.Stdout + created.Stderr);
        Assert.True(JsonDocument.Parse(created.Stdout).RootElement.GetProperty("pukSet").GetBoolean());
        Assert.DoesNotContain("20261205", created.Stdout + created.Stderr, StringComparison.Ordinal);
        var registered = await RunAsync("", "counter", "residents", "register-card", "--resident", "R1", "--card", nextgen, "--data", _data.FullName);
        Assert.True(registered.ExitCode == 0, registered.Stdout + registered.Stderr);

        var wrong = await RunAsync("11112222\nNEWPW42\n", "counter", "pin-unblock", "--resident", "R1", "--which", "sign", "--card", nextgen, "--identity-checked", "--data", _data.FullName, "--json");
        Assert.Equal(1, wrong.ExitCode);
        using (var refusal = JsonDocument.Parse(wrong.Stdout))
        {
            Assert.Equal("puk-wrong", refusal.RootElement.GetProperty("error").GetString());
            Assert.Equal(9, refusal.RootElement.GetProperty("triesLeft").GetInt32());
        }

        var unblocked = await RunAsync("", "counter", "pin-unblock", "--resident", "R1", "--which", "sign", "--card", nextgen, "--identity-checked",
            "--puk-env", "JPKI_CT_PUK", "--new-pin-env", "JPKI_CT_SIGN_NEW", "--data", _data.FullName, "--json");
        Assert.Equal(2, unblocked.ExitCode); // the variable is not set: bad input, nothing sent to the card
        Environment.SetEnvironmentVariable("JPKI_CT_SIGN_NEW", "newpw42");
        unblocked = await RunAsync("", "counter", "pin-unblock", "--resident", "R1", "--which", "sign", "--card", nextgen, "--identity-checked",
            "--puk-env", "JPKI_CT_PUK", "--new-pin-env", "JPKI_CT_SIGN_NEW", "--data", _data.FullName, "--json", "--log-level", "Information");
        Assert.True(unblocked.ExitCode == 0, unblocked.Stdout + unblocked.Stderr);
        Assert.Contains("PUK unblock at the counter", unblocked.Stderr, StringComparison.Ordinal); // event 3128 on stderr
        Assert.DoesNotContain("20261205", unblocked.Stdout + unblocked.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("newpw42", unblocked.Stdout + unblocked.Stderr, StringComparison.OrdinalIgnoreCase);
        using (var card = VirtualCard.Open(nextgen))
        using (var transport = new InProcessTransport(card))
        {
            // Uppercased as every client sends it (JPKI-REFERENCE §5).
            Assert.True(new JpkiCardClient(transport).Verify(PinKind.SignaturePassword, "NEWPW42").Verified);
        }

        var journal = await RunAsync("", "counter", "journal", "--data", _data.FullName);
        Assert.DoesNotContain("20261205", journal.Stdout, StringComparison.Ordinal);

        var today = Path.Combine(_data.FullName, "cards", "r2.jpkicard");
        Assert.Equal(0, (await RunAsync("", "card", "new", "--out", today, "--number", "OJCLIRSA00000002", "--holder", "R2", "--card-pin-env", "JPKI_CT_CARDPIN")).ExitCode);
        Assert.Equal(0, (await RunAsync("", "counter", "residents", "register-card", "--resident", "R2", "--card", today, "--data", _data.FullName)).ExitCode);
        var rsa = await RunAsync("11112222\nNEWPW42\n", "counter", "pin-unblock", "--resident", "R2", "--which", "sign", "--card", today, "--identity-checked", "--data", _data.FullName, "--json");
        Assert.Equal(1, rsa.ExitCode);
        Assert.Equal("card-has-no-puk", JsonDocument.Parse(rsa.Stdout).RootElement.GetProperty("error").GetString());

        var noPuk = await RunAsync("", "card", "new", "--out", Path.Combine(_data.FullName, "rsa2.jpkicard"), "--puk-env", "JPKI_CT_PUK");
        Assert.Equal(2, noPuk.ExitCode);
        Assert.Contains("has no PUK", noPuk.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_ThirdPartyWithoutSupervisor_Refused()
    {
        await ImportAndRegisterCardAsync();

        var (code, stdout, _) = await RunAsync("", "counter", "revoke", "--resident", "R1", "--identity-checked", "--third-party", "--data", _data.FullName, "--json");

        Assert.Equal(1, code);
        Assert.Contains("supervisor-required", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Proxy_RequestWritesPdf_SameDayRefused_NextDayIssues()
    {
        await ImportAndRegisterCardAsync();
        var letter = Path.Combine(_data.FullName, "letter.pdf");

        var missing = await RunAsync("", "counter", "proxy", "request", "--resident", "R1", "--proxy-name", "代理　花子", "--proxy-id-document", "運転免許証",
            "--identity-checked", "--application", "--out", letter, "--data", _data.FullName, "--json");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("proxy-documents-missing", missing.Stdout, StringComparison.Ordinal);

        var requested = await RunAsync("", "counter", "proxy", "request", "--resident", "R1", "--proxy-name", "代理　花子", "--proxy-id-document", "運転免許証",
            "--identity-checked", "--application", "--power-of-attorney", "--out", letter, "--data", _data.FullName, "--json");
        Assert.True(requested.ExitCode == 0, requested.Stdout + requested.Stderr);
        Assert.Equal("%PDF", Encoding.ASCII.GetString(File.ReadAllBytes(letter), 0, 4));
        string reference;
        using (var json = JsonDocument.Parse(requested.Stdout))
        {
            reference = json.RootElement.GetProperty("reference").GetString()!;
        }

        var sameDay = await RunAsync(Pins, "counter", "proxy", "complete", "--reference", reference, "--card", CardFile, "--identity-checked", "--data", _data.FullName, "--json");
        Assert.Equal(1, sameDay.ExitCode);
        Assert.Contains("proxy-same-day", sameDay.Stdout, StringComparison.Ordinal);

        _clock.Advance(TimeSpan.FromDays(1));
        var completed = await RunAsync(Pins, "counter", "proxy", "complete", "--reference", reference, "--card", CardFile, "--identity-checked", "--data", _data.FullName, "--json");
        Assert.True(completed.ExitCode == 0, completed.Stdout + completed.Stderr);
        using (var receipt = JsonDocument.Parse(completed.Stdout))
        {
            Assert.True(receipt.RootElement.GetProperty("byProxy").GetBoolean());
        }

        var reprint = await RunAsync("", "counter", "proxy", "letter", "--reference", "0000-0000-0000-0001", "--out", letter, "--data", _data.FullName, "--json");
        Assert.Equal(1, reprint.ExitCode);
    }

    [Fact]
    public async Task Cards_ListsTheVirtualCardFile()
    {
        await ImportAndRegisterCardAsync();

        var (code, stdout, _) = await RunAsync("", "counter", "cards", "--data", _data.FullName, "--json");

        Assert.Equal(0, code);
        Assert.Contains("file:r1.jpkicard", stdout, StringComparison.Ordinal);
        Assert.Contains("OJCLI00000000001", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Issue_LogsTheCountersCardsAndAuthoritysEventsOnStderr_AtTheLevelAsked_NeverPersonalData()
    {
        await ImportAndRegisterCardAsync();

        // A wrong card PIN: the virtual card logs the try (2101), the counter its refusal (3110) — on stderr, at Information by default.
        var wrong = await RunAsync("9999\nSECRET9X\n8642\n", "counter", "issue", "--resident", "R1", "--card", CardFile, "--identity-checked", "--staff", "clerk7", "--data", _data.FullName, "--json");
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("Jpki.Card[2101]", wrong.Stderr, StringComparison.Ordinal);
        Assert.Contains("[3110] Issuance at the counter by clerk7: card-pin-wrong", wrong.Stderr, StringComparison.Ordinal);

        // Warning and above only: the issuance logs nothing; the result alone is on stdout.
        var quiet = await RunAsync(Pins, "counter", "issue", "--resident", "R1", "--card", CardFile, "--identity-checked", "--staff", "clerk7", "--data", _data.FullName, "--json", "--log-level", "Warning");
        Assert.True(quiet.ExitCode == 0, quiet.Stdout + quiet.Stderr);
        Assert.DoesNotContain("[3110]", quiet.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("[4120]", quiet.Stderr, StringComparison.Ordinal);
        using var receipt = JsonDocument.Parse(quiet.Stdout);

        // At Debug, a revocation logs the counter's event (3114) and the in-process authority's (4124) with the serial.
        var serial = receipt.RootElement.GetProperty("certificates")[0].GetProperty("serial").GetString()!;
        var revoked = await RunAsync("", "counter", "revoke", "--resident", "R1", "--which", "sign", "--identity-checked", "--staff", "clerk7", "--data", _data.FullName, "--json", "--log-level", "Debug");
        Assert.True(revoked.ExitCode == 0, revoked.Stdout + revoked.Stderr);
        Assert.Contains("[3114] Revocation on the holder's request by clerk7: ok", revoked.Stderr, StringComparison.Ordinal);
        Assert.Contains("[4124] Certificate revoked:", revoked.Stderr, StringComparison.Ordinal);
        Assert.StartsWith("{", revoked.Stdout.TrimStart(), StringComparison.Ordinal);

        string[] personal = ["山田", "太郎", "ヤマダ", "千代田１", "1980-02-17", "SECRET9X", "8642", "9999", "R1"];
        var all = wrong.Stderr + quiet.Stderr + revoked.Stderr;
        Assert.All(personal, p => Assert.DoesNotContain(p, all, StringComparison.Ordinal));
        Assert.NotEmpty(serial);
    }

    [Fact]
    public async Task LogLevel_NotALevel_Exit2()
    {
        var result = await RunAsync("", "counter", "journal", "--data", _data.FullName, "--log-level", "Loud");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--log-level", result.Stderr, StringComparison.Ordinal);
    }

    private async Task ImportAsync()
    {
        var file = Path.Combine(_data.FullName, "residents.csv");
        await File.WriteAllTextAsync(file, Csv);
        var imported = await RunAsync("", "counter", "residents", "import", "--file", file, "--data", _data.FullName);
        Assert.True(imported.ExitCode == 0, imported.Stdout + imported.Stderr);
    }

    /// <summary>Imports R1, R2 and creates R1's card as delivered (card PIN 1234, JPKI-AP blank), registered to R1.</summary>
    private async Task ImportAndRegisterCardAsync()
    {
        await ImportAsync();
        const string number = "OJCLI00000000001";
        Directory.CreateDirectory(Path.GetDirectoryName(CardFile)!);
        using (var key = CardManagementKey.Derive(CardMasterKey.Development(), number))
        using (var card = VirtualCard.Create(CardFile, new VirtualCardSpec(number, "R1", CardKind.MyNumberCard, new DateOnly(2035, 2, 17)), key))
        using (var transport = new InProcessTransport(card))
        {
            new CardIssuerClient(new JpkiCardClient(transport), key, number).SetPin(PinKind.CardPin, "1234");
        }

        var registered = await RunAsync("", "counter", "residents", "register-card", "--resident", "R1", "--card", CardFile, "--data", _data.FullName);
        Assert.True(registered.ExitCode == 0, registered.Stdout + registered.Stderr);
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string stdin, params string[] args)
    {
        using var input = new StringReader(stdin);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await JpkiCommand.InvokeAsync(args, stdout, stderr, _clock, input);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
