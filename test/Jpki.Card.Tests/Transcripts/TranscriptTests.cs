using Jpki.Card.Client;
using Jpki.Card.Issuer;
using Jpki.Card.Transport;
using Jpki.Card.Virtual;
using Jpki.Core.Identity;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Jpki.Card.Tests.Transcripts;

/// <summary>
/// Replays the golden transcripts in <c>Transcripts/*.apdu</c> against a fresh card: every answer must match (exactly, or
/// in length where the data differs per card). With <c>JPKI_RECORD_TRANSCRIPTS=&lt;dir&gt;</c> the myna and myna-card
/// transcripts are recorded into that directory instead (OpenSC's are recorded through pcscd by
/// <c>Interop.OpenScTranscriptTests</c>).
/// </summary>
public sealed class TranscriptTests(ITestOutputHelper output)
{
    private static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "Transcripts");

    /// <summary>The scenarios, by transcript name: which card, and what the client sends.</summary>
    internal static readonly (string Name, string Card, string Client, Action<Wire> Run)[] Scenarios =
    [
        ("myna-go-pin-status", "test", "jpki/myna Go (58c580b) `myna pin status`", MynaGo.PinStatus),
        ("myna-go-text", "test", "jpki/myna Go (58c580b) `myna text mynumber`, `attr`, `signature`, `cert`, `info`", w =>
        {
            MynaGo.TextMyNumber(w, TestCard.CardPin);
            MynaGo.TextAttr(w, TestCard.CardPin);
            MynaGo.TextRecords(w, TestCard.CardPin);
        }),
        ("myna-go-visual-photo", "test", "jpki/myna Go (58c580b) `myna visual photo`", w => MynaGo.VisualPhoto(w, TestCard.CardPin)),
        ("myna-go-jpki-cert", "test", "jpki/myna Go (58c580b) `myna jpki cert auth|authca|signca|sign`", w => MynaGo.JpkiCerts(w, "abc123")),
        ("myna-go-cms-sign", "test", "jpki/myna Go (58c580b) `myna jpki cms sign`", w =>
            MynaGo.CmsSign(w, TestCard.SignPassword, Convert.FromHexString(Apdus.Sha256DigestInfo("OpenJpki transcript"u8.ToArray())))),
        ("myna-go-pin-change-card", "test", "jpki/myna Go (58c580b) `myna pin change card`", w => MynaGo.PinChangeCard(w, TestCard.CardPin, "1111")),
        ("myna-rust-pin-status", "test", "jpki/myna Rust (f85dc71) `myna pin status`", MynaRust.PinStatus),
        ("myna-rust-text", "test", "jpki/myna Rust (f85dc71) `myna text mynumber`, `myna text attrs`", w => MynaRust.TextMyNumberAndAttrs(w, TestCard.CardPin)),
        ("myna-rust-basic-info", "test", "jpki/myna Rust (f85dc71) `myna text basic-info`, `myna visual basic-info`", MynaRust.BasicInfo),
        ("myna-rust-visual-photo", "test", "jpki/myna Rust (f85dc71) `myna visual photo`", w => MynaRust.VisualPhoto(w, TestCard.CardPin, TestCard.MyNumber)),
        ("myna-rust-jpki-cert", "test", "jpki/myna Rust (f85dc71) `myna jpki cert -t sign`, `-t auth`", w => MynaRust.JpkiCerts(w, "abc123")),
        ("myna-rust-pkey-sign", "test", "jpki/myna Rust (f85dc71) `myna jpki pkey sign -t auth`", w =>
            MynaRust.PkeySignAuth(w, TestCard.AuthPin, Convert.FromHexString(Apdus.Sha256DigestInfo("OpenJpki transcript"u8.ToArray())))),
        ("myna-rust-unknown-number", "test", "jpki/myna Rust (f85dc71) `myna unknown number`", MynaRust.UnknownNumber),
        ("myna-card-fixtures", "myna-card-fixture", "soltia48/myna-card: the reads its tests/fixtures came from", MynaCardReads.ReadFixtureFiles),
    ];

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in System.IO.Directory.GetFiles(Directory, "*.apdu").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Replay_EveryAnswerAsRecorded(string name)
    {
        var transcript = Transcript.Parse(name, File.ReadAllText(Path.Combine(Directory, name + ".apdu")));
        Assert.NotEmpty(transcript.Exchanges);
        var card = transcript.Header.FirstOrDefault(h => h.StartsWith("card: ", StringComparison.Ordinal))?["card: ".Length..] ?? "test";
        using var fresh = CardFor(card);
        var failures = new List<string>();
        foreach (var exchange in transcript.Exchanges)
        {
            var response = fresh.Card.Transmit(exchange.Command);
            if (exchange.Answer.Mismatch(response) is { } mismatch)
            {
                failures.Add($"{name}.apdu:{exchange.Line}: > {Transcript.Spaced(exchange.Command)}: {mismatch}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Record_WhenAsked()
    {
        var target = Environment.GetEnvironmentVariable("JPKI_RECORD_TRANSCRIPTS");
        if (string.IsNullOrEmpty(target))
        {
            // Replaying is the test; recording is a tool run by hand. Check instead that every scenario has its transcript.
            foreach (var scenario in Scenarios)
            {
                Assert.True(File.Exists(Path.Combine(Directory, scenario.Name + ".apdu")), $"Transcripts/{scenario.Name}.apdu is missing; record it with JPKI_RECORD_TRANSCRIPTS.");
            }

            return;
        }

        foreach (var (name, card, client, run) in Scenarios)
        {
            using var fresh = CardFor(card);
            var recorder = new RecordingCard(fresh.Card);
            run(new Wire(recorder));
            var transcript = new Transcript
            {
                Name = name,
                Header =
                [
                    $"client: {client}",
                    "source: each command's comment names the client source file and line that sends it",
                    $"card: {card}",
                    card == "test"
                        ? "card data: dev-issued TestCard (auth PIN 1234, signature password ABC123, card PIN 5678, My Number 123456789018, 1990-02-28, expiry 2035-03-31, security code 2285)"
                        : "card data: the printed data of soltia48/myna-card's test card (537686677188, 黒桐　幹也, 1980-02-17, expiry 2035-02-17, security code 2285, serial 400000012719843, municipality 13221)",
                    "answers: recorded from OpenJpki's emulator; [n] = n bytes that differ per card. Differences from a real card: docs/card.md",
                ],
                Exchanges = recorder.Exchanges,
            };
            File.WriteAllText(Path.Combine(target, name + ".apdu"), transcript.Format());
            output.WriteLine($"recorded {name}: {recorder.Exchanges.Count} exchanges");
        }
    }

    internal static TestCardHandle CardFor(string card) => card switch
    {
        "test" => new TestCardHandle(TestCard.Create()),
        "myna-card-fixture" => FixtureCard.Create(),
        _ => throw new InvalidOperationException($"Unknown card '{card}' in a transcript header."),
    };
}

/// <summary>A card for a transcript, disposed with its files.</summary>
internal sealed class TestCardHandle(TestCard? test, VirtualCard? card = null, string? directory = null) : IDisposable
{
    public VirtualCard Card => test?.Card ?? card!;

    public void Dispose()
    {
        test?.Dispose();
        card?.Dispose();
        if (directory is not null)
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
    }
}

/// <summary>A card issued with the printed data of soltia48/myna-card's test card (one template per test run, copied per use).</summary>
internal static class FixtureCard
{
    private static readonly Lazy<string> Template = new(Issue);

    public static TestCardHandle Create()
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("jpki-fixture-").FullName;
        var path = Path.Combine(directory, "fixture.jpkicard");
        File.Copy(Template.Value, path);
        return new TestCardHandle(null, VirtualCard.Open(path, TestCard.Options), directory);
    }

    private static string Issue()
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("jpki-fixture-template-").FullName;
        var path = Path.Combine(directory, "fixture.jpkicard");
        const string number = "400000012719843";
        using var key = CardManagementKey.Derive(TestCard.MasterKey, number);
        var spec = new VirtualCardSpec(number, "fixture", CardKind.MyNumberCard, new DateOnly(2035, 2, 17)) { MunicipalityCode = "13221" };
        using (var card = VirtualCard.Create(path, spec, key, TestCard.Options))
        using (var transport = new InProcessTransport(card))
        {
            var issuer = new CardIssuerClient(new JpkiCardClient(transport), key, number);
            var holder = new BasicFourInfo("黒桐　幹也", "東京都清瀬市観布子南１２－７－２０２", new DateOnly(1980, 2, 17), Sex.Male);
            DevelopmentIssuance.Issue(
                issuer, new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero)), TestCard.AuthPin, TestCard.SignPassword, TestCard.CardPin,
                (MynaCardReads.MyNumber, holder), new DevelopmentSurface(new DateOnly(2035, 2, 17), "2285", TestCard.Font.Value, "13221"));
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        return path;
    }
}
