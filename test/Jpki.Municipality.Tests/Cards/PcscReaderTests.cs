using System.Diagnostics;
using System.Globalization;
using Jpki.Card.Client;
using Jpki.Card.Transport;
using Jpki.Card.Transport.Pcsc;
using Jpki.Card.Transport.Vpcd;
using Jpki.Card.Virtual;
using Jpki.Core.Identity;
using Jpki.Core.Pins;
using Jpki.Municipality.Cards;

namespace Jpki.Municipality.Tests.Cards;

/// <summary>
/// The card adapter over PC/SC: a private pcscd (started and stopped by PID) with one vpcd reader on its own port
/// (CHANNELID 0x8CA1 → TCP 36001, reader "JPKI Counter PCD 00 00"), a delivered virtual card inserted through our vpcd
/// connector, and the counter's <see cref="PcscCardSource"/> opening it by reader name. Needs Debian packages
/// <c>pcscd</c> and <c>vsmartcard-vpcd</c>; only one pcscd may run per machine.
/// </summary>
public sealed class PcscReaderTests : IAsyncLifetime
{
    private const string Reader = "JPKI Counter PCD 00 00";
    private readonly RealCounter _c = new();
    private readonly CancellationTokenSource _stop = new();
    private PcscdLock? _machine;
    private Process? _pcscd;
    private Task? _connector;
    private VirtualCard? _card;

    public async Task InitializeAsync()
    {
        if (!File.Exists("/usr/sbin/pcscd"))
        {
            Assert.Fail("pcscd is missing: install the Debian package pcscd.");
        }

        if (!File.Exists("/usr/lib/pcsc/drivers/serial/libifdvpcd.so"))
        {
            Assert.Fail("The vpcd driver is missing: install the Debian package vsmartcard-vpcd.");
        }

        _machine = PcscdLock.Acquire(TimeSpan.FromMinutes(30));
        foreach (var running in Process.GetProcessesByName("pcscd"))
        {
            using (running)
            {
                Assert.Fail($"Another pcscd is already running (PID {running.Id}); pcscd allows only one per machine. Stop it and rerun.");
            }
        }

        await _c.InitializeAsync();
        await _c.AddResidentWithCardAsync("R1");
        var configuration = Path.Combine(_c.DataDirectory, "pcscd", "reader.conf.d");
        Directory.CreateDirectory(configuration);
        await File.WriteAllTextAsync(Path.Combine(configuration, "reader.conf"), """
            FRIENDLYNAME "JPKI Counter PCD"
            DEVICENAME   /dev/null:0x8CA1
            LIBPATH      /usr/lib/pcsc/drivers/serial/libifdvpcd.so
            CHANNELID    0x8CA1

            """);
        var log = Path.Combine(_c.DataDirectory, "pcscd", "pcscd.log");
        TcpPorts.WaitUntilBindable(36001, TimeSpan.FromSeconds(90));
        _pcscd = Process.Start(new ProcessStartInfo("/bin/sh")
        {
            ArgumentList = { "-c", $"exec /usr/sbin/pcscd -f -a -d -c '{configuration}' > '{log}' 2>&1" },
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("Could not start pcscd.");
        _card = VirtualCard.Open(Path.Combine(_c.CardFolder, "R1.jpkicard"));
        var connector = new VpcdCardConnector(_card, "127.0.0.1", 36001);
        _connector = Task.Run(() => connector.RunAsync(_stop.Token));

        var deadline = Stopwatch.StartNew();
        var last = "pcscd did not start";
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            Assert.False(_pcscd.HasExited, "pcscd exited: " + (File.Exists(log) ? await File.ReadAllTextAsync(log) : ""));
            try
            {
                using var probe = PcscTransport.Connect(Reader);
                return;
            }
            catch (CardTransportException e)
            {
                last = e.Message;
            }

            await Task.Delay(100); // polling interval of a bounded readiness wait, not synchronisation by sleeping
        }

        Assert.Fail($"The card did not appear in {Reader} within 30 s: {last}");
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_pcscd is { HasExited: false })
        {
            using (var term = Process.Start("kill", ["-TERM", _pcscd.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            if (!_pcscd.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                _pcscd.Kill();
                await _pcscd.WaitForExitAsync();
            }
        }

        _pcscd?.Dispose();
        try
        {
            await (_connector ?? Task.CompletedTask).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (OperationCanceledException)
        {
        }

        _card?.Dispose();
        _stop.Dispose();
        await _c.DisposeAsync();
        _machine?.Dispose();
    }

    [Fact]
    public async Task IssueAsync_CardInPcscReader_ListedOpenedIssuedAndReadBack()
    {
        var source = new PcscCardSource(CardMasterKey.Development(), async (serial, ct) =>
        {
            var card = await _c.Runtime.Store.FindCardAsync(serial, ct);
            return card is null ? null : new Jpki.Municipality.Issuance.CardInfo(card.CardId, card.Kind, card.ExpiresOn);
        });

        var slots = await source.ListAsync(default);
        Assert.Contains(slots, s => s.Id == PcscCardSource.Prefix + Reader);

        Jpki.Municipality.Applications.IssuanceReceipt receipt;
        using (var card = await source.OpenAsync(PcscCardSource.Prefix + Reader, default))
        {
            Assert.Equal("OJT00000000000R1", (await card.ReadInfoAsync(default)).CardId);
            var wrong = await _c.Runtime.Counter.IssueAsync(_c.Clerk, card, RealCounter.Request("R1", "9999"), default);
            Assert.Equal("card-pin-wrong", wrong.Code);
            var outcome = await _c.Runtime.Counter.IssueAsync(_c.Clerk, card, RealCounter.Request("R1"), default);
            Assert.True(outcome.IsAllowed, outcome.Message);
            receipt = outcome.Value!;
        }

        using var transport = PcscTransport.Connect(Reader);
        var client = new JpkiCardClient(transport);
        var auth = receipt.Certificates.Single(c => c.Kind == CertificateKind.Authentication).SerialHex;
        Assert.Equal((await _c.Authority.Authority.Registry.FindBySerialAsync(auth, default))!.Der, client.ReadCertificate(CertificateSlot.Authentication));
        Assert.True(client.Verify(PinKind.AuthenticationPin, "5678").Verified);
    }
}
