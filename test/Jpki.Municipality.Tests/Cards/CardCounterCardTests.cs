using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Card.Client;
using Jpki.Card.Transport;
using Jpki.Card.Virtual;
using Jpki.Core.Identity;
using Jpki.Core.Pins;
using Jpki.Core.Time;
using Jpki.Municipality.Applications;
using Jpki.Municipality.Cards;
using Jpki.Municipality.Issuance;

namespace Jpki.Municipality.Tests.Cards;

/// <summary>
/// The counter's workflows through the REAL card adapter on a virtual card file and the real authority of a data
/// folder; the card is then read back with the card client, as a relying party would.
/// </summary>
public sealed class CardCounterCardTests : IAsyncLifetime
{
    private readonly RealCounter _c = new();

    public Task InitializeAsync() => _c.InitializeAsync();

    public Task DisposeAsync() => _c.DisposeAsync();

    [Fact]
    public async Task IssueAsync_VirtualCard_CertificatesOnCardAndSignaturesVerify()
    {
        var id = await _c.AddResidentWithCardAsync("R1");

        IssuanceReceipt receipt;
        using (var card = await _c.Runtime.Cards.OpenAsync(id, default))
        {
            var outcome = await _c.Runtime.Counter.IssueAsync(_c.Clerk, card, RealCounter.Request("R1"), default);
            Assert.True(outcome.IsAllowed, outcome.Message);
            receipt = outcome.Value!;
        }

        using var reader = OpenClient("R1");
        foreach (var (kind, pinKind, pin) in new[] { (CertificateKind.Authentication, PinKind.AuthenticationPin, "5678"), (CertificateKind.Signature, PinKind.SignaturePassword, "abc123") })
        {
            var serial = receipt.Certificates.Single(c => c.Kind == kind).SerialHex;
            var record = (await _c.Authority.Authority.Registry.FindBySerialAsync(serial, default))!;
            Assert.True(reader.Client.Verify(pinKind, pin).Verified);
            var der = reader.Client.ReadCertificate(kind == CertificateKind.Signature ? CertificateSlot.Signature : CertificateSlot.Authentication);
            Assert.Equal(record.Der, der);
            var ca = reader.Client.ReadCertificate(kind == CertificateKind.Signature ? CertificateSlot.SignatureCa : CertificateSlot.AuthenticationCa);
            Assert.Equal(_c.Authority.Authority.CaOf(kind).CertificateDer, ca);

            var message = "counter test"u8.ToArray();
            var signature = reader.Client.SignSha256(kind, message);
            using var certificate = X509CertificateLoader.LoadCertificate(der!);
            using var rsa = certificate.GetRSAPublicKey()!;
            Assert.True(rsa.VerifyData(message, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), kind.ToString());
        }
    }

    [Fact]
    public async Task IssueAsync_WrongCardPinThenBlocked_RefusedAndNothingWritten()
    {
        var id = await _c.AddResidentWithCardAsync("R1");

        using (var card = await _c.Runtime.Cards.OpenAsync(id, default))
        {
            var first = await _c.Runtime.Counter.IssueAsync(_c.Clerk, card, RealCounter.Request("R1", "9999"), default);
            Assert.Equal(CounterCodes.CardPinWrong, first.Code);
            Assert.Contains("2", first.Message, StringComparison.Ordinal);
            var second = await _c.Runtime.Counter.IssueAsync(_c.Clerk, card, RealCounter.Request("R1", "9999"), default);
            Assert.Equal(CounterCodes.CardPinWrong, second.Code);
            var third = await _c.Runtime.Counter.IssueAsync(_c.Clerk, card, RealCounter.Request("R1", "9999"), default);
            Assert.Equal(CounterCodes.CardPinBlocked, third.Code);
            var afterwards = await _c.Runtime.Counter.IssueAsync(_c.Clerk, card, RealCounter.Request("R1"), default);
            Assert.Equal(CounterCodes.CardPinBlocked, afterwards.Code);
        }

        using var reader = OpenClient("R1");
        Assert.Null(reader.Client.ReadCertificate(CertificateSlot.Authentication));
        Assert.Empty(await _c.Authority.Authority.Registry.FindByHolderAsync("R1", default));
    }

    [Fact]
    public async Task IssueAsync_InsideRenewalWindow_NewKeysOnCardOldSuperseded()
    {
        var id = await _c.AddResidentWithCardAsync("R1");
        string oldAuth;
        using (var card = await _c.Runtime.Cards.OpenAsync(id, default))
        {
            var first = await _c.Runtime.Counter.IssueAsync(_c.Clerk, card, RealCounter.Request("R1"), default);
            Assert.True(first.IsAllowed, first.Message);
            oldAuth = first.Value!.Certificates.Single(c => c.Kind == CertificateKind.Authentication).SerialHex;
        }

        _c.Clock.SetUtcNow(JapanTime.At(new DateOnly(2030, 12, 2), new TimeOnly(10, 0)));
        IssuanceReceipt renewed;
        using (var card = await _c.Runtime.Cards.OpenAsync(id, default))
        {
            var outcome = await _c.Runtime.Counter.IssueAsync(_c.Clerk, card, RealCounter.Request("R1"), default);
            Assert.True(outcome.IsAllowed, outcome.Message);
            renewed = outcome.Value!;
        }

        var auth = renewed.Certificates.Single(c => c.Kind == CertificateKind.Authentication);
        Assert.Equal(IssuanceMode.Renewal, auth.Mode);
        Assert.NotNull((await _c.Authority.Authority.Registry.FindBySerialAsync(oldAuth, default))!.Revocation);
        using var reader = OpenClient("R1");
        var der = reader.Client.ReadCertificate(CertificateSlot.Authentication)!;
        Assert.Equal((await _c.Authority.Authority.Registry.FindBySerialAsync(auth.SerialHex, default))!.Der, der);
        Assert.True(reader.Client.Verify(PinKind.AuthenticationPin, "5678").Verified);
        using var certificate = X509CertificateLoader.LoadCertificate(der);
        var signature = reader.Client.SignSha256(CertificateKind.Authentication, "renewed"u8);
        Assert.True(certificate.GetRSAPublicKey()!.VerifyData("renewed"u8, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public async Task ResetPinAsync_BlockedAuthPin_UnblockedWithNewPin()
    {
        var id = await _c.AddResidentWithCardAsync("R1");
        using (var card = await _c.Runtime.Cards.OpenAsync(id, default))
        {
            Assert.True((await _c.Runtime.Counter.IssueAsync(_c.Clerk, card, RealCounter.Request("R1"), default)).IsAllowed);
        }

        using (var reader = OpenClient("R1"))
        {
            for (var i = 0; i < 3; i++)
            {
                reader.Client.Verify(PinKind.AuthenticationPin, "0000");
            }

            Assert.True(reader.Client.Verify(PinKind.AuthenticationPin, "5678").Blocked);
        }

        using (var card = await _c.Runtime.Cards.OpenAsync(id, default))
        {
            var outcome = await _c.Runtime.Counter.ResetPinAsync(_c.Clerk, card, new PinResetRequest("R1", true, PinKind.AuthenticationPin, Jpki.Municipality.Issuance.SecretPin.From("2468")), default);
            Assert.True(outcome.IsAllowed, outcome.Message);
        }

        using var again = OpenClient("R1");
        Assert.True(again.Client.Verify(PinKind.AuthenticationPin, "2468").Verified);
    }

    [Fact]
    public async Task CardSource_ListsFilesAndRefusesACardInUse()
    {
        var id = await _c.AddResidentWithCardAsync("R1");

        var slots = await _c.Runtime.Cards.ListAsync(default);

        var slot = Assert.Single(slots);
        Assert.Equal(id, slot.Id);
        Assert.Equal("OJT00000000000R1", slot.CardNumber);
        using var open = await _c.Runtime.Cards.OpenAsync(id, default);
        var busy = await Assert.ThrowsAsync<CounterCardException>(() => _c.Runtime.Cards.OpenAsync(id, default));
        Assert.Equal("card-in-use", busy.Code);
        var missing = await Assert.ThrowsAsync<CounterCardException>(() => _c.Runtime.Cards.OpenAsync("file:nobody.jpkicard", default));
        Assert.Equal("card-not-found", missing.Code);
        var escape = await Assert.ThrowsAsync<CounterCardException>(() => _c.Runtime.Cards.OpenAsync("file:../counter.db", default));
        Assert.Equal("card-not-found", escape.Code);
    }

    private OpenCard OpenClient(string residentId)
    {
        var card = VirtualCard.Open(Path.Combine(_c.CardFolder, residentId + ".jpkicard"));
        var transport = new InProcessTransport(card, ownsCard: true);
        return new OpenCard(transport, new JpkiCardClient(transport));
    }

    private sealed record OpenCard(ICardTransport Transport, JpkiCardClient Client) : IDisposable
    {
        public void Dispose() => Transport.Dispose();
    }
}
