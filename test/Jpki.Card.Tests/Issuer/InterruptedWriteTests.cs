using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Card.Client;
using Jpki.Card.Issuer;
using Jpki.Card.Transport;

namespace Jpki.Card.Tests.Issuer;

/// <summary>A certificate write cut off at any APDU leaves the old certificate; writing again from scratch succeeds.</summary>
public sealed class InterruptedWriteTests
{
    public static TheoryData<int> Cuts => new() { 3, 4, 5, 6, 7, 8, 9 };

    [Theory]
    [MemberData(nameof(Cuts))]
    public void WriteCertificate_CardPulledAfterNApdus_OldCertificateKept_RewriteComplete(int apdus)
    {
        using var card = TestCard.Create();
        var old = ReadAuthCertificate(card);
        var replacement = Certificate();
        using var key = TestCard.ManagementKey();

        // Authenticate (SELECT AP, GET CHALLENGE, EXTERNAL AUTHENTICATE) = 3 APDUs, then SELECT EF, ERASE, 5 UPDATEs, ACTIVATE.
        using (var pulled = new CardPulledTransport(card.Card, apdus))
        {
            var issuer = new CardIssuerClient(new JpkiCardClient(pulled), key, TestCard.CardNumber);
            Assert.Throws<CardTransportException>(() => issuer.WriteCertificate(CertificateSlot.Authentication, replacement));
        }

        card.Reopen();
        Assert.Equal(old, ReadAuthCertificate(card));

        using (var transport = new InProcessTransport(card.Card))
        {
            new CardIssuerClient(new JpkiCardClient(transport), key, TestCard.CardNumber).WriteCertificate(CertificateSlot.Authentication, replacement);
        }

        card.Reopen();
        Assert.Equal(replacement, ReadAuthCertificate(card));
    }

    private static byte[] ReadAuthCertificate(TestCard card)
    {
        using var transport = new InProcessTransport(card.Card);
        return new JpkiCardClient(transport).ReadCertificate(CertificateSlot.Authentication)!;
    }

    /// <summary>About 1.1 KB: five UPDATE BINARY chunks.</summary>
    private static byte[] Certificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=OpenJpki interrupted write", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509Extension("1.3.6.1.4.1.55555.2", [0x04, 0x82, 0x01, 0x2C, .. new byte[300]], critical: false));
        using var certificate = request.CreateSelfSigned(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));
        return certificate.RawData;
    }
}
