using Jpki.Card.Apdu;
using Jpki.Card.Applications;
using Jpki.Card.Client;
using Jpki.Card.Issuer;
using Jpki.Card.Profiles;
using Jpki.Card.Transport;
using Jpki.Card.Virtual;
using Jpki.Core.Pins;

namespace Jpki.Card.Tests.Surface;

/// <summary>Card profiles: ATR, token label, which APs answer, and the smartphone tokens' read conditions.</summary>
public sealed class ProfileTests
{
    public static TheoryData<string, string, string, string> Profiles => new()
    {
        // profile, ATR, label, APs that answer SELECT (J = JPKI, T = text, V = visual, C = common, K = 住基)
        { "mynumber", "3BE000FF8131FE4514", "JPKIAPICCTOKEN2", "JTVCK" },
        { "mynumber-contactless", "3B888001000005E0B381A1007F", "JPKIAPICCTOKEN2", "JTVCK" },
        { "juki", "3B8580014A554B493128", "JPKIAPICCTOKEN", "JK" },
        { "android", "3B80800101", "JPKIAPGPSETOKEN", "J" },
        { "iphone", "3B80800101", "JPKIAPIOSTOKEN", "J" },
        { "nextgen", "3B8780014E45585447454E4D", "JPKIAPICCTOKEN2", "JT" },
    };

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Profile_AtrLabelAndApplications(string id, string atr, string label, string applications)
    {
        var profile = CardProfile.Find(id)!;
        using var card = ProfileCard.Create(profile);
        Assert.Equal(atr, Convert.ToHexString(card.Card.Atr.Span));
        using var transport = new InProcessTransport(card.Card);
        var client = new JpkiCardClient(transport);
        Assert.Equal(label, TokenInfo.ReadLabel(client.ReadTokenInfo()));
        foreach (var (letter, application) in new[] { ('J', CardApplication.Jpki), ('T', CardApplication.Text), ('V', CardApplication.Visual), ('C', CardApplication.Common), ('K', CardApplication.Juki) })
        {
            var response = client.Send(CommandApdu.Encode(0x00, 0xA4, 0x04, 0x0C, CardAids.Of(application)));
            Assert.Equal(applications.Contains(letter, StringComparison.Ordinal) ? StatusWords.Success : StatusWords.FileNotFound, response.StatusWord);
        }
    }

    [Theory]
    [InlineData("android", true)]
    [InlineData("iphone", true)]
    [InlineData("mynumber", false)]
    public void AuthCertificate_NeedsTheAuthPinOnPhones(string id, bool needsPin)
    {
        var profile = CardProfile.Find(id)!;
        Assert.Equal(needsPin, profile.AuthCertificateNeedsPin);
        using var card = ProfileCard.Create(profile);
        using var transport = new InProcessTransport(card.Card);
        var client = new JpkiCardClient(transport);
        using (var key = TestCard.ManagementKey())
        {
            var issuer = new CardIssuerClient(client, key, TestCard.CardNumber);
            issuer.WriteCertificate(CertificateSlot.Authentication, new byte[] { 0x30, 0x82, 0x00, 0x02, 0x05, 0x00 });
            issuer.SetPin(PinKind.AuthenticationPin, TestCard.AuthPin);
        }

        client.SelectApplication(CardApplication.Jpki);
        client.SelectFile(CardFiles.AuthCertificate);
        Assert.Equal(needsPin ? StatusWords.SecurityStatusNotSatisfied : StatusWords.Success, client.ReadBinary(0, 4).StatusWord);
        Assert.True(client.Verify(PinKind.AuthenticationPin, TestCard.AuthPin).Verified);
        client.SelectFile(CardFiles.AuthCertificate);
        Assert.Equal(StatusWords.Success, client.ReadBinary(0, 4).StatusWord);
    }

    [Fact]
    public void IPhone_AnswersTheLastCommandIndicator_AndHasNoContactAtr()
    {
        using var card = ProfileCard.Create(CardProfile.IPhoneToken);
        Assert.Equal(StatusWords.Success, card.Sw("80FC0000"));
        Assert.Equal(StatusWords.DataNotFound, card.Sw("00CA5F5100"));
    }

    [Theory]
    [InlineData("jpki-03", "C5FF8131FB458073C6010000")] // a contact ATR: GET DATA reports the one presented
    [InlineData("jpki-07", "E000FF8131FE4514")]         // contactless: the card's contact ATR
    public void ChosenAtr_IsPresented_AndGetData5F51ReportsTheContactAtr(string atrName, string getData)
    {
        var profile = CardProfile.MyNumberCard;
        using var card = ProfileCard.Create(profile, profile.FindAtr(atrName));
        Assert.Equal(profile.FindAtr(atrName)!.Bytes, card.Card.Atr.ToArray());
        Assert.Equal(getData, Convert.ToHexString(card.Send("00CA5F5100").Data));
    }

    [Fact]
    public void Create_ProfileOfAnotherKind_Refused()
    {
        var directory = Directory.CreateTempSubdirectory("jpki-profile-").FullName;
        try
        {
            using var key = TestCard.ManagementKey();
            var spec = new VirtualCardSpec("X1", "", Core.Identity.CardKind.MyNumberCard, new DateOnly(2035, 1, 1)) { Profile = CardProfile.JukiCard };
            Assert.Throws<ArgumentException>(() => VirtualCard.Create(Path.Combine(directory, "c.jpkicard"), spec, key));
            var wrongAtr = new VirtualCardSpec("X1", "", Core.Identity.CardKind.JukiCard, new DateOnly(2035, 1, 1)) { Atr = CardProfile.MyNumberCard.Atrs[0] };
            Assert.Throws<ArgumentException>(() => VirtualCard.Create(Path.Combine(directory, "d.jpkicard"), wrongAtr, key));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Atrs_AreWellFormed_WithTheRightTck()
    {
        foreach (var atr in CardProfile.All.SelectMany(p => p.Atrs).Distinct())
        {
            var b = atr.Bytes;
            Assert.Equal(0x3B, b[0]);
            var t0 = b[1];
            var history = t0 & 0x0F;
            var at = 2;
            var y = t0 >> 4;
            var tckNeeded = false;
            while (true)
            {
                at += ((y & 1) + ((y >> 1) & 1) + ((y >> 2) & 1));
                if ((y & 8) == 0)
                {
                    break;
                }

                var td = b[at++];
                tckNeeded |= (td & 0x0F) != 0;
                y = td >> 4;
            }

            Assert.Equal(b.Length, at + history + (tckNeeded ? 1 : 0));
            if (tckNeeded)
            {
                Assert.Equal(0, b[1..].Aggregate((byte)0, (x, v) => (byte)(x ^ v)));
            }
        }
    }
}

/// <summary>A blank card of a profile in a temp directory.</summary>
internal sealed class ProfileCard : IDisposable
{
    private readonly string _directory;

    private ProfileCard(string directory, VirtualCard card)
    {
        _directory = directory;
        Card = card;
    }

    public VirtualCard Card { get; }

    public static ProfileCard Create(CardProfile profile, CardAtr? atr = null)
    {
        var directory = Directory.CreateTempSubdirectory("jpki-profile-").FullName;
        using var key = TestCard.ManagementKey();
        var spec = new VirtualCardSpec(TestCard.CardNumber, "", profile.Kind, TestCard.Expiry) { Profile = profile, Atr = atr };
        return new ProfileCard(directory, VirtualCard.Create(Path.Combine(directory, "card.jpkicard"), spec, key, TestCard.Options));
    }

    public ushort Sw(string hex) => Send(hex).Sw;

    public (ushort Sw, byte[] Data) Send(string hex)
    {
        var response = Card.Transmit(Convert.FromHexString(hex));
        return ((ushort)((response[^2] << 8) | response[^1]), response[..^2]);
    }

    public void Dispose()
    {
        Card.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
