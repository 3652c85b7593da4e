using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Card.Apdu;
using Jpki.Card.Client;
using Jpki.Card.Transport.Pcsc;
using Jpki.Core.Identity;
using Jpki.Core.Pins;

namespace Jpki.Card.Tests.Interop;

/// <summary>
/// Our PC/SC client next to other applications on the same reader, through the real pcscd: reader states read without
/// connecting, a reset by another application (pcsc-tools' scriptor), disconnecting without a reset, and logging out.
/// </summary>
[Collection(PcscdCollection.Name)]
public sealed class PcscSharedReaderTests(PcscdFixture fixture)
{
    private static readonly byte[] Message = "signed next to other applications"u8.ToArray();

    [Fact]
    public void GetStatus_ThreeEntryArray_PcscdFillsEveryEntryAtThePlatformStride()
    {
        // pcsc-lite writes each entry's dwEventState, cbAtr and rgbAtr at the offsets of its own SCARD_READERSTATE: an
        // array laid out with a wrong size or DWORD width would come back with the states and ATRs in the wrong places.
        using var context = PcscContext.Establish(PcscApi.Current);
        var status = context.GetStatus([PcscdFixture.ReaderName, PcscdFixture.SecondReaderName, PcscdFixture.ReaderName]);
        Assert.Equal([PcscdFixture.ReaderName, PcscdFixture.SecondReaderName, PcscdFixture.ReaderName], status.Select(s => s.Reader));
        Assert.True(status[0].CardPresent && status[2].CardPresent);
        Assert.Equal(fixture.Card.Card.Atr.ToArray(), status[0].Atr.ToArray());
        Assert.Equal(fixture.Card.Card.Atr.ToArray(), status[2].Atr.ToArray());
        Assert.Equal(status[0].EventCount, status[2].EventCount);

        // The second slot may just be losing another test's card: whatever its state, its entry is coherent.
        Assert.True(status[1].State.HasFlag(ReaderStates.Empty) ^ status[1].State.HasFlag(ReaderStates.Present), status[1].State.ToString());
        Assert.Equal(status[1].State.HasFlag(ReaderStates.Present), status[1].Atr.Length > 0);
        Assert.Contains(PcscReaders.GetStatus(), s => s.Reader == PcscdFixture.ReaderName && s.CardPresent);
    }

    [Fact]
    public void GetStatus_UnknownReader_IsAClearError()
    {
        using var context = PcscContext.Establish(PcscApi.Current);
        var error = Assert.Throws<Jpki.Card.Transport.CardTransportException>(() => context.GetStatus(["No Such Reader 00 00"]));
        Assert.Contains("unknown reader", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResetByAnotherApplication_NextTransactionReportsIt_ClientSelectsAgainAndTheVerifiedPinIsGone()
    {
        using var transport = PcscTransport.Connect(PcscdFixture.ReaderName);
        var client = new JpkiCardClient(transport);
        Assert.True(client.Verify(PinKind.AuthenticationPin, TestCard.AuthPin).Verified);

        ResetWithScriptor();

        // The reset is acknowledged (SCardReconnect), the client selects the AP again, and the card answers 6982: the
        // verification did not survive the reset, and nothing pretends it did.
        var refused = Assert.Throws<CardStatusException>(() => client.SignSha256(CertificateKind.Authentication, Message));
        Assert.Equal(StatusWords.SecurityStatusNotSatisfied, refused.StatusWord);
        Assert.False(client.SecurityStateRaised);

        using (client.BeginTransaction())
        {
            Assert.True(client.Verify(PinKind.AuthenticationPin, TestCard.AuthPin).Verified);
            AssertVerifies(client.SignSha256(CertificateKind.Authentication, Message));
            client.Logout();
        }
    }

    [Fact]
    public void AnotherConnectionClosing_LeavesTheCard_TheFirstSessionKeepsItsVerifiedPin()
    {
        // Raw APDUs for the first session, so that nothing but the card's own state carries the verification.
        using var first = PcscTransport.Connect(PcscdFixture.ReaderName);
        Assert.Equal("9000", Sw(first.Transmit(Convert.FromHexString(Apdus.SelectJpki))));
        Assert.Equal("9000", Sw(first.Transmit(Convert.FromHexString("00A4020C020018"))));
        Assert.Equal("9000", Sw(first.Transmit(Convert.FromHexString("002000800431323334"))));

        // A second application connects and disconnects (SCARD_LEAVE_CARD): no reset reaches the first one, whose
        // next APDU would otherwise fail with SCARD_W_RESET_CARD.
        PcscTransport.Connect(PcscdFixture.ReaderName).Dispose();

        Assert.Equal("9000", SignRaw(first));
        new JpkiCardClient(first).SelectApplication(Jpki.Card.Applications.CardApplication.Jpki); // drop the PIN again
    }

    [Fact]
    public void EachTransactionOnASharedReader_SelectsTheApplicationAfresh()
    {
        // Another application selecting the text AP between two of our operations must not send ours to the wrong AP.
        using var ours = PcscTransport.Connect(PcscdFixture.ReaderName);
        var client = new JpkiCardClient(ours);
        Assert.Equal("JPKIAPICCTOKEN2", Jpki.Card.Applications.TokenInfo.ReadLabel(client.ReadTokenInfo()));
        using (var other = PcscTransport.Connect(PcscdFixture.ReaderName))
        {
            Assert.Equal("9000", Sw(other.Transmit(CommandApdu.Encode(0x00, 0xA4, 0x04, 0x0C, Jpki.Card.Applications.CardAids.Text))));
        }

        Assert.Equal(fixture.Card.Certificates!.Authentication, client.ReadCertificate(CertificateSlot.Authentication));
    }

    [Fact]
    public void Logout_BeforeDisconnecting_TheNextApplicationCannotUseTheVerifiedPin()
    {
        using var next = PcscTransport.Connect(PcscdFixture.ReaderName); // keeps the card powered between the two
        using (var first = PcscTransport.Connect(PcscdFixture.ReaderName))
        {
            var client = new JpkiCardClient(first);
            using (client.BeginTransaction())
            {
                Assert.True(client.Verify(PinKind.AuthenticationPin, TestCard.AuthPin).Verified);
                client.Logout();
            }
        }

        // Raw APDUs, no SELECT of the AP (which would itself drop the state): the key is refused.
        Assert.Equal("6982", SignRaw(next));
    }

    [Fact]
    public void WithoutLogout_TheVerifiedPinOutlivesTheConnection_WhichIsWhyTheClientLogsOut()
    {
        using var next = PcscTransport.Connect(PcscdFixture.ReaderName);
        using (var first = PcscTransport.Connect(PcscdFixture.ReaderName))
        {
            Assert.True(new JpkiCardClient(first).Verify(PinKind.AuthenticationPin, TestCard.AuthPin).Verified);
        }

        Assert.Equal("9000", SignRaw(next));
        new JpkiCardClient(next).SelectApplication(Jpki.Card.Applications.CardApplication.Jpki); // clean up: drop it
    }

    private static string Sw(byte[] response) => Convert.ToHexString(response.AsSpan(response.Length - 2));

    private static string SignRaw(PcscTransport transport)
    {
        _ = transport.Transmit(Convert.FromHexString("00A4020C020017")); // auth key EF, in the AP the other session selected
        byte[] digestInfo = [.. Convert.FromHexString("3031300d060960864801650304020105000420"), .. SHA256.HashData(Message)];
        var response = transport.Transmit(CommandApdu.Encode(0x80, 0x2A, 0x00, 0x80, digestInfo, le: 256));
        return Convert.ToHexString(response.AsSpan(response.Length - 2));
    }

    private static void ResetWithScriptor()
    {
        var (code, stdout, stderr) = ExternalTool.Run("/usr/bin/scriptor", ["-r", PcscdFixture.ReaderName], stdin: "reset\nexit\n");
        Assert.True(code == 0 && stdout.Contains("< OK", StringComparison.Ordinal), stdout + stderr);
    }

    private void AssertVerifies(byte[] signature)
    {
        using var certificate = X509CertificateLoader.LoadCertificate(fixture.Card.Certificates!.Authentication);
        using var rsa = certificate.GetRSAPublicKey()!;
        Assert.True(rsa.VerifyData(Message, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }
}
