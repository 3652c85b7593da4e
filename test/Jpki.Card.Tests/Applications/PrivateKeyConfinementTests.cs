using System.Security.Cryptography;
using Jpki.Card.Client;
using Jpki.Card.Issuer;
using Jpki.Card.Transport;
using Jpki.Core.Identity;

namespace Jpki.Card.Tests.Applications;

public sealed class PrivateKeyConfinementTests
{
    /// <summary>Records every response, so a test can look for private key material in what left the card.</summary>
    private sealed class RecordingTransport(ICard card) : ICardTransport
    {
        public List<byte[]> Responses { get; } = [];

        public ReadOnlyMemory<byte> Atr => card.Atr;

        public string Name => "recording";

        public byte[] Transmit(ReadOnlySpan<byte> commandApdu)
        {
            var response = card.Transmit(commandApdu);
            Responses.Add(response);
            return response;
        }

        public void Dispose()
        {
        }
    }

    [Theory]
    [MemberData(nameof(TestCard.BothProfiles), MemberType = typeof(TestCard))]
    public void FullIssuanceAndUse_NoResponseContainsPrivateKeyMaterial(string profile)
    {
        using var card = TestCard.Create(profile, issue: false);
        var ec = profile == Jpki.Card.Profiles.CardProfile.NextGeneration.Id;
        using var key = TestCard.ManagementKey();
        using var transport = new RecordingTransport(card.Card);
        var client = new JpkiCardClient(transport);
        var issuer = new CardIssuerClient(client, key, TestCard.CardNumber);
        DevelopmentIssuance.Issue(issuer, TimeProvider.System, TestCard.AuthPin, TestCard.SignPassword, TestCard.CardPin);
        issuer.ReadPublicKey(CertificateKind.Signature);
        client.SelectApplication(Jpki.Card.Applications.CardApplication.Jpki);
        client.Verify(Core.Pins.PinKind.AuthenticationPin, TestCard.AuthPin);
        if (ec)
        {
            client.SignEcdsaHash(CertificateKind.Authentication, SHA384.HashData([1, 2, 3]));
        }
        else
        {
            client.SignSha256(CertificateKind.Authentication, [1, 2, 3]);
        }

        client.Verify(Core.Pins.PinKind.SignaturePassword, TestCard.SignPassword);
        client.ReadCertificate(CertificateSlot.Signature);

        var secrets = new List<byte[]>();
        foreach (var fid in new ushort[] { 0x0017, 0x001A })
        {
            if (ec)
            {
                using var ecdsa = ECDsa.Create();
                ecdsa.ImportPkcs8PrivateKey(card.Card.Processor.Image.Jpki.Keys[$"{fid:X4}"], out _);
                secrets.Add(ecdsa.ExportParameters(true).D!);
                continue;
            }

            using var rsa = RSA.Create();
            rsa.ImportPkcs8PrivateKey(card.Card.Processor.Image.Jpki.Keys[$"{fid:X4}"], out _);
            var p = rsa.ExportParameters(true);
            secrets.AddRange([p.D!, p.P!, p.Q!, p.DP!, p.DQ!, p.InverseQ!]);
        }

        var everything = transport.Responses.SelectMany(r => r).ToArray();
        foreach (var secret in secrets)
        {
            Assert.True(everything.AsSpan().IndexOf(secret.AsSpan(0, 16)) < 0, "a private key component left the card");
        }
    }
}
