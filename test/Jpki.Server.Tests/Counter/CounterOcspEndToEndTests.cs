using System.Net.Http.Headers;
using Jpki.Authority.Tests.Support;
using Jpki.Card.Client;
using Jpki.Card.Issuer;
using Jpki.Card.Transport;
using Jpki.Card.Virtual;
using Jpki.Core.Identity;
using Jpki.Core.Pins;
using Jpki.Core.Time;
using Jpki.Municipality.Applications;
using Jpki.Municipality.Cards;
using Jpki.Municipality.Hosting;
using Jpki.Municipality.Issuance;
using Jpki.Municipality.Residents;
using Jpki.Municipality.Staff;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Org.BouncyCastle.Ocsp;

namespace Jpki.Server.Tests.Counter;

/// <summary>
/// End to end: the real server (JpkiServerHost.Build with its auto-initialised embedded authority) and the real counter
/// runtime sharing that authority and data folder; both certificates issued onto a virtual card file through the real
/// card adapter; the resident moves; the server's /ocsp (HTTP POST) answers REVOKED for the signature certificate at
/// once — the GOOD answer it cached before is dropped — and GOOD for the authentication certificate.
/// Run with the counter store on SQLite and on PostgreSQL.
/// </summary>
public abstract class CounterOcspEndToEndTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _clock = new(JapanTime.At(new DateOnly(2026, 6, 10), new TimeOnly(10, 0)));
    private WebApplication _app = null!;
    private HttpClient _http = null!;
    private CounterRuntime _counter = null!;

    /// <summary>Where the running issuance dies (an exception that unwinds it with no clean-up), or null.</summary>
    private Func<IssuanceStep, CertificateKind, bool>? _killAt;

    protected abstract Task<string?> CounterDatabaseAsync();

    private Jpki.Authority.Ca.AuthorityRuntime _authority = null!;

    public async Task InitializeAsync()
    {
        var data = _dir.File("data");
        _app = JpkiServerHost.Build(new JpkiServerOptions { DataDirectory = data, Urls = "http://127.0.0.1:0" }, _clock);
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
        _authority = _app.Services.GetRequiredService<OwnedAuthority>().Runtime;
        _counter = await Jpki.Server.Composition.CounterComposition.OpenAsync(
            new CounterRuntimeOptions
            {
                DataDirectory = data, UsePcsc = false, PostgresConnectionString = await CounterDatabaseAsync(), UseDevelopmentCardKey = true,
                IssuanceStepHook = (step, kind, _) => _killAt?.Invoke(step, kind) == true ? throw new OperationCanceledException("killed (test)") : Task.CompletedTask,
            }, _clock, _authority, default);
    }

    public async Task DisposeAsync()
    {
        await _counter.DisposeAsync();
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task IssueOnCardThenMove_OcspSignRevokedAuthGood()
    {
        var cardFile = await BlankCardForR1Async();

        IssuanceReceipt receipt;
        using (var card = await _counter.Cards.OpenAsync("file:r1.jpkicard", default))
        {
            var outcome = await _counter.Counter.IssueAsync(
                StaffAccount.Clerk("clerk1"), card,
                new IssuanceRequest("R1", true, SecretPin.From("1234"), SecretPin.From("ABC123"), SecretPin.From("5678")), default);
            Assert.True(outcome.IsAllowed, outcome.Message);
            receipt = outcome.Value!;
        }

        byte[] signDer, authDer;
        using (var card = VirtualCard.Open(cardFile))
        using (var transport = new InProcessTransport(card))
        {
            var client = new JpkiCardClient(transport);
            authDer = client.ReadCertificate(CertificateSlot.Authentication)!;
            Assert.True(client.Verify(PinKind.SignaturePassword, "ABC123").Verified);
            signDer = client.ReadCertificate(CertificateSlot.Signature)!;
        }

        var sign = receipt.Certificates.Single(c => c.Kind == CertificateKind.Signature).SerialHex;
        var auth = receipt.Certificates.Single(c => c.Kind == CertificateKind.Authentication).SerialHex;
        var authority = _authority.Authority;
        Assert.Equal((await authority.Registry.FindBySerialAsync(sign, default))!.Der, signDer);
        Assert.Equal((await authority.Registry.FindBySerialAsync(auth, default))!.Der, authDer);
        Assert.Null(await StatusAsync(authority.SignCa.CertificateDer, sign)); // good, and now cached by the responder

        _clock.Advance(TimeSpan.FromMinutes(10));
        var moved = await _counter.Changes.ApplyAsync(
            new ResidentChange(ResidentChangeKind.MoveWithin, "R1", NewAddress: "東京都千代田区丸の内２－２"), StaffAccount.Clerk("clerk1"), default);
        Assert.True(moved.IsAllowed && moved.Value!.AllRevocationsDone, moved.Message);

        var signStatus = await StatusAsync(authority.SignCa.CertificateDer, sign);
        var revoked = Assert.IsType<RevokedStatus>(signStatus);
        Assert.Equal(Org.BouncyCastle.Asn1.X509.CrlReason.AffiliationChanged, revoked.RevocationReason);
        Assert.Null(await StatusAsync(authority.AuthCa.CertificateDer, auth));
    }

    [Fact]
    public async Task CardWriteFailsOnce_NoLiveCertificate_RegistryCrlAndOcspSayRevoked_IssuedAgainAtOnce()
    {
        await BlankCardForR1Async();
        var request = new IssuanceRequest("R1", true, SecretPin.From("1234"), null, SecretPin.From("5678"), IncludeSignature: false);
        using (var card = await _counter.Cards.OpenAsync("file:r1.jpkicard", default))
        {
            var failed = await _counter.Counter.IssueAsync(StaffAccount.Clerk("clerk1"), new FailFirstWriteCard(card), request, default);
            Assert.Equal(CounterCodes.CardWriteFailed, failed.Code);
        }

        var authority = _authority.Authority;
        var lost = Assert.Single(await authority.Registry.FindByHolderAsync("R1", default));
        Assert.Equal(RevocationReason.Unspecified, lost.Revocation?.Reason);

        // OCSP answers revoked at once; the next CRL lists it (openssl verifies the CRL and reads the entry).
        var status = Assert.IsType<RevokedStatus>(await StatusAsync(authority.AuthCa.CertificateDer, lost.SerialHex));
        Assert.False(status.HasRevocationReason); // unspecified: RFC 5280 omits the reason code
        var crl = await _authority.Crls.PublishAsync(CertificateKind.Authentication, "test", default);
        File.WriteAllText(_dir.File("auth-ca.pem"), Jpki.Testing.OpenSsl.Pem("CERTIFICATE", authority.AuthCa.CertificateDer.ToArray()));
        var (exit, text, error) = Jpki.Testing.OpenSsl.Run("crl", "-inform", "DER", "-in", crl.Path, "-CAfile", _dir.File("auth-ca.pem"), "-verify", "-text", "-noout");
        Assert.True(exit == 0, error);
        Assert.Contains("Serial Number: " + lost.SerialHex, text, StringComparison.Ordinal);

        // The resident is issued again at once (no renewal-too-early), and only the new certificate is live.
        using (var card = await _counter.Cards.OpenAsync("file:r1.jpkicard", default))
        {
            var again = await _counter.Counter.IssueAsync(StaffAccount.Clerk("clerk1"), card, request, default);
            Assert.True(again.IsAllowed, again.Message);
        }

        var live = Assert.Single(await authority.Registry.FindByHolderAsync("R1", default), r => r.Revocation is null);
        Assert.Null(await StatusAsync(authority.AuthCa.CertificateDer, live.SerialHex));
    }

    /// <summary>
    /// Issue 14's crash window with the real card file, the real authority, its /ocsp and its CRL: both certificates are
    /// issued; the process dies at <paramref name="step"/> of the signature certificate's workflow (the authentication one
    /// is done). The worker of the restarted counter finds the card file by its number, reads the signature certificate
    /// back through the issuer channel (no password) and decides: written → live, GOOD, not in the CRL; otherwise →
    /// revoked unspecified, REVOKED, in the CRL (openssl verifies it) — once, whatever the number of rounds.
    /// </summary>
    [Theory]
    [InlineData(IssuanceStep.Issued)]
    [InlineData(IssuanceStep.Writing)]
    [InlineData(IssuanceStep.Written)]
    public async Task KilledAtEachStepOfTheSignatureCertificate_CardReadBack_RegistryOcspAndCrlAsTheWorkflowSays(IssuanceStep step)
    {
        await BlankCardForR1Async();
        _killAt = (reached, kind) => reached == step && kind == CertificateKind.Signature;
        using (var card = await _counter.Cards.OpenAsync("file:r1.jpkicard", default))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _counter.Counter.IssueAsync(
                StaffAccount.Clerk("clerk1"), card, new IssuanceRequest("R1", true, SecretPin.From("1234"), SecretPin.From("ABC123"), SecretPin.From("5678")), default));
        }

        _killAt = null;
        var open = Assert.Single(await _counter.Store.ListOpenIssuancesAsync(null, default));
        Assert.Equal(CertificateKind.Signature, open.Kind);

        // The restarted counter's worker, once the grace has passed; a second round finds nothing left.
        _clock.Advance(_counter.Recovery.Grace + TimeSpan.FromMinutes(1));
        Assert.Equal(0, await _counter.Recovery.ResolveStaleAsync(default));
        Assert.Equal(0, await _counter.Recovery.ResolveStaleAsync(default));

        var authority = _authority.Authority;
        var sign = (await authority.Registry.FindBySerialAsync(open.Serial!, default))!;
        var workflows = await _counter.Counter.IssuancesAsync("R1", default);
        Assert.Equal(IssuanceWorkflowState.Written, workflows.Single(w => w.Kind == CertificateKind.Authentication).State);
        var status = await StatusAsync(authority.SignCa.CertificateDer, open.Serial!);
        var crl = await _authority.Crls.PublishAsync(CertificateKind.Signature, "test", default);
        File.WriteAllText(_dir.File("sign-ca.pem"), Jpki.Testing.OpenSsl.Pem("CERTIFICATE", authority.SignCa.CertificateDer.ToArray()));
        var (exit, text, error) = Jpki.Testing.OpenSsl.Run("crl", "-inform", "DER", "-in", crl.Path, "-CAfile", _dir.File("sign-ca.pem"), "-verify", "-text", "-noout");
        Assert.True(exit == 0, error);
        byte[]? onCard;
        using (var card = await _counter.Cards.OpenAsync("file:r1.jpkicard", default))
        {
            onCard = await card.ReadCertificateAsync(CertificateKind.Signature, default);
        }

        var workflow = workflows.Single(w => w.RequestId == open.RequestId);
        if (step == IssuanceStep.Written)
        {
            Assert.Equal(IssuanceWorkflowState.Written, workflow.State);
            Assert.Null(sign.Revocation);
            Assert.Null(status);
            Assert.DoesNotContain("Serial Number: " + sign.SerialHex, text, StringComparison.Ordinal);
            Assert.Equal(sign.Der.ToArray(), onCard);
        }
        else
        {
            Assert.Equal(IssuanceWorkflowState.Revoked, workflow.State);
            Assert.Equal(RevocationReason.Unspecified, sign.Revocation?.Reason);
            Assert.IsType<RevokedStatus>(status);
            Assert.Contains("Serial Number: " + sign.SerialHex, text, StringComparison.Ordinal);
            Assert.Null(onCard);
        }

        Assert.Single(await _counter.Store.ListJournalAsync(DateTimeOffset.MinValue.AddDays(1), DateTimeOffset.MaxValue.AddDays(-1), default),
            e => e.Action == Jpki.Municipality.Reports.CounterActions.IssueRecovered);
    }

    /// <summary>Registers R1 with a blank virtual card (card PIN 1234) in the counter's card folder; returns its file.</summary>
    private async Task<string> BlankCardForR1Async()
    {
        const string number = "OJE2E00000000001";
        await _counter.Store.AddResidentsAsync([new Resident("R1", "髙橋　一郎", "タカハシ　イチロウ", "東京都千代田区千代田１－１", new DateOnly(1980, 2, 17), Sex.Male, false, "H1")], default);
        await _counter.Store.SaveCardAsync(new ResidentCard(number, "R1", CardKind.MyNumberCard, new DateOnly(2035, 2, 17)), default);
        var cardFile = Path.Combine(_counter.Options.DefaultCardFolder, "r1.jpkicard");
        Directory.CreateDirectory(_counter.Options.DefaultCardFolder);
        using var key = CardManagementKey.Derive(CardMasterKey.Development(), number);
        using var blank = VirtualCard.Create(cardFile, new VirtualCardSpec(number, "R1", CardKind.MyNumberCard, new DateOnly(2035, 2, 17)), key);
        using var transport = new InProcessTransport(blank);
        new CardIssuerClient(new JpkiCardClient(transport), key, number).SetPin(PinKind.CardPin, "1234");
        return cardFile;
    }

    /// <summary>POSTs a single-certificate request without a nonce (the cacheable kind); null = good.</summary>
    private async Task<object?> StatusAsync(byte[] caDer, string serialHex)
    {
        using var content = new ByteArrayContent(OcspClient.Request(caDer, serialHex));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/ocsp-request");
        using var response = await _http.PostAsync(new Uri("/ocsp", UriKind.Relative), content);
        response.EnsureSuccessStatusCode();
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(0, OcspClient.Status(bytes));
        var (single, _) = OcspClient.Read(bytes, caDer);
        Assert.Equal(new Org.BouncyCastle.Math.BigInteger(serialHex, 16), single.GetCertID().SerialNumber);
        return single.GetCertStatus();
    }
}

/// <summary>The real card adapter, except that the first certificate write fails as a card pulled from the reader would.</summary>
internal sealed class FailFirstWriteCard(ICounterCard inner) : ICounterCard
{
    private int _writes;

    public Task<CardInfo> ReadInfoAsync(CancellationToken cancellationToken) => inner.ReadInfoAsync(cancellationToken);

    public Task<PinCheck> VerifyCardPinAsync(SecretPin pin, CancellationToken cancellationToken) => inner.VerifyCardPinAsync(pin, cancellationToken);

    public Task<byte[]> GenerateKeyPairAsync(CertificateKind kind, CancellationToken cancellationToken) => inner.GenerateKeyPairAsync(kind, cancellationToken);

    public Task WriteCertificateAsync(CertificateKind kind, ReadOnlyMemory<byte> der, CancellationToken cancellationToken) =>
        Interlocked.Increment(ref _writes) == 1
            ? throw new IOException("The card was removed from the reader during the write (test).")
            : inner.WriteCertificateAsync(kind, der, cancellationToken);

    public Task SetPinAsync(PinKind kind, SecretPin pin, CancellationToken cancellationToken) => inner.SetPinAsync(kind, pin, cancellationToken);

    public Task<PukCheck> UnblockWithPukAsync(PinKind kind, SecretPin puk, SecretPin newPin, CancellationToken cancellationToken) => inner.UnblockWithPukAsync(kind, puk, newPin, cancellationToken);

    public Task<byte[]?> ReadCertificateAsync(CertificateKind kind, CancellationToken cancellationToken) => inner.ReadCertificateAsync(kind, cancellationToken);
}

/// <summary>Counter store on SQLite (<c>counter.db</c> in the data folder).</summary>
public sealed class SqliteCounterOcspEndToEndTests : CounterOcspEndToEndTests
{
    protected override Task<string?> CounterDatabaseAsync() => Task.FromResult<string?>(null);
}

/// <summary>Counter store on PostgreSQL (Debian postgresql-15; a fresh schema).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresCounterOcspEndToEndTests(PostgresServer server) : CounterOcspEndToEndTests
{
    protected override async Task<string?> CounterDatabaseAsync() => await server.CreateSchemaAsync();
}
