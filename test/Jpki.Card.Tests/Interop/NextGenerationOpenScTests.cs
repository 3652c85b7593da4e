using Jpki.Card.Transport.Vpcd;
using Xunit.Abstractions;

namespace Jpki.Card.Tests.Interop;

/// <summary>
/// What unmodified OpenSC makes of the next-generation card (second vpcd slot, "JPKI Test PCD 00 01"): its JPKI driver
/// knows RSA-2048 only, so this records the limit rather than pretending interoperability (docs/card.md).
/// </summary>
[Collection(PcscdCollection.Name)]
public sealed partial class NextGenerationOpenScTests(PcscdFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Pkcs15Dump_NextGenerationCard_WhatOpenScShows()
    {
        Assert.NotNull(fixture);
        using var card = TestCard.Create("nextgen");
        using var stop = new CancellationTokenSource();
        var vpcd = new VpcdCardConnector(card.Card, "127.0.0.1", PcscdFixture.VpcdPort + 1);
        var connector = Task.Run(() => vpcd.RunAsync(stop.Token));
        try
        {
            PcscdFixture.WaitForCard(PcscdFixture.SecondReaderName);
            var (code, stdout, stderr) = ExternalTool.Run("/usr/bin/pkcs15-tool", ["--reader", "1", "--dump"]);
            output.WriteLine($"exit {code}\n{stdout}\n{stderr}");
            var (readCode, readOut, readErr) = ExternalTool.Run("/usr/bin/pkcs15-tool", ["--reader", "1", "--read-public-key", "01"]);
            output.WriteLine($"read-public-key exit {readCode}\n{readOut}\n{readErr}");
            // OpenSC 0.23's JPKI emulator lists the four certificates, but announces the keys as RSA-2048 (hard-coded
            // ModLength 2048), and cannot give the public key of a certificate whose key is P-384.
            Assert.True(code == 0, stderr);
            Assert.Contains("Digital Signature Certificate", stdout, StringComparison.Ordinal);
            Assert.Contains("Private RSA Key [Digital Signature Key]", stdout, StringComparison.Ordinal);
            Assert.Contains("ModLength      : 2048", stdout, StringComparison.Ordinal);
            Assert.NotEqual(0, readCode);
            Assert.Contains("Public key enumeration failed", readOut + readErr, StringComparison.Ordinal);

            // PKCS#11 the same way (opensc-pkcs11.so): the slots and objects list cleanly, the keys as RSA; an ECDSA
            // signature is refused by the module (the driver registers RSA-2048 only, card-jpki.c), in bounded time, and
            // pcscd and the card still answer afterwards.
            var module = ExternalTool.FindOpenScPkcs11()!;
            var slots = ExternalTool.Run("/usr/bin/pkcs11-tool", ["--module", module, "--list-slots"]);
            output.WriteLine($"list-slots exit {slots.ExitCode}\n{slots.Stdout}\n{slots.Stderr}");
            Assert.True(slots.ExitCode == 0, slots.Stderr);
            var slot = SlotLine().Matches(slots.Stdout).Select(m => m.Groups)
                .FirstOrDefault(g => g[2].Value.Contains(PcscdFixture.SecondReaderName, StringComparison.Ordinal))?[1].Value;
            Assert.True(slot is not null, slots.Stdout);
            var objects = ExternalTool.Run("/usr/bin/pkcs11-tool", ["--module", module, "--slot", "0x" + slot, "--list-objects"]);
            output.WriteLine($"list-objects exit {objects.ExitCode}\n{objects.Stdout}\n{objects.Stderr}");
            Assert.True(objects.ExitCode == 0, objects.Stderr);
            Assert.Contains("User Authentication Certificate", objects.Stdout, StringComparison.Ordinal);
            Assert.Contains("Public Key Object; EC  EC_POINT 384 bits", objects.Stdout, StringComparison.Ordinal); // read from the certificate
            var loggedIn = ExternalTool.Run("/usr/bin/pkcs11-tool", ["--module", module, "--slot", "0x" + slot, "--login", "--pin", TestCard.AuthPin, "--list-objects"]);
            output.WriteLine($"list-objects --login exit {loggedIn.ExitCode}\n{loggedIn.Stdout}\n{loggedIn.Stderr}");
            Assert.True(loggedIn.ExitCode == 0, loggedIn.Stderr);
            Assert.Contains("Private Key Object; RSA", loggedIn.Stdout, StringComparison.Ordinal); // pkcs15-jpki.c: sc_pkcs15emu_add_rsa_prkey, 2048

            var message = Path.Combine(Path.GetTempPath(), "jpki-nextgen-p11-" + Guid.NewGuid().ToString("N")[..8]);
            File.WriteAllText(message, "OpenJpki next-generation card through OpenSC\n");
            try
            {
                var sign = ExternalTool.Run("/usr/bin/pkcs11-tool",
                    ["--module", module, "--slot", "0x" + slot, "--login", "--pin", TestCard.AuthPin, "--sign", "--id", "01", "-m", "ECDSA-SHA384", "-i", message, "-o", message + ".sig"]);
                output.WriteLine($"sign ECDSA-SHA384 exit {sign.ExitCode}\n{sign.Stdout}\n{sign.Stderr}");
                Assert.NotEqual(0, sign.ExitCode);
                Assert.Contains("CKR_MECHANISM_INVALID", sign.Stdout + sign.Stderr, StringComparison.Ordinal);
                Assert.False(File.Exists(message + ".sig") && new FileInfo(message + ".sig").Length > 0, "pkcs11-tool wrote a signature");
            }
            finally
            {
                File.Delete(message);
                File.Delete(message + ".sig");
            }

            var again = ExternalTool.Run("/usr/bin/pkcs15-tool", ["--reader", "1", "--list-certificates"]);
            Assert.True(again.ExitCode == 0, again.Stderr);
            Assert.Contains("Digital Signature Certificate", again.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            stop.Cancel();
            try
            {
                await connector.WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"Slot \d+ \(0x([0-9a-f]+)\): ([^\n]*)")]
    private static partial System.Text.RegularExpressions.Regex SlotLine();
}
