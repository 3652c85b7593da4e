using System.Diagnostics;
using Xunit.Abstractions;

namespace Jpki.Cli.Tests.Card;

/// <summary>
/// <c>jpki card sign --reader</c> on a reader shared with hostile PC/SC clients, as on a desktop where other software
/// polls the card: a virtual card inserted with <c>jpki card insert</c> (its own process) into a private pcscd,
/// pcsc-tools' <c>scriptor</c> selecting another application (the text AP) a hundred times a second and resetting the
/// card every second, and OpenSC's <c>opensc-tool</c> probing the card (SELECTs of other AIDs) five times a second.
/// Selecting an AP or resetting drops a verified PIN, so a SELECT or reset landing between VERIFY and SIGN makes the
/// signature fail — before transactions, 14 of 20 runs failed. Every signature must now succeed and verify with openssl.
/// </summary>
public sealed class CardReaderHostileClientTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Password = "ABC123";
    private const string TextApSelect = "00 A4 04 0C 0A D3 92 10 00 31 00 01 01 04 08";
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("jpki-cli-hostile-");
    private readonly List<Process> _processes = [];
    private PcscdProcess? _pcscd;

    private string Reader => _pcscd!.Reader;

    public async Task InitializeAsync()
    {
        foreach (var (path, package) in new[] { ("/usr/bin/scriptor", "pcsc-tools"), ("/usr/bin/opensc-tool", "opensc"), ("/usr/bin/openssl", "openssl"), ("/usr/bin/perl", "perl") })
        {
            if (!File.Exists(path))
            {
                Assert.Fail($"{path} is missing: install the Debian package '{package}' (apt-get install -y {package}); ./test.sh does this on CI.");
            }
        }

        var card = Path.Combine(_directory.FullName, "card.jpkicard");
        Assert.Equal(0, (await CliRunner.RunAsync("card", "new", "--out", card, "--number", "HOSTILE1")).ExitCode);
        var issued = await CliRunner.RunAsync("card", "dev-issue", "--card", card, "--data", Path.Combine(_directory.FullName, "jpki-data"), "--auth-pin", "1234", "--sign-password", Password, "--card-pin", "5678");
        Assert.True(issued.ExitCode == 0, issued.Stderr);

        var pcscd = Path.Combine(_directory.FullName, "pcscd");
        Directory.CreateDirectory(pcscd);
        _pcscd = PcscdProcess.Start(pcscd, "JPKI Hostile PCD", 0x8CA0);
        Start(JpkiProcess.StartInfo(["card", "insert", card, "--vpcd-port", _pcscd.VpcdPort.ToString(System.Globalization.CultureInfo.InvariantCulture)]));
        _pcscd.WaitForCard(Reader, TimeSpan.FromSeconds(60));
    }

    public Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }

            process.Dispose();
        }

        _pcscd?.Dispose();
        _directory.Delete(recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task CardSign_AtLeastTwentyTimesBesideAReselectingAndAResettingClient_EverySignatureVerifies()
    {
        var passwordFile = Path.Combine(_directory.FullName, "password.txt");
        await File.WriteAllTextAsync(passwordFile, Password + "\n");
        var certificate = Path.Combine(_directory.FullName, "sign.pem");
        var read = await CliRunner.RunAsync("card", "read-cert", "--reader", Reader, "--which", "sign", "--out", certificate, "--pin-file", passwordFile);
        Assert.True(read.ExitCode == 0, read.Stderr);
        var publicKey = Path.Combine(_directory.FullName, "sign.pub.pem");
        var extracted = OpenSsl.Run("x509", "-in", certificate, "-pubkey", "-noout", "-out", publicKey);
        Assert.True(extracted.ExitCode == 0, extracted.Stderr);

        // Hostile 1: pcsc-tools' scriptor, fed by perl, selecting the text AP every 10 ms and resetting the card every
        // second (its own resets do not end its session). Hostile 2: OpenSC's opensc-tool, a new process every 0.2 s,
        // each probing the card with OpenSC's ~30 driver-detection APDUs (SELECTs of other AIDs) and then selecting the
        // text AP. Their work is counted in pcscd's APDU log.
        Start(Bash($"perl -e '$|=1; for ($i = 1; ; $i++) {{ print(($i % 100) ? \"{TextApSelect}\\n\" : \"reset\\n\"); select(undef, undef, undef, 0.01) }}' | scriptor -r '{Reader}' > /dev/null 2>&1"));
        Start(Bash($"while true; do opensc-tool -r 0 -s '{TextApSelect.Replace(" ", "", StringComparison.Ordinal)}' > /dev/null 2>&1; sleep 0.2; done"));
        await WaitUntilAsync(() => Selects() > 0 && Resets() > 0, "the hostile clients to start working");
        var (selectsBefore, resetsBefore) = (Selects(), Resets());

        var message = Path.Combine(_directory.FullName, "message.txt");
        await File.WriteAllTextAsync(message, "signed on a shared reader\n");
        var failures = new List<string>();

        // At least twenty runs, and on until both hostiles have acted during them: signing got fast enough that twenty
        // runs can end (3 s) before the resetting client's next reset (one a second, later when our transactions hold
        // the card). Bounded at 200 runs.
        var runs = 0;
        for (var run = 0; run < 200 && (run < 20 || Selects() == selectsBefore || Resets() == resetsBefore); run++)
        {
            runs++;
            var signature = Path.Combine(_directory.FullName, $"signature-{run}.bin");
            var signed = await CliRunner.RunAsync("card", "sign", "--reader", Reader, "--which", "sign", "--in", message, "--out", signature, "--pin-file", passwordFile);
            if (signed.ExitCode != 0)
            {
                failures.Add($"run {run}: exit {signed.ExitCode}: {signed.Stderr.Trim()}");
                continue;
            }

            var verified = OpenSsl.Run("dgst", "-sha256", "-verify", publicKey, "-signature", signature, message);
            if (verified.ExitCode != 0 || !verified.Stdout.Contains("Verified OK", StringComparison.Ordinal))
            {
                failures.Add($"run {run}: openssl: {verified.Stdout}{verified.Stderr}");
            }
        }

        // The hostiles were at work during the runs, not only before them.
        var (selects, resets) = (Selects() - selectsBefore, Resets() - resetsBefore);
        output.WriteLine($"During the {runs} runs the hostiles selected the text AP {selects} times and reset the card {resets} times.");
        Assert.True(failures.Count == 0, $"{failures.Count} of {runs} signatures failed:\n{string.Join('\n', failures)}");
        Assert.True(selects > 0, "the selecting client did nothing during the runs");
        Assert.True(resets > 0, "the resetting client did nothing during the runs");
    }

    private int Selects() => Count(_pcscd!.Log, "APDU: " + TextApSelect);

    private int Resets() => Count(_pcscd!.Log, "Reset complete");

    private static ProcessStartInfo Bash(string script) => new("/bin/bash") { ArgumentList = { "-c", script }, UseShellExecute = false };

    private void Start(ProcessStartInfo start)
    {
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        _processes.Add(process);
        if (start.RedirectStandardOutput)
        {
            process.StandardInput.Close();
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
        }
    }

    private static int Count(string text, string marker)
    {
        var count = 0;
        for (var at = text.IndexOf(marker, StringComparison.Ordinal); at >= 0; at = text.IndexOf(marker, at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"Timed out waiting for {what}.");
            await Task.Delay(100); // polling interval of a bounded readiness wait
        }
    }
}
