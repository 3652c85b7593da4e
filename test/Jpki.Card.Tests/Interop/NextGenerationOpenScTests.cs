using Jpki.Card.Transport.Vpcd;
using Xunit.Abstractions;

namespace Jpki.Card.Tests.Interop;

/// <summary>
/// What unmodified OpenSC makes of the next-generation card (second vpcd slot, "JPKI Test PCD 00 01"): its JPKI driver
/// knows RSA-2048 only, so this records the limit rather than pretending interoperability (docs/card.md).
/// </summary>
[Collection(PcscdCollection.Name)]
public sealed class NextGenerationOpenScTests(PcscdFixture fixture, ITestOutputHelper output)
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
}
