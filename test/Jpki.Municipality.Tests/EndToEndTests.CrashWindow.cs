using System.Security.Cryptography.X509Certificates;
using Jpki.Core.Identity;
using Jpki.Municipality.Applications;
using Jpki.Municipality.Issuance;
using Jpki.Municipality.Residents;
using Jpki.Municipality.Tests.Fakes;

namespace Jpki.Municipality.Tests;

/// <summary>
/// The crash window of issue-then-write-card (issue 14): the process dies at each step of one certificate's workflow —
/// after the authority's answer is recorded (before the writing mark), after the writing mark (before the card write),
/// after the card write (before the state says so) — for a first issuance and for a renewal. The death is an
/// <see cref="OperationCanceledException"/> thrown from the step hook: the issuance unwinds with no clean-up at all.
/// A new process's recovery then reads the card back and decides exactly once: on the card → written (a renewal's old
/// certificate revoked superseded); not on it → revoked unspecified (the old one stays live); the registry agrees.
/// </summary>
public abstract partial class EndToEndTests
{
    public static TheoryData<IssuanceStep, bool> Steps() => new()
    {
        { IssuanceStep.Issued, false }, { IssuanceStep.Writing, false }, { IssuanceStep.Written, false },
        { IssuanceStep.Issued, true }, { IssuanceStep.Writing, true }, { IssuanceStep.Written, true },
    };

    [Theory]
    [MemberData(nameof(Steps))]
    public async Task KilledAtEachStep_RecoveryReadsTheCardBack_DecidesOnce_RegistryAgrees(IssuanceStep step, bool renewal)
    {
        var card = await _h.AddResidentAsync("R1");
        card.KeyBits = 2048;
        string? old = null;
        if (renewal)
        {
            var first = await _counter.IssueAsync(_h.Clerk, card, AuthOnly(), default);
            Assert.True(first.IsAllowed, first.Message);
            old = Assert.Single(first.Value!.Certificates).SerialHex;
            _h.Clock.SetUtcNow(Jpki.Core.Time.JapanTime.At(new DateOnly(2030, 12, 2), new TimeOnly(10, 0)));
        }

        var dying = CounterDyingAt(step);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dying.IssueAsync(_h.Clerk, card, AuthOnly(), default));

        var store = _h.Store;
        var open = Assert.Single(await store.ListOpenIssuancesAsync(null, default));
        Assert.Equal(step == IssuanceStep.Issued ? IssuanceWorkflowState.Issued : IssuanceWorkflowState.Writing, open.State);
        var onCard = card.Certificates.TryGetValue(CertificateKind.Authentication, out var der) && SerialOf(der) == open.Serial;
        Assert.Equal(step == IssuanceStep.Written, onCard);

        // The new process: its worker resolves the workflow once the grace has passed; a second round changes nothing.
        var authority = new CountingIssuer(_issuer);
        var finder = new FakeCardFinder(card);
        var recovery = new IssuanceRecovery(store, authority, _h.Clock) { Cards = finder };
        _h.Clock.Advance(recovery.Grace);
        Assert.Equal(0, await recovery.ResolveStaleAsync(default));
        Assert.Equal(0, await recovery.ResolveStaleAsync(default));

        var done = Assert.Single(await store.ListIssuancesAsync("R1", 10, default), w => w.RequestId == open.RequestId);
        var fresh = (await _registry.FindBySerialAsync(open.Serial!, default))!;
        var recovered = Assert.Single(await _h.JournalAsync(), e => e.Action == Reports.CounterActions.IssueRecovered);
        Assert.Equal(step == IssuanceStep.Issued ? 0 : 1, finder.Lookups); // the card is read only when it may have been written
        if (step == IssuanceStep.Written)
        {
            Assert.Equal(IssuanceWorkflowState.Written, done.State);
            Assert.Null(fresh.Revocation);
            Assert.DoesNotContain(authority.Revoked, r => r.Serial.Hex == open.Serial);
            if (renewal)
            {
                Assert.Equal(RevocationReason.Superseded, (await _registry.FindBySerialAsync(old!, default))!.Revocation?.Reason);
                Assert.Single(authority.Revoked, r => r.Serial.Hex == old);
                Assert.Contains("revoked (superseded)", recovered.Details, StringComparison.Ordinal);
            }
            else
            {
                Assert.Contains("on the card (read back)", recovered.Details, StringComparison.Ordinal);
            }

            // The certificate is live and on the card: a new issuance is a renewal, too early today.
            Assert.Equal("renewal-too-early", (await _counter.IssueAsync(_h.Clerk, card, AuthOnly(), default)).Code);
        }
        else
        {
            Assert.Equal(IssuanceWorkflowState.Revoked, done.State);
            Assert.Equal(RevocationReason.Unspecified, fresh.Revocation?.Reason);
            Assert.Single(authority.Revoked, r => r.Serial.Hex == open.Serial);
            Assert.Contains(step == IssuanceStep.Issued ? "never written" : "read back", recovered.Details, StringComparison.Ordinal);
            if (renewal)
            {
                // The renewal did not happen: the old certificate stays live (its holder renews again).
                Assert.Null((await _registry.FindBySerialAsync(old!, default))!.Revocation);
                Assert.DoesNotContain(authority.Revoked, r => r.Serial.Hex == old);
            }

            // Nothing live that the card does not hold: the resident is issued (or renewed) again at once.
            var again = await _counter.IssueAsync(_h.Clerk, card, AuthOnly(), default);
            Assert.True(again.IsAllowed, again.Message);
        }

        Assert.Null(done.RequestBody);
        Assert.Empty(await store.ListOpenIssuancesAsync(null, default));
        var live = Assert.Single(await _registry.FindByHolderAsync("R1", default), r => r.Revocation is null);
        Assert.Equal(live.Der.ToArray(), card.Certificates[CertificateKind.Authentication]);
    }

    [Fact]
    public async Task KilledAfterTheCardWrite_CardNotAtHand_StaysOpenNeverGuessed_ClerkTold_ThenThePresentedCardDecides()
    {
        var card = await _h.AddResidentAsync("R1");
        card.KeyBits = 2048;
        var dying = CounterDyingAt(IssuanceStep.Written);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dying.IssueAsync(_h.Clerk, card, AuthOnly(), default));
        var serial = Assert.Single(await _h.Store.ListOpenIssuancesAsync(null, default)).Serial!;

        // The worker cannot reach the card: it waits and says why; nothing is revoked on a guess.
        var recovery = new IssuanceRecovery(_h.Store, _issuer, _h.Clock) { Cards = new FakeCardFinder(card) { Absent = true } };
        _h.Clock.Advance(recovery.Grace);
        Assert.Equal(1, await recovery.ResolveStaleAsync(default));
        var waiting = Assert.Single(await _h.Store.ListOpenIssuancesAsync(null, default));
        Assert.Equal(IssuanceWorkflowState.Writing, waiting.State);
        Assert.StartsWith("card-needed", waiting.LastError, StringComparison.Ordinal);
        Assert.Contains(card.Info.CardId, waiting.LastError, StringComparison.Ordinal);
        Assert.Null((await _registry.FindBySerialAsync(serial, default))!.Revocation);

        // The clerk presents the card, but it does not answer: the issuance is refused with what to do, still no guess.
        card.Unreadable = true;
        var refused = await _counter.IssueAsync(_h.Clerk, card, AuthOnly(), default);
        Assert.Equal(CounterCodes.IssuanceCardNeeded, refused.Code);
        Assert.Contains("present it", refused.Message, StringComparison.Ordinal);
        Assert.Null((await _registry.FindBySerialAsync(serial, default))!.Revocation);

        // The card answers: the certificate is on it, so the workflow completes as written (and the new issuance is a renewal, too early).
        card.Unreadable = false;
        Assert.Equal("renewal-too-early", (await _counter.IssueAsync(_h.Clerk, card, AuthOnly(), default)).Code);
        Assert.Equal(IssuanceWorkflowState.Written, Assert.Single(await _h.Store.ListIssuancesAsync("R1", 10, default)).State);
        Assert.Null((await _registry.FindBySerialAsync(serial, default))!.Revocation);
        Assert.Contains("next-attempt", Assert.Single(await _h.JournalAsync(), e => e.Action == Reports.CounterActions.IssueRecovered).Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KilledWhileWriting_CardThenReportedLost_RevokedWithoutTheCard()
    {
        var card = await _h.AddResidentAsync("R1");
        card.KeyBits = 2048;
        var dying = CounterDyingAt(IssuanceStep.Writing);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dying.IssueAsync(_h.Clerk, card, AuthOnly(), default));
        var serial = Assert.Single(await _h.Store.ListOpenIssuancesAsync(null, default)).Serial!;
        await _h.Store.SaveCardAsync(new ResidentCard(card.Info.CardId, "R1", card.Info.Kind, card.Info.ExpiresOn, CardStatus.Lost), default);

        var recovery = new IssuanceRecovery(_h.Store, _issuer, _h.Clock);
        _h.Clock.Advance(recovery.Grace);
        Assert.Equal(0, await recovery.ResolveStaleAsync(default));

        Assert.Equal(RevocationReason.Unspecified, (await _registry.FindBySerialAsync(serial, default))!.Revocation?.Reason);
        Assert.Equal(IssuanceWorkflowState.Revoked, Assert.Single(await _h.Store.ListIssuancesAsync("R1", 10, default)).State);
    }

    [Fact]
    public async Task ResolvedByAnotherProcessWhileUnderWay_CardNeverWritten_Refused()
    {
        // Another counter process takes the workflow for one that died (its resolver has no view of this process's
        // issuances in flight), sends it again and revokes it — between the authority's answer and the writing mark.
        var card = await _h.AddResidentAsync("R1");
        card.KeyBits = 2048;
        var other = new IssuanceRecovery(_h.Store, _issuer, _h.Clock);
        var racing = new CounterService(_h.Store, _issuer, new JpkiCharsetMapper(), new OfficeCalendarHours(), _h.Clock)
        {
            StepHook = async (reached, _, cancellationToken) =>
            {
                if (reached == IssuanceStep.Issued)
                {
                    await other.ResolveResidentAsync("R1", cancellationToken);
                }
            },
        };

        var refused = await racing.IssueAsync(_h.Clerk, card, AuthOnly(), default);

        Assert.Equal(CounterCodes.IssuanceUnresolved, refused.Code);
        Assert.Contains("not written to the card", refused.Message, StringComparison.Ordinal);
        Assert.False(card.Certificates.ContainsKey(CertificateKind.Authentication));
        var workflow = Assert.Single(await _h.Store.ListIssuancesAsync("R1", 10, default));
        Assert.Equal(IssuanceWorkflowState.Revoked, workflow.State);
        Assert.NotNull((await _registry.FindBySerialAsync(workflow.Serial!, default))!.Revocation);
    }

    [Fact]
    public async Task KilledWhileWriting_CardHoldsGarbage_NotTheCertificate_Revoked()
    {
        // The card answers, but its certificate file holds no certificate (a write cut half-way): it does not hold the
        // issued certificate, so recovery revokes it instead of waiting for the card for ever.
        var card = await _h.AddResidentAsync("R1");
        card.KeyBits = 2048;
        var dying = CounterDyingAt(IssuanceStep.Writing);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dying.IssueAsync(_h.Clerk, card, AuthOnly(), default));
        card.Certificates[CertificateKind.Authentication] = [0x30, 0x82, 0x04, 0x00, 0x30];

        var recovery = new IssuanceRecovery(_h.Store, _issuer, _h.Clock) { Cards = new FakeCardFinder(card) };
        _h.Clock.Advance(recovery.Grace);
        Assert.Equal(0, await recovery.ResolveStaleAsync(default)); // none left open

        var done = Assert.Single(await _h.Store.ListIssuancesAsync("R1", 10, default));
        Assert.Equal(IssuanceWorkflowState.Revoked, done.State);
        Assert.Equal(RevocationReason.Unspecified, (await _registry.FindBySerialAsync(done.Serial!, default))!.Revocation!.Reason);
    }

    /// <summary>A counter process that dies at <paramref name="step"/>: the issuance unwinds with no clean-up at all.</summary>
    private CounterService CounterDyingAt(IssuanceStep step) => new(_h.Store, _issuer, new JpkiCharsetMapper(), new OfficeCalendarHours(), _h.Clock)
    {
        StepHook = (reached, _, _) => reached == step ? throw new OperationCanceledException("killed (test)") : Task.CompletedTask,
    };

    private static IssuanceRequest AuthOnly() => CounterHarness.Request("R1", includeSign: false, sign: null);

    private static string SerialOf(byte[] der)
    {
        using var certificate = X509CertificateLoader.LoadCertificate(der);
        return CertificateSerial.FromBigEndian(certificate.SerialNumberBytes.Span).Hex;
    }

    /// <summary>The real issuer, with the revocations it was asked for.</summary>
    private sealed class CountingIssuer(ICertificateIssuer inner) : ICertificateIssuer
    {
        public List<(CertificateSerial Serial, RevocationReason Reason)> Revoked { get; } = [];

        public Task<AuthorityCertificate> IssueAsync(CertificateIssuance request, CancellationToken cancellationToken) => inner.IssueAsync(request, cancellationToken);

        public async Task<RevokeResult> RevokeAsync(CertificateSerial serial, RevocationReason reason, CancellationToken cancellationToken)
        {
            var result = await inner.RevokeAsync(serial, reason, cancellationToken);
            Revoked.Add((serial, reason));
            return result;
        }

        public Task<IReadOnlyList<AuthorityCertificate>> FindByHolderAsync(HolderId holder, CancellationToken cancellationToken) => inner.FindByHolderAsync(holder, cancellationToken);

        public Task<byte[]> GetCaCertificateAsync(CertificateKind kind, CancellationToken cancellationToken) => inner.GetCaCertificateAsync(kind, cancellationToken);
    }
}
