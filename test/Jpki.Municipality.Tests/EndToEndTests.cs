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
using Jpki.Municipality.Tests.Fakes;

namespace Jpki.Municipality.Tests;

/// <summary>
/// The counter with the real software CA and the real SQLite certificate registry; the card is the in-memory fake
/// generating real RSA keys. The same suite runs over the two wirings of the seam (issue 14): the counter calling the
/// authority in process (<see cref="InProcessEndToEndTests"/>) and over HTTP, through <c>HttpCertificateIssuer</c> against
/// the authority API of a running server host on the same registry and clock (<see cref="OverHttpEndToEndTests"/>).
/// </summary>
public abstract partial class EndToEndTests : IAsyncLifetime
{
    private readonly CounterHarness _h = new();
    private readonly string _registryDirectory = Path.Combine(Path.GetTempPath(), "jpki-counter-e2e-" + Guid.NewGuid().ToString("N")[..12]);
    private IRegistryStore _registry = null!;
    private IssuingCa _signCa = null!;
    private IssuingCa _authCa = null!;
    private CertificateAuthority _authority = null!;
    private ICertificateIssuer _issuer = null!;
    private CounterService _counter = null!;
    private RegistryChangeService _changes = null!;

    public async Task InitializeAsync()
    {
        await _h.InitializeAsync();
        _registry = await RegistryFactory.OpenAsync(Path.Combine(_registryDirectory, RegistryFactory.DefaultFileName), _h.Clock, default);
        _signCa = IssuingCa.CreateRoot(CertificateKind.Signature, CaNames.Production(CertificateKind.Signature), new SoftwareCaKey(RSA.Create(2048)), [0x01, 0x02], CounterHarness.Start.AddDays(-30));
        _authCa = IssuingCa.CreateRoot(CertificateKind.Authentication, CaNames.Production(CertificateKind.Authentication), new SoftwareCaKey(RSA.Create(2048)), [0x01, 0x03], CounterHarness.Start.AddDays(-30));
        _authority = new CertificateAuthority(_signCa, _authCa, _registry, _registry, _h.Clock, new AuthorityOptions { RegistrationAuthorityKeys = [RaKey] });
        _issuer = await WireAsync(_authority, _registry, _h.Clock);
        _counter = new CounterService(_h.Store, _issuer, new JpkiCharsetMapper(), new OfficeCalendarHours(), _h.Clock);
        _changes = new RegistryChangeService(_h.Store, _issuer, _h.Clock);
    }

    /// <summary>The registration-authority key the HTTP wiring presents.</summary>
    protected const string RaKey = "end-to-end-counter-key";

    /// <summary>The counter's view of <paramref name="authority"/>: in process, or over HTTP.</summary>
    protected abstract Task<ICertificateIssuer> WireAsync(CertificateAuthority authority, IRegistryStore registry, TimeProvider clock);

    /// <summary>Stops what <see cref="WireAsync"/> started.</summary>
    protected virtual Task UnwireAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await UnwireAsync();
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

    [Fact]
    public async Task CardWriteFailsOnce_CertificateRevokedUnspecified_ClerkToldAndJournaled_IssuedAgainAtOnce()
    {
        var card = await _h.AddResidentAsync("R1");
        card.KeyBits = 2048;
        card.FailingWrites = 1;

        var failed = await _counter.IssueAsync(_h.Clerk, card, CounterHarness.Request("R1", includeSign: false, sign: null), default);

        Assert.Equal("card-write-failed", failed.Code);
        var lost = Assert.Single(await _registry.FindByHolderAsync("R1", default));
        Assert.Equal(RevocationReason.Unspecified, lost.Revocation?.Reason);
        Assert.Contains(lost.SerialHex, failed.Message, StringComparison.Ordinal);
        Assert.Contains("was revoked", failed.Message, StringComparison.Ordinal);
        var workflow = Assert.Single(await _counter.IssuancesAsync("R1", default));
        Assert.Equal((IssuanceWorkflowState.Revoked, lost.SerialHex, (string?)null), (workflow.State, workflow.Serial, workflow.RequestBody));
        var journal = await _h.JournalAsync();
        var recovered = Assert.Single(journal, e => e.Action == Reports.CounterActions.IssueRecovered);
        Assert.Contains(lost.SerialHex, recovered.Details, StringComparison.Ordinal);
        Assert.Contains("card-write-failed", recovered.Details, StringComparison.Ordinal);
        Assert.Single(journal, e => e.Action == Reports.CounterActions.Issue && e.Outcome == "card-write-failed");

        // The resident is issued again at once: the lost certificate does not count (no renewal-too-early).
        var again = await _counter.IssueAsync(_h.Clerk, card, CounterHarness.Request("R1", includeSign: false, sign: null), default);

        Assert.True(again.IsAllowed, again.Message);
        var live = Assert.Single(await _registry.FindByHolderAsync("R1", default), r => r.Revocation is null);
        Assert.Equal(live.Der.ToArray(), card.Certificates[CertificateKind.Authentication]);
    }

    [Fact]
    public async Task CardWriteFailsWhileTheAuthorityIsDown_NextAttemptResolvesItFirst()
    {
        var card = await _h.AddResidentAsync("R1");
        card.KeyBits = 2048;
        card.FailingWrites = 1;
        var flaky = new FlakyIssuer(_issuer);
        var counter = new CounterService(_h.Store, flaky, new JpkiCharsetMapper(), new OfficeCalendarHours(), _h.Clock);
        card.BeforeWrite = _ =>
        {
            flaky.Down = true; // the authority goes away between the issuance and the revocation
            return Task.CompletedTask;
        };

        var failed = await counter.IssueAsync(_h.Clerk, card, CounterHarness.Request("R1", includeSign: false, sign: null), default);
        card.BeforeWrite = null;

        Assert.Equal("card-write-failed", failed.Code);
        Assert.Contains("will be revoked automatically", failed.Message, StringComparison.Ordinal);
        Assert.Null(Assert.Single(await _registry.FindByHolderAsync("R1", default)).Revocation);
        var open = Assert.Single(await _counter.IssuancesAsync("R1", default));
        // The card was read back (the certificate is not on it), the revocation could not be sent: still open, once tried.
        Assert.Equal((IssuanceWorkflowState.Writing, 1), (open.State, open.Attempts));

        // Still down: the next attempt says so instead of renewal-too-early.
        Assert.Equal("issuance-unresolved", (await counter.IssueAsync(_h.Clerk, card, CounterHarness.Request("R1", includeSign: false, sign: null), default)).Code);

        flaky.Down = false;
        var again = await counter.IssueAsync(_h.Clerk, card, CounterHarness.Request("R1", includeSign: false, sign: null), default);

        Assert.True(again.IsAllowed, again.Message);
        var all = await _registry.FindByHolderAsync("R1", default);
        Assert.Equal(2, all.Count);
        Assert.Equal(RevocationReason.Unspecified, all.Single(r => r.SerialHex == open.Serial).Revocation?.Reason);
        Assert.Single(await _h.JournalAsync(), e => e.Action == Reports.CounterActions.IssueRecovered && e.Details.Contains("next-attempt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task KilledBetweenIssueAndWrite_ResolvedAfterRestart_ByTheWorkerOnceTheGracePassed()
    {
        var card = await _h.AddResidentAsync("R1");
        card.KeyBits = 2048;
        var writing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var kill = new CancellationTokenSource();
        card.BeforeWrite = async token =>
        {
            writing.TrySetResult();
            await Task.Delay(Timeout.Infinite, token); // the process dies here
        };
        var inFlight = _counter.IssueAsync(_h.Clerk, card, CounterHarness.Request("R1", includeSign: false, sign: null), kill.Token);
        await writing.Task;

        // Kill: the store is closed under the issuance, and a new process opens it.
        var store = await _h.ReopenAsync();
        await kill.CancelAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => inFlight);
        var issued = Assert.Single(await _registry.FindByHolderAsync("R1", default));
        Assert.Null(issued.Revocation);
        // Killed after the writing mark, before the certificate reached the card: the new process reads the card back.
        var recovery = new IssuanceRecovery(store, _issuer, _h.Clock) { Cards = new FakeCardFinder(card) };
        Assert.Equal(IssuanceWorkflowState.Writing, Assert.Single(await store.ListOpenIssuancesAsync(null, default)).State);

        // The worker leaves a fresh workflow alone (it could be in progress in another process), then resolves it.
        Assert.Equal(1, await recovery.ResolveStaleAsync(default));
        Assert.Null((await _registry.FindBySerialAsync(issued.SerialHex, default))!.Revocation);
        _h.Clock.Advance(recovery.Grace);
        Assert.Equal(0, await recovery.ResolveStaleAsync(default));
        Assert.Equal(0, await recovery.ResolveStaleAsync(default));

        Assert.Equal(RevocationReason.Unspecified, (await _registry.FindBySerialAsync(issued.SerialHex, default))!.Revocation?.Reason);
        Assert.Empty(await store.ListOpenIssuancesAsync(null, default));
        var recovered = Assert.Single(await _h.JournalAsync(), e => e.Action == Reports.CounterActions.IssueRecovered);
        Assert.Contains("worker", recovered.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KilledBeforeTheAuthoritysAnswerWasRecorded_ResolvedWithTheSameRequestId_OneCertificateRevoked()
    {
        var card = await _h.AddResidentAsync("R1");
        card.KeyBits = 2048;
        var lossy = new FlakyIssuer(_issuer) { LoseNextIssueAnswer = true };
        var counter = new CounterService(_h.Store, lossy, new JpkiCharsetMapper(), new OfficeCalendarHours(), _h.Clock);

        // The authority issues; the answer never comes back (retries exhausted): the outcome is unknown to the counter.
        await Assert.ThrowsAsync<HttpRequestException>(() => counter.IssueAsync(_h.Clerk, card, CounterHarness.Request("R1", includeSign: false, sign: null), default));
        var intent = Assert.Single(await _h.Store.ListOpenIssuancesAsync("R1", default));
        Assert.Equal((IssuanceWorkflowState.Intended, (string?)null), (intent.State, intent.Serial));
        Assert.NotNull(intent.RequestBody);

        var again = await counter.IssueAsync(_h.Clerk, card, CounterHarness.Request("R1", includeSign: false, sign: null), default);

        Assert.True(again.IsAllowed, again.Message);
        var all = await _registry.FindByHolderAsync("R1", default);
        Assert.Equal(2, all.Count); // the lost one (found again by its request id, not issued twice) and the new one
        var lost = all.Single(r => r.Request?.RequestId == intent.RequestId);
        Assert.Equal(RevocationReason.Unspecified, lost.Revocation?.Reason);
        var resolved = (await _counter.IssuancesAsync("R1", default)).Single(w => w.RequestId == intent.RequestId);
        Assert.Equal((IssuanceWorkflowState.Revoked, lost.SerialHex, (string?)null), (resolved.State, resolved.Serial, resolved.RequestBody));
    }

    [Fact]
    public async Task Renewal_AuthorityGoneBeforeTheSupersededRevocation_ResidentServed_OldRevokedOnceAfterRestart()
    {
        var card = await _h.AddResidentAsync("R1");
        card.KeyBits = 2048;
        var flaky = new FlakyIssuer(_issuer);
        var counter = new CounterService(_h.Store, flaky, new JpkiCharsetMapper(), new OfficeCalendarHours(), _h.Clock);
        var first = await counter.IssueAsync(_h.Clerk, card, CounterHarness.Request("R1", includeSign: false, sign: null), default);
        Assert.True(first.IsAllowed, first.Message);
        var old = Assert.Single(first.Value!.Certificates).SerialHex;

        // Inside the renewal window; the authority issues the new certificate, then cannot be reached for the revocation.
        _h.Clock.SetUtcNow(Jpki.Core.Time.JapanTime.At(new DateOnly(2030, 12, 2), new TimeOnly(10, 0)));
        flaky.RevocationsDown = true;
        var renewed = await counter.IssueAsync(_h.Clerk, card, CounterHarness.Request("R1", includeSign: false, sign: null), default);

        // The resident leaves with the new certificate on the card; the old one is still live, its revocation recorded.
        Assert.True(renewed.IsAllowed, renewed.Message);
        var line = Assert.Single(renewed.Value!.Certificates);
        Assert.Equal((IssuanceMode.Renewal, old), (line.Mode, line.PreviousSerialHex));
        using (var onCard = X509CertificateLoader.LoadCertificate(card.Certificates[CertificateKind.Authentication]))
        {
            Assert.Equal(line.SerialHex, onCard.SerialNumber, ignoreCase: true);
        }

        Assert.Null((await _registry.FindBySerialAsync(old, default))!.Revocation);
        var open = Assert.Single(await _h.Store.ListOpenIssuancesAsync("R1", default));
        Assert.Equal((IssuanceWorkflowState.Superseding, old, line.SerialHex, (string?)null), (open.State, open.Supersedes, open.Serial, open.RequestBody));
        Assert.Contains("authority", open.LastError, StringComparison.Ordinal);

        // The process stops; a new one opens the store with the authority back: the worker revokes the old one, once.
        var store = await _h.ReopenAsync();
        flaky.RevocationsDown = false;
        var recovery = new IssuanceRecovery(store, flaky, _h.Clock);
        _h.Clock.Advance(recovery.Grace);
        Assert.Equal(0, await recovery.ResolveStaleAsync(default));
        Assert.Equal(0, await recovery.ResolveStaleAsync(default));

        Assert.Equal(RevocationReason.Superseded, (await _registry.FindBySerialAsync(old, default))!.Revocation?.Reason);
        Assert.Null((await _registry.FindBySerialAsync(line.SerialHex, default))!.Revocation);
        Assert.Single(flaky.Revoked, r => r.Serial.Hex == old);
        Assert.Empty(await store.ListOpenIssuancesAsync(null, default));
        var done = Assert.Single(await store.ListIssuancesAsync("R1", 10, default), w => w.Serial == line.SerialHex);
        Assert.Equal(IssuanceWorkflowState.Written, done.State);
        var recovered = Assert.Single(await _h.JournalAsync(), e => e.Action == Reports.CounterActions.IssueRecovered);
        Assert.Contains("revoked (superseded)", recovered.Details, StringComparison.Ordinal);
        Assert.Contains("worker", recovered.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Renewal_AuthorityUp_OldRevokedSupersededAtOnce_NothingLeftOpen()
    {
        var card = await _h.AddResidentAsync("R1");
        card.KeyBits = 2048;
        var first = await _counter.IssueAsync(_h.Clerk, card, CounterHarness.Request("R1", includeSign: false, sign: null), default);
        Assert.True(first.IsAllowed, first.Message);
        var old = Assert.Single(first.Value!.Certificates).SerialHex;

        _h.Clock.SetUtcNow(Jpki.Core.Time.JapanTime.At(new DateOnly(2030, 12, 2), new TimeOnly(10, 0)));
        var renewed = await _counter.IssueAsync(_h.Clerk, card, CounterHarness.Request("R1", includeSign: false, sign: null), default);

        Assert.True(renewed.IsAllowed, renewed.Message);
        Assert.Equal(RevocationReason.Superseded, (await _registry.FindBySerialAsync(old, default))!.Revocation?.Reason);
        Assert.Empty(await _h.Store.ListOpenIssuancesAsync(null, default));
        Assert.DoesNotContain(await _h.JournalAsync(), e => e.Action == Reports.CounterActions.IssueRecovered);
    }

    /// <summary>The real in-process issuer behind a switch: down (every call fails as no answer), or losing one issuance answer after the authority committed.</summary>
    private sealed class FlakyIssuer(ICertificateIssuer inner) : ICertificateIssuer
    {
        public bool Down { get; set; }

        public bool LoseNextIssueAnswer { get; set; }

        /// <summary>Revocations fail as no answer (the authority went away after issuing).</summary>
        public bool RevocationsDown { get; set; }

        /// <summary>The revocations the authority was asked for and answered.</summary>
        public List<(CertificateSerial Serial, RevocationReason Reason)> Revoked { get; } = [];

        public async Task<AuthorityCertificate> IssueAsync(CertificateIssuance request, CancellationToken cancellationToken)
        {
            ThrowIfDown();
            var issued = await inner.IssueAsync(request, cancellationToken);
            if (LoseNextIssueAnswer)
            {
                LoseNextIssueAnswer = false;
                throw new HttpRequestException("The connection was reset before the answer arrived (test).");
            }

            return issued;
        }

        public async Task<RevokeResult> RevokeAsync(CertificateSerial serial, RevocationReason reason, CancellationToken cancellationToken)
        {
            ThrowIfDown();
            if (RevocationsDown)
            {
                throw new HttpRequestException("The authority cannot be reached (test).");
            }

            var result = await inner.RevokeAsync(serial, reason, cancellationToken);
            Revoked.Add((serial, reason));
            return result;
        }

        public Task<IReadOnlyList<AuthorityCertificate>> FindByHolderAsync(HolderId holder, CancellationToken cancellationToken)
        {
            ThrowIfDown();
            return inner.FindByHolderAsync(holder, cancellationToken);
        }

        public Task<byte[]> GetCaCertificateAsync(CertificateKind kind, CancellationToken cancellationToken) => inner.GetCaCertificateAsync(kind, cancellationToken);

        private void ThrowIfDown()
        {
            if (Down)
            {
                throw new HttpRequestException("The authority cannot be reached (test).");
            }
        }
    }
}

/// <summary>The counter calls the authority in process (<c>AuthorityCertificateIssuer</c>, as <c>jpki serve --role all</c>).</summary>
public sealed class InProcessEndToEndTests : EndToEndTests
{
    protected override Task<ICertificateIssuer> WireAsync(CertificateAuthority authority, IRegistryStore registry, TimeProvider clock) =>
        Task.FromResult<ICertificateIssuer>(new Jpki.Server.Composition.AuthorityCertificateIssuer(authority, "counter"));
}

/// <summary>
/// The counter calls the authority over HTTP (<c>HttpCertificateIssuer</c>, as <c>jpki serve --role counter --authority
/// URL</c>): the authority API of a server host built on the same authority, registry and clock, on a loopback port, with
/// the registration-authority key. The process boundary itself is covered by
/// <c>Jpki.Server.Tests.Counter.CounterAuthorityProcessesTests</c> (a real authority process has the real clock).
/// </summary>
public sealed class OverHttpEndToEndTests : EndToEndTests
{
    private readonly string _hostDirectory = Path.Combine(Path.GetTempPath(), "jpki-counter-e2e-host-" + Guid.NewGuid().ToString("N")[..12]);
    private AuthorityRuntime? _runtime;
    private Microsoft.AspNetCore.Builder.WebApplication? _host;
    private HttpClient? _http;

    protected override async Task<ICertificateIssuer> WireAsync(CertificateAuthority authority, IRegistryStore registry, TimeProvider clock)
    {
        _runtime = new AuthorityRuntime(authority, registry, Path.Combine(_hostDirectory, "crl"));
        _host = Jpki.Server.JpkiServerHost.Build(new Jpki.Server.JpkiServerOptions { DataDirectory = Path.Combine(_hostDirectory, "data"), Urls = "http://127.0.0.1:0" }, clock, _runtime);
        await _host.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_host.Urls.First()) };
        return new HttpCertificateIssuer(_http, RaKey);
    }

    protected override async Task UnwireAsync()
    {
        _http?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (_runtime is not null)
        {
            await _runtime.DisposeAsync();
        }

        try
        {
            Directory.Delete(_hostDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
