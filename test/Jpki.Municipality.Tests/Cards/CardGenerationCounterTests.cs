using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Jpki.Card.Client;
using Jpki.Card.Issuer;
using Jpki.Core.Identity;
using Jpki.Core.Rules;
using Jpki.Core.Time;
using Jpki.Municipality.Applications;
using Jpki.Municipality.Cards;

namespace Jpki.Municipality.Tests.Cards;

/// <summary>
/// One counter flow with both card generations against the matching authority (JPKI-REFERENCE §7 and §14): the card's
/// keys generated on the card, the certificates issued and written, the card signing with them, the validity and the
/// renewal window chosen by the card's profile.
/// </summary>
public sealed class CardGenerationCounterTests
{
    public static TheoryData<bool> Generations => new() { false, true };

    [Theory]
    [MemberData(nameof(Generations))]
    public async Task IssueAsync_CardOfEachGeneration_KeysOnCardCertificatesWrittenRulesByProfile(bool nextGeneration)
    {
        var c = new RealCounter(nextGeneration: nextGeneration);
        await c.InitializeAsync();
        try
        {
            var id = await c.AddResidentWithCardAsync("R1");
            var cardExpiry = c.CardExpiry;

            using (var card = await c.Runtime.Cards.OpenAsync(id, default))
            {
                var info = await card.ReadInfoAsync(default);
                Assert.Equal(nextGeneration ? CardGeneration.NextGeneration : CardGeneration.Current, info.Generation);

                var outcome = await c.Runtime.Counter.IssueAsync(c.Clerk, card, RealCounter.Request("R1"), default);

                Assert.True(outcome.IsAllowed, outcome.Message);
                foreach (var line in outcome.Value!.Certificates)
                {
                    // Issued 2026-06-10, born 1980-02-17: today's card → 5th birthday 2031-02-17 (window from 3 months
                    // before); the next generation → ten years (2036-06-10), capped by the card (window from 1 year before).
                    Assert.Equal(nextGeneration ? (cardExpiry, "card") : (new DateOnly(2031, 2, 17), "birthday-5"), (line.ExpiresOn, line.DecidedBy));
                    Assert.Equal(nextGeneration ? line.ExpiresOn.AddYears(-1) : line.ExpiresOn.AddMonths(-3), line.RenewalOpens);
                }

                AssertCardSignsWithItsCertificate(card, CertificateKind.Signature, "ABC123", nextGeneration);
                AssertCardSignsWithItsCertificate(card, CertificateKind.Authentication, "5678", nextGeneration);
            }

            var listed = await c.Runtime.Counter.CertificatesAsync("R1", default);
            Assert.All(listed, h => Assert.Equal(nextGeneration ? h.ExpiresOn.AddYears(-1) : h.ExpiresOn.AddMonths(-3), h.RenewalOpens));
        }
        finally
        {
            await c.DisposeAsync();
        }
    }

    [Theory]
    [MemberData(nameof(Generations))]
    public async Task RenewAsync_EightMonthsBeforeExpiry_OnlyTheNextGenerationMayRenew(bool nextGeneration)
    {
        var c = new RealCounter(nextGeneration: nextGeneration);
        await c.InitializeAsync();
        try
        {
            var id = await c.AddResidentWithCardAsync("R1");
            DateOnly expires;
            using (var card = await c.Runtime.Cards.OpenAsync(id, default))
            {
                var issued = await c.Runtime.Counter.IssueAsync(c.Clerk, card, RealCounter.Request("R1"), default);
                Assert.True(issued.IsAllowed, issued.Message);
                expires = issued.Value!.Certificates[0].ExpiresOn;
            }

            // A Wednesday about eight months before the expiry: outside today's 3-month window, inside the 1-year one.
            var day = expires.AddMonths(-8);
            while (day.DayOfWeek != DayOfWeek.Wednesday)
            {
                day = day.AddDays(1);
            }

            c.Clock.SetUtcNow(JapanTime.At(day, new TimeOnly(10, 0)));
            var suggestions = await c.Runtime.Counter.SuggestAsync("R1", default);
            Assert.All(suggestions, s => Assert.Equal(nextGeneration ? "renewal" : "renewal-too-early", s.Reason));

            using var again = await c.Runtime.Cards.OpenAsync(id, default);
            var renewed = await c.Runtime.Counter.RenewAsync(c.Clerk, again, RealCounter.Request("R1"), default);

            if (nextGeneration)
            {
                Assert.True(renewed.IsAllowed, renewed.Message);
                Assert.All(renewed.Value!.Certificates, l => Assert.Equal(IssuanceMode.Renewal, l.Mode));
            }
            else
            {
                Assert.Equal(RenewalWindow.TooEarlyCode, renewed.Code);
            }
        }
        finally
        {
            await c.DisposeAsync();
        }
    }

    private static void AssertCardSignsWithItsCertificate(CardCounterCard card, CertificateKind kind, string pin, bool nextGeneration)
    {
        var client = card.Client;
        Assert.True(client.Verify(kind == CertificateKind.Signature ? Jpki.Core.Pins.PinKind.SignaturePassword : Jpki.Core.Pins.PinKind.AuthenticationPin, pin).Verified);
        var data = Encoding.UTF8.GetBytes("counter flow " + kind);
        var (signature, algorithm) = client.SignData(kind, data);
        using var certificate = X509CertificateLoader.LoadCertificate(client.ReadCertificate(kind == CertificateKind.Signature ? CertificateSlot.Signature : CertificateSlot.Authentication)!);
        if (nextGeneration)
        {
            Assert.Equal("ecdsa-with-SHA384", algorithm);
            using var key = certificate.GetECDsaPublicKey()!;
            Assert.Equal(384, key.KeySize);
            Assert.True(key.VerifyData(data, signature, HashAlgorithmName.SHA384, DSASignatureFormat.Rfc3279DerSequence));
            data[0] ^= 1;
            Assert.False(key.VerifyData(data, signature, HashAlgorithmName.SHA384, DSASignatureFormat.Rfc3279DerSequence));
        }
        else
        {
            Assert.Equal("sha256WithRSAEncryption", algorithm);
            using var key = certificate.GetRSAPublicKey()!;
            Assert.True(key.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        }

        client.Logout();
    }
}
