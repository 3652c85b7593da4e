using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Jpki.Core.Pins;
using Jpki.Municipality.Applications;
using Jpki.Municipality.Cards;
using Jpki.Municipality.Issuance;

namespace Jpki.Municipality.Tests.Cards;

/// <summary>
/// The PUK at the counter with a next-generation card in a PC/SC reader (a private pcscd, vpcd reader "JPKI PUK PCD" on
/// CHANNELID 0x8CA3), judged by OpenSC's <c>opensc-tool</c> sending its own APDUs to the same reader: it blocks the PIN,
/// then sees the counter's unblock (full tries, the new PIN verifies) or the counter's refusal (the PIN still blocked, the
/// counter's wrong PUK counted on the card); <c>pkcs15-tool --list-pins</c> shows the tries left the same way.
/// </summary>
public sealed partial class PukPcscReaderTests : IAsyncLifetime
{
    private const string Reader = "JPKI PUK PCD 00 00";
    private const string Puk = "20261205";
    private const string SelectJpki = "00A4040C0AD392F000260100000001";
    private const string SelectSignPin = "00A4020C02001B";
    private const string SelectAuthPin = "00A4020C020018";
    private const string TriesQuery = "00200080";
    private readonly RealCounter _c = new(nextGeneration: true);
    private Jpki.Testing.VirtualCardInReader? _reader;
    private PcscCardSource? _source;

    public async Task InitializeAsync()
    {
        if (!File.Exists("/usr/bin/opensc-tool"))
        {
            Assert.Fail("/usr/bin/opensc-tool is needed: apt-get install opensc");
        }

        await _c.InitializeAsync();
        await _c.AddResidentWithCardAsync("R1");
        _c.SetPuk("R1", Puk);
        _reader = Jpki.Testing.VirtualCardInReader.Start(Path.Combine(_c.DataDirectory, "pcscd"), "JPKI PUK PCD", 0x8CA3, Path.Combine(_c.CardFolder, "R1.jpkicard"));
        _source = new PcscCardSource(CardMasterKey.Development(), async (serial, ct) =>
        {
            var card = await _c.Runtime.Store.FindCardAsync(serial, ct);
            return card is null ? null : new CardInfo(card.CardId, card.Kind, card.ExpiresOn);
        });
        using var opened = await _source.OpenAsync(PcscCardSource.Prefix + Reader, default);
        Assert.Equal(Jpki.Core.Identity.CardGeneration.NextGeneration, (await opened.ReadInfoAsync(default)).Generation);
        var issued = await _c.Runtime.Counter.IssueAsync(_c.Clerk, opened, RealCounter.Request("R1"), default);
        Assert.True(issued.IsAllowed, issued.Message);
    }

    public async Task DisposeAsync()
    {
        if (_reader is not null)
        {
            await _reader.DisposeAsync();
        }

        await _c.DisposeAsync();
    }

    [Fact]
    public async Task UnblockWithPuk_SignPasswordBlockedByOpenScTool_OpenScToolSeesFullTriesAndTheNewPasswordVerifies()
    {
        // opensc-tool spends the five tries of the signature password (the fifth answers 63 C0, then 69 84).
        var blocking = OpenScTool([SelectJpki, SelectSignPin, .. Enumerable.Repeat(Verify("WRONG9"), 6)]);
        Assert.Equal(["9000", "9000", "63C4", "63C3", "63C2", "63C1", "63C0", "6984"], blocking);

        using (var card = await _source!.OpenAsync(PcscCardSource.Prefix + Reader, default))
        {
            using var puk = SecretPin.From(Puk);
            using var pin = SecretPin.From("NEWPW42");
            var outcome = await _c.Runtime.Counter.UnblockWithPukAsync(_c.Clerk, card, new PukUnblockRequest("R1", true, PinKind.SignaturePassword, puk, pin), default);
            Assert.True(outcome.IsAllowed, outcome.Message);
        }

        // The outside tool agrees: five tries again, the old password refused (one try spent), the new one verified.
        Assert.Matches(@"Digital Signature PIN[\s\S]*?Tries left\s*:\s*5", ListPins());
        Assert.Equal(["9000", "9000", "63C5", "63C4", "9000"], OpenScTool(SelectJpki, SelectSignPin, TriesQuery, Verify("ABC123"), Verify("NEWPW42")));
    }

    [Fact]
    public async Task UnblockWithWrongPuk_AuthPinBlocked_RefusedWithTriesLeftAndOpenScToolSeesThePinStillBlockedAndThePukTryCounted()
    {
        Assert.Equal(["9000", "9000", "63C2", "63C1", "63C0", "6984"], OpenScTool([SelectJpki, SelectAuthPin, .. Enumerable.Repeat(Verify("0000"), 4)]));

        using (var card = await _source!.OpenAsync(PcscCardSource.Prefix + Reader, default))
        {
            using var puk = SecretPin.From("11112222");
            using var pin = SecretPin.From("2468");
            var outcome = await _c.Runtime.Counter.UnblockWithPukAsync(_c.Clerk, card, new PukUnblockRequest("R1", true, PinKind.AuthenticationPin, puk, pin), default);
            Assert.Equal(CounterCodes.PukWrong, outcome.Code);
            Assert.Equal(PukPolicy.MaxTries - 1, outcome.Data?.TriesLeft);
        }

        // The PIN is still blocked (its tries query answers 63 C0 and the right PIN is refused 69 84), and the PUK's counter on the card went down by the
        // counter's wrong try: opensc-tool's own wrong RESET RETRY COUNTER answers 63 C8 (10 − 2).
        var after = OpenScTool(SelectJpki, SelectAuthPin, TriesQuery, Verify("5678"), "002C018008" + Convert.ToHexString("33334444"u8));
        Assert.Equal(["9000", "9000", "63C0", "6984", "63C8"], after);
        Assert.Matches(@"User Authentication PIN[\s\S]*?Tries left\s*:\s*0", ListPins());
    }

    /// <summary>OpenSC's PKCS#15 view of the PINs (its JPKI driver asks each PIN's tries with <c>00 20 00 80</c>).</summary>
    private static string ListPins()
    {
        var start = new ProcessStartInfo("/usr/bin/pkcs15-tool") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("--list-pins");
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "pkcs15-tool did not finish within 60 s");
        Assert.True(process.ExitCode == 0, stdout + stderr.Result);
        return stdout;
    }

    private static string Verify(string pin) =>
        "00200080" + pin.Length.ToString("X2", System.Globalization.CultureInfo.InvariantCulture) + Convert.ToHexString(Encoding.ASCII.GetBytes(pin));

    /// <summary>Runs opensc-tool with the APDUs in one card session on the first reader; returns each answer's SW as hex.</summary>
    private static List<string> OpenScTool(params string[] apdus)
    {
        var start = new ProcessStartInfo("/usr/bin/opensc-tool") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-r");
        start.ArgumentList.Add("0");
        foreach (var apdu in apdus)
        {
            start.ArgumentList.Add("-s");
            start.ArgumentList.Add(apdu);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "opensc-tool did not finish within 60 s");
        var sws = SwLine().Matches(stdout).Select(m => (m.Groups[1].Value + m.Groups[2].Value).ToUpperInvariant()).ToList();
        Assert.True(sws.Count == apdus.Length, $"opensc-tool answered {sws.Count} of {apdus.Length} APDUs: {stdout} {stderr.Result}");
        return sws;
    }

    [GeneratedRegex(@"SW1=0x([0-9A-Fa-f]{2}), SW2=0x([0-9A-Fa-f]{2})")]
    private static partial Regex SwLine();
}
