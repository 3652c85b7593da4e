using Jpki.Authority.Audit;
using Jpki.Authority.Ca;
using Jpki.Authority.Registry;
using Jpki.Authority.Tests.Support;
using Jpki.Core.Identity;

namespace Jpki.Authority.Tests.Registry;

/// <summary>
/// Idempotent issuance on every store: the request id is kept with the certificate (unique) or with the refusal, so a
/// repeat answers the first outcome — after a reopen (a restart) and from a second store on the same database (a second
/// process) too — and the id with another request is refused.
/// </summary>
public abstract partial class RegistryContractTests
{
    private static readonly byte[] DigestA = [.. Enumerable.Repeat((byte)0xA1, 32)];
    private static readonly byte[] DigestB = [.. Enumerable.Repeat((byte)0xB2, 32)];

    [Fact]
    public async Task AddWithAuditAsync_WithRequestId_FoundByTheIdAfterReopen()
    {
        var record = TestRecords.Create("0E01") with { Request = new IssuanceRequestKey("req-0001-abcdef", DigestA) };
        await Store.AddWithAuditAsync(record, IssueEntry("cert.issue", "0E01"), Ct);
        await Store.DisposeAsync();

        var reopened = await OpenAsync();
        await reopened.MigrateAsync(Ct);
        var found = await reopened.FindByRequestIdAsync("req-0001-abcdef", Ct);

        Assert.NotNull(found);
        AssertSame(record, found);
        Assert.Equal(DigestA, found.Request!.Digest.ToArray());
        Assert.Null(await reopened.FindByRequestIdAsync("req-0002-abcdef", Ct));
        Assert.Equal("req-0001-abcdef", (await reopened.FindBySerialAsync("0E01", Ct))!.Request!.RequestId);
    }

    [Fact]
    public async Task AddWithAuditAsync_RequestIdTwice_SecondStoresAndLogsNothing()
    {
        await Store.AddWithAuditAsync(TestRecords.Create("0E02") with { Request = new IssuanceRequestKey("req-twice-0001", DigestA) }, IssueEntry("cert.issue", "0E02"), Ct);

        // SQLite names the request id; PostgreSQL's batch writer reports any taken unique key as a duplicate.
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => Store.AddWithAuditAsync(
            TestRecords.Create("0E03") with { Request = new IssuanceRequestKey("req-twice-0001", DigestA) }, IssueEntry("cert.issue", "0E03"), Ct));

        Assert.True(refused is DuplicateIssuanceRequestException or DuplicateSerialException, refused.GetType().Name);
        Assert.Null(await Store.FindBySerialAsync("0E03", Ct));
        Assert.Equal("0E02", (await Store.FindByRequestIdAsync("req-twice-0001", Ct))!.SerialHex);
        Assert.Equal(1, (await Store.VerifyAsync(Ct)).EntriesChecked);
        await Assert.ThrowsAsync<DuplicateIssuanceRequestException>(() =>
            Store.AddAsync(TestRecords.Create("0E04") with { Request = new IssuanceRequestKey("req-twice-0001", DigestB) }, Ct));
    }

    [Fact]
    public async Task RecordRefusalAsync_FirstStandsAndSurvivesReopen()
    {
        var first = new IssuanceRefusal(new IssuanceRequestKey("req-refused-01", DigestA), "ra:1", "outlives-ca", "expiryDate", "The expiry is after the CA's.", Clock.GetUtcNow());
        var stored = await Store.RecordRefusalAsync(first, Ct);
        var second = await Store.RecordRefusalAsync(first with { Code = "bad-key", Detail = "other", Request = new IssuanceRequestKey("req-refused-01", DigestB) }, Ct);
        await Store.DisposeAsync();
        var reopened = await OpenAsync();
        var found = await reopened.FindRefusalAsync("req-refused-01", Ct);

        foreach (var refusal in new[] { stored, second, found! })
        {
            Assert.Equal(("outlives-ca", "expiryDate", "The expiry is after the CA's.", "ra:1"), (refusal.Code, refusal.Field, refusal.Detail, refusal.Actor));
            Assert.Equal(DigestA, refusal.Request.Digest.ToArray());
        }

        Assert.Null(await reopened.FindRefusalAsync("req-refused-02", Ct));
    }

    [Fact]
    public async Task Authority_SameRequestIdTwice_SameCertificateAcrossReopenAndASecondProcess()
    {
        using var sign = TestKeys.Ca(CertificateKind.Signature);
        using var auth = TestKeys.Ca(CertificateKind.Authentication);
        var request = CaAuthRequest("req-idem-000001");
        var first = await new CertificateAuthority(sign, auth, Store, Store, Clock, new AuthorityOptions()).IssueAsync(request, Ct);
        Clock.Advance(TimeSpan.FromMinutes(3));
        var again = await new CertificateAuthority(sign, auth, Store, Store, Clock, new AuthorityOptions()).IssueAsync(request, Ct);
        await Store.DisposeAsync();

        // A restart, and another process on the same database.
        var reopened = await OpenAsync();
        await reopened.MigrateAsync(Ct);
        var other = await OpenAsync();
        var afterRestart = await new CertificateAuthority(sign, auth, reopened, reopened, Clock, new AuthorityOptions()).IssueAsync(request, Ct);
        var fromOther = await new CertificateAuthority(sign, auth, other, other, Clock, new AuthorityOptions()).IssueAsync(request, Ct);

        foreach (var answer in new[] { again, afterRestart, fromOther })
        {
            Assert.Equal(first.SerialHex, answer.SerialHex);
            Assert.Equal(first.Der.ToArray(), answer.Der.ToArray());
        }

        Assert.Single(await reopened.FindByHolderAsync("H-IDEM", Ct));
        var verdict = await reopened.VerifyAsync(Ct);
        Assert.True(verdict.IsIntact, verdict.Problem);
        Assert.Equal(1, verdict.EntriesChecked);
    }

    [Fact]
    public async Task Authority_SameRequestIdOtherRequest_RefusedAsReusedAndNothingIssued()
    {
        using var sign = TestKeys.Ca(CertificateKind.Signature);
        using var auth = TestKeys.Ca(CertificateKind.Authentication);
        var ca = new CertificateAuthority(sign, auth, Store, Store, Clock, new AuthorityOptions());
        await ca.IssueAsync(CaAuthRequest("req-reuse-00001"), Ct);

        // Another card, another registration authority, another expiry: each is another request.
        foreach (var other in new[]
        {
            CaAuthRequest("req-reuse-00001") with { CardId = "CARD-OTHER" },
            CaAuthRequest("req-reuse-00001") with { Actor = "ra:someone-else" },
            CaAuthRequest("req-reuse-00001") with { ExpiryDate = new DateOnly(2030, 1, 1) },
        })
        {
            await Assert.ThrowsAsync<IssuanceRequestConflictException>(() => ca.IssueAsync(other, Ct));
        }

        Assert.Single(await Store.FindByHolderAsync("H-IDEM", Ct));
    }

    [Fact]
    public async Task Authority_RefusedRequestRepeated_SameRefusalEvenAfterReopen()
    {
        using var sign = TestKeys.Ca(CertificateKind.Signature);
        using var auth = TestKeys.Ca(CertificateKind.Authentication);
        var bad = CaAuthRequest("req-refuse-0001") with { ExpiryDate = new DateOnly(2026, 4, 1) };
        var ca = new CertificateAuthority(sign, auth, Store, Store, Clock, new AuthorityOptions());

        var refused = await Assert.ThrowsAsync<IssueRequestException>(() => ca.IssueAsync(bad, Ct));
        await Store.DisposeAsync();
        var reopened = await OpenAsync();
        var again = await Assert.ThrowsAsync<IssueRequestException>(() =>
            new CertificateAuthority(sign, auth, reopened, reopened, Clock, new AuthorityOptions()).IssueAsync(bad, Ct));

        Assert.Equal((refused.Code, refused.Field, refused.Message), (again.Code, again.Field, again.Message));
        Assert.NotEqual("bad-request", refused.Code);
        Assert.Empty(await reopened.FindByHolderAsync("H-IDEM", Ct));

        // The id is spent on the refused request: the corrected request needs a new id.
        var corrected = bad with { ExpiryDate = new DateOnly(2031, 2, 17) };
        var ca2 = new CertificateAuthority(sign, auth, reopened, reopened, Clock, new AuthorityOptions());
        await Assert.ThrowsAsync<IssuanceRequestConflictException>(() => ca2.IssueAsync(corrected, Ct));
        Assert.NotNull(await ca2.IssueAsync(corrected with { RequestId = "req-refuse-0002" }, Ct));
    }

    [Fact]
    public async Task Authority_SameRequestIdFromTwoProcessesAtOnce_OneCertificate()
    {
        using var sign = TestKeys.Ca(CertificateKind.Signature);
        using var auth = TestKeys.Ca(CertificateKind.Authentication);
        var other = await OpenAsync();
        var request = CaAuthRequest("req-race-000001");
        var cas = new[] { Store, other }.Select(s => new CertificateAuthority(sign, auth, s, s, Clock, new AuthorityOptions())).ToArray();

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => cas[i % 2].IssueAsync(request, Ct))));

        Assert.Single(answers.Select(a => a.SerialHex).Distinct());
        Assert.Single(await Store.FindByHolderAsync("H-IDEM", Ct));
        Assert.Equal(1, (await Store.VerifyAsync(Ct)).EntriesChecked);
    }

    private static IssueRequest CaAuthRequest(string requestId) =>
        new(CertificateKind.Authentication, TestKeys.SubjectSpki(), "CARD-IDEM", "H-IDEM", new DateOnly(2031, 2, 17), null, null, "ra:counter")
        {
            RequestId = requestId,
        };
}
