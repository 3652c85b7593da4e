using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Authority.Ca;
using Jpki.Authority.Keys;
using Jpki.Authority.Profiles;
using Jpki.Authority.Registry;
using Jpki.Core.Identity;
using Jpki.Municipality.Applications;
using Jpki.Municipality.Issuance;
using Jpki.Municipality.Residents;

namespace Jpki.Municipality.Tests;

/// <summary>
/// The counter with the real software CA and the real SQLite certificate registry (in process); the card is the
/// in-memory fake generating real RSA keys (the virtual card of feat/card is not wired yet).
/// </summary>
public sealed class EndToEndTests : IAsyncLifetime
{
    private readonly CounterHarness _h = new();
    private readonly string _registryDirectory = Path.Combine(Path.GetTempPath(), "jpki-counter-e2e-" + Guid.NewGuid().ToString("N")[..12]);
    private IRegistryStore _registry = null!;
    private IssuingCa _signCa = null!;
    private IssuingCa _authCa = null!;
    private CounterService _counter = null!;
    private RegistryChangeService _changes = null!;

    public async Task InitializeAsync()
    {
        await _h.InitializeAsync();
        _registry = await RegistryFactory.OpenAsync(Path.Combine(_registryDirectory, RegistryFactory.DefaultFileName), _h.Clock, default);
        _signCa = IssuingCa.CreateRoot(CertificateKind.Signature, CaNames.Production(CertificateKind.Signature), new SoftwareCaKey(RSA.Create(2048)), [0x01, 0x02], CounterHarness.Start.AddDays(-30));
        _authCa = IssuingCa.CreateRoot(CertificateKind.Authentication, CaNames.Production(CertificateKind.Authentication), new SoftwareCaKey(RSA.Create(2048)), [0x01, 0x03], CounterHarness.Start.AddDays(-30));
        var authority = new CertificateAuthority(_signCa, _authCa, _registry, _registry, _h.Clock, new AuthorityOptions());
        var issuer = new Jpki.Server.Composition.AuthorityCertificateIssuer(authority, "counter");
        _counter = new CounterService(_h.Store, issuer, new JpkiCharsetMapper(), new OfficeCalendarHours(), _h.Clock);
        _changes = new RegistryChangeService(_h.Store, issuer, _h.Clock);
    }

    public async Task DisposeAsync()
    {
        _signCa.Dispose();
        _authCa.Dispose();
        await _registry.DisposeAsync();
        await _h.DisposeAsync();
        try
        {
            Directory.Delete(_registryDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    [Fact]
    public async Task IssueThenMove_SignRevokedAffiliationChanged_AuthStillGood()
    {
        var card = await _h.AddResidentAsync("R1", name: "髙橋　一郎");
        card.KeyBits = 2048;

        var issued = await _counter.IssueAsync(_h.Clerk, card, CounterHarness.Request("R1"), default);

        Assert.True(issued.IsAllowed, issued.Message);
        var sign = issued.Value!.Certificates.Single(c => c.Kind == CertificateKind.Signature);
        var auth = issued.Value.Certificates.Single(c => c.Kind == CertificateKind.Authentication);
        using (var certificate = X509CertificateLoader.LoadCertificate(card.Certificates[CertificateKind.Signature]))
        {
            Assert.Equal(card.PublicKeys[CertificateKind.Signature], certificate.PublicKey.ExportSubjectPublicKeyInfo());
            Assert.Equal(new DateTimeOffset(2031, 2, 17, 23, 59, 59, TimeSpan.FromHours(9)), new DateTimeOffset(certificate.NotAfter));
        }

        _h.Clock.Advance(TimeSpan.FromHours(1));
        var moved = await _changes.ApplyAsync(new ResidentChange(ResidentChangeKind.MoveWithin, "R1", NewAddress: "東京都千代田区丸の内２－２"), _h.Clerk, default);

        Assert.True(moved.IsAllowed && moved.Value!.AllRevocationsDone, moved.Message);
        Assert.Equal(RevocationReason.AffiliationChanged, (await _registry.FindBySerialAsync(sign.SerialHex, default))!.Revocation!.Reason);
        Assert.Null((await _registry.FindBySerialAsync(auth.SerialHex, default))!.Revocation);
    }
}
