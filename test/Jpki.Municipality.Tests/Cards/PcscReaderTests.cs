using Jpki.Card.Apdu;
using Jpki.Card.Applications;
using Jpki.Card.Client;
using Jpki.Card.Issuer;
using Jpki.Card.Transport;
using Jpki.Card.Transport.Pcsc;
using Jpki.Core.Identity;
using Jpki.Core.Pins;
using Jpki.Municipality.Cards;

namespace Jpki.Municipality.Tests.Cards;

/// <summary>
/// The card adapter over PC/SC: a private pcscd (<see cref="PcscdProcess"/>) with one vpcd reader on its own port
/// (CHANNELID 0x8CA1 → TCP 36001, reader "JPKI Counter PCD 00 00"), a delivered virtual card inserted through our vpcd
/// connector, and the counter's <see cref="PcscCardSource"/> listing and opening it by reader name.
/// </summary>
public sealed class PcscReaderTests : IAsyncLifetime
{
    private const string Reader = "JPKI Counter PCD 00 00";
    private readonly RealCounter _c = new();
    private VirtualCardInReader? _reader;

    public async Task InitializeAsync()
    {
        await _c.InitializeAsync();
        await _c.AddResidentWithCardAsync("R1");
        _reader = VirtualCardInReader.Start(Path.Combine(_c.DataDirectory, "pcscd"), "JPKI Counter PCD", 0x8CA1, Path.Combine(_c.CardFolder, "R1.jpkicard"));
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
    public async Task ListAsync_WhileAnotherApplicationHasAVerifiedPin_ListsTheCardWithoutResettingIt()
    {
        using (var issuing = PcscTransport.Connect(Reader))
        using (var key = CardManagementKey.Derive(CardMasterKey.Development(), "OJT00000000000R1"))
        {
            var issuer = new CardIssuerClient(new JpkiCardClient(issuing), key, "OJT00000000000R1");
            issuer.WriteTextData("123456789018", new BasicFourInfo("山田　太郎", "東京都千代田区千代田１－１", new DateOnly(1980, 2, 17), Sex.Male));
        }

        // Another application on the same reader, in raw APDUs: card PIN verified in the text AP, session kept open.
        using var other = PcscTransport.Connect(Reader);
        Assert.Equal("9000", Sw(other.Transmit(CommandApdu.Encode(0x00, 0xA4, 0x04, 0x0C, CardAids.Text))));
        Assert.Equal("9000", Sw(other.Transmit(CommandApdu.Encode(0x00, 0xA4, 0x02, 0x0C, Fid(CardFiles.TextPin)))));
        Assert.Equal("9000", Sw(other.Transmit(CommandApdu.Encode(0x00, 0x20, 0x00, 0x80, "1234"u8))));

        var source = new PcscCardSource(CardMasterKey.Development(), (_, _) => Task.FromResult<Jpki.Municipality.Issuance.CardInfo?>(null));
        for (var listing = 0; listing < 3; listing++)
        {
            var slots = await source.ListAsync(default);
            Assert.Equal([PcscCardSource.Prefix + Reader], slots.Select(s => s.Id));
        }

        // The listing neither reset the card nor selected anything: the PIN is still verified, so the My Number EF (which
        // needs it) reads. After a connect-to-look listing that disconnects with a reset, this APDU fails with
        // SCARD_W_RESET_CARD.
        Assert.Equal("9000", Sw(other.Transmit(CommandApdu.Encode(0x00, 0xA4, 0x02, 0x0C, Fid(CardFiles.TextMyNumber)))));
        Assert.Equal("9000", Sw(other.Transmit(CommandApdu.Encode(0x00, 0xB0, 0x00, 0x00, le: TextApEncoding.MyNumberEfLength))));
        Assert.Equal("9000", Sw(other.Transmit(CommandApdu.Encode(0x00, 0xA4, 0x04, 0x0C, CardAids.Text)))); // drop the PIN
    }

    private static string Sw(byte[] response) => Convert.ToHexString(response.AsSpan(response.Length - 2));

    private static byte[] Fid(ushort fid) => [(byte)(fid >> 8), (byte)(fid & 0xFF)];

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
