using Jpki.Card.Tests.Transcripts;
using Jpki.Card.Transport.Vpcd;
using Xunit.Abstractions;

namespace Jpki.Card.Tests.Interop;

/// <summary>
/// The golden transcripts through the real reader path (pcscd + vpcd): OpenSC's own tools must send exactly the APDUs of
/// <c>Transcripts/opensc-*.apdu</c> and get the recorded answers, and pcsc-tools' <c>scriptor</c> — an outside PC/SC client —
/// sends jpki/myna's and soltia48/myna-card's sequences and must get every answer the transcripts hold.
/// With <c>JPKI_RECORD_TRANSCRIPTS=&lt;dir&gt;</c> the OpenSC transcripts are recorded there instead.
/// </summary>
[Collection(PcscdCollection.Name)]
public sealed class TranscriptInteropTests(PcscdFixture fixture, ITestOutputHelper output)
{
    private const string AuthToken = "JPKI (User Authentication PIN)";
    private const string SignToken = "JPKI (Digital Signature PIN)";
    private static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "Transcripts");

    public static TheoryData<string> OpenScCommands => new() { "opensc-pkcs15-dump", "opensc-pkcs15-read-certificate-01", "opensc-pkcs11-sign-01", "opensc-pkcs11-sign-02" };

    [Theory]
    [MemberData(nameof(OpenScCommands))]
    public void OpenSc_SendsTheTranscriptAndGetsItsAnswers(string name)
    {
        var message = Path.Combine(fixture.Directory, "transcript-message.txt");
        File.WriteAllText(message, "OpenJpki transcript\n");
        var module = ExternalTool.FindOpenScPkcs11()!;
        var (tool, arguments, client) = name switch
        {
            "opensc-pkcs15-dump" => ("/usr/bin/pkcs15-tool", new[] { "--dump" }, "OpenSC 0.23 (Debian 12) `pkcs15-tool --dump`"),
            "opensc-pkcs15-read-certificate-01" => ("/usr/bin/pkcs15-tool", ["--read-certificate", "01"], "OpenSC 0.23 (Debian 12) `pkcs15-tool --read-certificate 01`"),
            "opensc-pkcs11-sign-01" => ("/usr/bin/pkcs11-tool",
                ["--module", module, "--token-label", AuthToken, "--login", "--pin", TestCard.AuthPin, "--sign", "--id", "01", "-m", "SHA256-RSA-PKCS", "-i", message, "-o", message + ".sig01"],
                "OpenSC 0.23 (Debian 12) `pkcs11-tool --login --sign --id 01 -m SHA256-RSA-PKCS`"),
            _ => ("/usr/bin/pkcs11-tool",
                ["--module", module, "--token-label", SignToken, "--login", "--pin", TestCard.SignPassword, "--sign", "--id", "02", "-m", "SHA256-RSA-PKCS", "-i", message, "-o", message + ".sig02"],
                "OpenSC 0.23 (Debian 12) `pkcs11-tool --login --sign --id 02 -m SHA256-RSA-PKCS`"),
        };

        fixture.Recorder.Exchanges.Clear();
        var (code, _, stderr) = ExternalTool.Run(tool, arguments);
        Assert.True(code == 0, stderr);
        var live = fixture.Recorder.Exchanges.ToList();

        var target = Environment.GetEnvironmentVariable("JPKI_RECORD_TRANSCRIPTS");
        if (!string.IsNullOrEmpty(target))
        {
            var recorded = new Transcript
            {
                Name = name,
                Header =
                [
                    $"client: {client}, card driver src/libopensc/card-jpki.c; the first commands are the other drivers' match_card probes",
                    "source: recorded at the card through pcscd + vpcd (test/Jpki.Card.Tests/Interop/TranscriptInteropTests.cs)",
                    "card: test",
                    "card data: dev-issued TestCard (auth PIN 1234, signature password ABC123, card PIN 5678)",
                    "answers: recorded from OpenJpki's emulator; [n] = n bytes that differ per card. Differences from a real card: docs/card.md",
                ],
                Exchanges = live,
            };
            File.WriteAllText(Path.Combine(target, name + ".apdu"), recorded.Format());
            output.WriteLine($"recorded {name}: {live.Count} exchanges");
            return;
        }

        var golden = Transcript.Parse(name, File.ReadAllText(Path.Combine(Directory, name + ".apdu")));
        var failures = new List<string>();
        for (var i = 0; i < Math.Max(golden.Exchanges.Count, live.Count); i++)
        {
            if (i >= live.Count || i >= golden.Exchanges.Count)
            {
                failures.Add($"OpenSC sent {live.Count} commands, the transcript has {golden.Exchanges.Count}.");
                break;
            }

            var expected = golden.Exchanges[i];
            if (!expected.Command.AsSpan().SequenceEqual(live[i].Command))
            {
                failures.Add($"{name}.apdu:{expected.Line}: OpenSC sent {Transcript.Spaced(live[i].Command)}, the transcript {Transcript.Spaced(expected.Command)}");
                break;
            }

            var actual = live[i].Answer;
            var response = actual.Data is null ? [.. new byte[actual.Length], .. actual.Sw] : (byte[])[.. actual.Data, .. actual.Sw];
            if (expected.Answer.Mismatch(response) is { } mismatch)
            {
                failures.Add($"{name}.apdu:{expected.Line}: {mismatch}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    public static TheoryData<string> ScriptedTranscripts()
    {
        var data = new TheoryData<string>();
        foreach (var file in System.IO.Directory.GetFiles(Directory, "myna*.apdu").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (name != "myna-go-pin-change-card") // it changes the shared card's PIN; replayed in-process only
            {
                data.Add(name);
            }
        }

        return data;
    }

    /// <summary>pcsc-tools' scriptor sends each transcript through pcscd; myna-card's runs on a second card in the second slot ("JPKI Test PCD 00 01").</summary>
    [Theory]
    [MemberData(nameof(ScriptedTranscripts))]
    public void Scriptor_SendsTheTranscript_EveryAnswerAsRecorded(string name)
    {
        var transcript = Transcript.Parse(name, File.ReadAllText(Path.Combine(Directory, name + ".apdu")));
        var card = transcript.Header.First(h => h.StartsWith("card: ", StringComparison.Ordinal))["card: ".Length..];
        var reader = PcscdFixture.ReaderName;
        using var stop = new CancellationTokenSource();
        TestCardHandle? second = null;
        Task? connector = null;
        try
        {
            if (card != "test")
            {
                second = TranscriptTests.CardFor(card);
                var vpcd = new VpcdCardConnector(second.Card, "127.0.0.1", PcscdFixture.VpcdPort + 1);
                connector = Task.Run(() => vpcd.RunAsync(stop.Token));
                reader = "JPKI Test PCD 00 01";
                PcscdFixture.WaitForCard(reader);
            }

            var script = string.Join("\n", transcript.Exchanges.Select(e => Transcript.Spaced(e.Command))) + "\n";
            var (code, stdout, stderr) = ExternalTool.Run("/usr/bin/scriptor", ["-r", reader, "-p", "T=1"], script, timeoutSeconds: 120);
            if (code != 0 && (stdout + stderr).Contains("Card was reset", StringComparison.Ordinal))
            {
                // Another client (the previous test's) reset the shared card as scriptor connected: SCardStatus reported
                // SCARD_W_RESET_CARD and scriptor gave up. That is the reader being shared, not the card; run it again.
                (code, stdout, stderr) = ExternalTool.Run("/usr/bin/scriptor", ["-r", reader, "-p", "T=1"], script, timeoutSeconds: 120);
            }

            Assert.True(code == 0, stderr + stdout);
            var responses = ParseScriptor(stdout);
            Assert.True(responses.Count == transcript.Exchanges.Count, $"scriptor printed {responses.Count} answers for {transcript.Exchanges.Count} commands:\n{stdout}");
            var failures = new List<string>();
            for (var i = 0; i < responses.Count; i++)
            {
                if (transcript.Exchanges[i].Answer.Mismatch(responses[i]) is { } mismatch)
                {
                    failures.Add($"{name}.apdu:{transcript.Exchanges[i].Line}: {mismatch}");
                }
            }

            Assert.True(failures.Count == 0, string.Join("\n", failures));
        }
        finally
        {
            stop.Cancel();
            try
            {
                connector?.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
            }

            second?.Dispose();
        }
    }

    /// <summary>scriptor prints each answer as "&lt; XX XX … : status text", the hex possibly over several lines.</summary>
    private static List<byte[]> ParseScriptor(string stdout)
    {
        var answers = new List<byte[]>();
        var lines = stdout.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("< ", StringComparison.Ordinal))
            {
                continue;
            }

            var hex = new System.Text.StringBuilder();
            var line = lines[i][2..];
            while (true)
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                hex.Append(colon >= 0 ? line[..colon] : line);
                if (colon >= 0 || i + 1 >= lines.Length)
                {
                    break;
                }

                line = lines[++i];
            }

            answers.Add(Convert.FromHexString(hex.ToString().Replace(" ", "", StringComparison.Ordinal).Trim()));
        }

        return answers;
    }
}
