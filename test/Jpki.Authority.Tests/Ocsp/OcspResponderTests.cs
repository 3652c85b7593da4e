using Jpki.Authority.Ca;
using Jpki.Authority.Ocsp;
using Jpki.Authority.Registry;
using Jpki.Authority.Tests.Ca;
using Jpki.Authority.Tests.Support;
using Jpki.Core.Identity;
using Microsoft.Extensions.Time.Testing;
using Org.BouncyCastle.Ocsp;

namespace Jpki.Authority.Tests.Ocsp;

public sealed class OcspResponderTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 3, 0, 0, TimeSpan.Zero));
    private readonly InMemoryRegistry _registry = new();
    private readonly InMemoryAuditLog _audit = new();
    private readonly IssuingCa _sign = TestKeys.Ca(CertificateKind.Signature);
    private readonly IssuingCa _auth = TestKeys.Ca(CertificateKind.Authentication);
    private readonly CertificateAuthority _authority;
    private readonly OcspResponder _responder;

    public OcspResponderTests()
    {
        _authority = new CertificateAuthority(_sign, _auth, _registry, _audit, _clock, new AuthorityOptions { VerifierKeys = ["verifier-key-1"] });
        _responder = new OcspResponder(_authority);
    }

    public void Dispose()
    {
        _responder.Dispose();
        _sign.Dispose();
        _auth.Dispose();
    }

    private async Task<byte[]> AskAsync(byte[] request, bool verifier = false)
        => (await _responder.RespondAsync(request, verifier, CancellationToken.None)).Der.ToArray();

    [Fact]
    public async Task SignerCertificate_IssuedAndRenewed_RecordedInRegistryAndAuditLog()
    {
        var first = _responder.SignerCertificate(CertificateKind.Authentication).ToArray();
        _clock.Advance(TimeSpan.FromDays(6)); // past the renewal point (a quarter of 7 days remaining)
        var second = _responder.SignerCertificate(CertificateKind.Authentication).ToArray();

        await _responder.RecordingAsync;

        Assert.False(first.AsSpan().SequenceEqual(second));
        var signers = await _registry.FindByHolderAsync("ocsp-signer", CancellationToken.None);
        Assert.Equal([Convert.ToHexString(first), Convert.ToHexString(second)], signers.Select(r => Convert.ToHexString(r.Der.Span)));
        Assert.All(signers, r => Assert.Equal(CertificateKind.Authentication, r.Kind));
        Assert.Equal(signers.Select(r => r.SerialHex), _audit.Entries.Where(e => e.Action == "ocsp.signer").Select(e => e.Subject));
    }

    [Theory]
    [InlineData("")]
    [InlineData("3000")]
    [InlineData("30030201")]
    [InlineData("300530030201FF")]
    public async Task RespondAsync_Garbage_MalformedRequest(string hex)
    {
        Assert.Equal(OcspRespStatus.MalformedRequest, OcspClient.Status(await AskAsync(Convert.FromHexString(hex))));
    }

    [Fact]
    public async Task RespondAsync_TrailingByte_MalformedRequest()
    {
        var request = OcspClient.Request(_auth.CertificateDer, "01");
        Assert.Equal(OcspRespStatus.MalformedRequest, OcspClient.Status(await AskAsync([.. request, 0])));
    }

    [Fact]
    public async Task RespondAsync_NonceOver32Octets_MalformedRequest()
    {
        var request = OcspClient.Request(_auth.CertificateDer, "01", nonce: new byte[33]);
        Assert.Equal(OcspRespStatus.MalformedRequest, OcspClient.Status(await AskAsync(request)));
    }

    [Fact]
    public async Task RespondAsync_IssuedAuth_GoodAndNonceEchoed()
    {
        var record = await _authority.IssueAsync(CertificateAuthorityTests.AuthRequest(), CancellationToken.None);
        var nonce = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();
        var (single, basic) = OcspClient.Read(await AskAsync(OcspClient.Request(_auth.CertificateDer, record.SerialHex, nonce)), _auth.CertificateDer);
        Assert.Null(single.GetCertStatus());
        Assert.Equal(nonce, OcspClient.Nonce(basic));
        Assert.Equal(_clock.GetUtcNow().AddHours(1).UtcDateTime, single.NextUpdate!.Value);
    }

    [Fact]
    public async Task RespondAsync_UnknownSerial_Unknown()
    {
        var (single, _) = OcspClient.Read(await AskAsync(OcspClient.Request(_auth.CertificateDer, "1234", sha256: true)), _auth.CertificateDer);
        Assert.IsType<UnknownStatus>(single.GetCertStatus());
    }

    [Fact]
    public async Task RespondAsync_SerialOfOtherCa_Unknown()
    {
        var record = await _authority.IssueAsync(CertificateAuthorityTests.SignRequest(), CancellationToken.None);
        var (single, _) = OcspClient.Read(await AskAsync(OcspClient.Request(_auth.CertificateDer, record.SerialHex)), _auth.CertificateDer);
        Assert.IsType<UnknownStatus>(single.GetCertStatus());
    }

    [Fact]
    public async Task RespondAsync_IssuerOfSomeoneElse_Unauthorized()
    {
        using var other = TestKeys.Ca(CertificateKind.Authentication, Jpki.Authority.Profiles.CaNames.Test(CertificateKind.Authentication));
        Assert.Equal(OcspRespStatus.Unauthorized, OcspClient.Status(await AskAsync(OcspClient.Request(other.CertificateDer, "01"))));
    }

    [Fact]
    public async Task RespondAsync_SignCaWithoutVerifierKey_Unauthorized()
    {
        var record = await _authority.IssueAsync(CertificateAuthorityTests.SignRequest(), CancellationToken.None);
        var request = OcspClient.Request(_sign.CertificateDer, record.SerialHex);
        Assert.Equal(OcspRespStatus.Unauthorized, OcspClient.Status(await AskAsync(request, verifier: false)));
        var (single, _) = OcspClient.Read(await AskAsync(request, verifier: true), _sign.CertificateDer);
        Assert.Null(single.GetCertStatus());
    }

    [Fact]
    public async Task RespondAsync_RevokedAfterCachedGood_RevokedImmediately()
    {
        var record = await _authority.IssueAsync(CertificateAuthorityTests.AuthRequest(), CancellationToken.None);
        var request = OcspClient.Request(_auth.CertificateDer, record.SerialHex);
        Assert.False((await _responder.RespondAsync(request, false, CancellationToken.None)).FromCache);
        var second = await _responder.RespondAsync(request, false, CancellationToken.None);
        Assert.True(second.FromCache);
        Assert.Null(OcspClient.Read(second.Der.ToArray(), _auth.CertificateDer).Single.GetCertStatus());

        // Backdated (the card was lost an hour before it was reported), but not before the certificate existed.
        _clock.Advance(TimeSpan.FromHours(2));
        var revokedAt = record.NotBefore.AddHours(1);
        await _authority.RevokeAsync(record.SerialHex, RevocationReason.KeyCompromise, revokedAt, "staff", CancellationToken.None);
        var (single, _) = OcspClient.Read(await AskAsync(request), _auth.CertificateDer);
        var revoked = Assert.IsType<RevokedStatus>(single.GetCertStatus());
        Assert.Equal(revokedAt.UtcDateTime, revoked.RevocationTime);
        Assert.Equal((int)RevocationReason.KeyCompromise, revoked.RevocationReason);
    }

    [Fact]
    public async Task RespondAsync_RevokedByAnotherProcess_RevokedAfterTheRecheckInterval()
    {
        var record = await _authority.IssueAsync(CertificateAuthorityTests.AuthRequest(), CancellationToken.None);
        var request = OcspClient.Request(_auth.CertificateDer, record.SerialHex);
        await AskAsync(request);

        // Another process (the command line next to a running server) revokes in the shared registry: no event here.
        var revokedAt = new DateTimeOffset(2026, 11, 25, 2, 0, 0, TimeSpan.Zero);
        Assert.Equal(RevokeResult.Revoked, await _registry.RevokeAsync(record.SerialHex, RevocationReason.AffiliationChanged, revokedAt, revokedAt, CancellationToken.None));
        var withinInterval = await _responder.RespondAsync(request, false, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var afterInterval = await _responder.RespondAsync(request, false, CancellationToken.None);

        Assert.True(withinInterval.FromCache);
        Assert.False(afterInterval.FromCache);
        var revoked = Assert.IsType<RevokedStatus>(OcspClient.Read(afterInterval.Der.ToArray(), _auth.CertificateDer).Single.GetCertStatus());
        Assert.Equal(revokedAt.UtcDateTime, revoked.RevocationTime);
        Assert.True((await _responder.RespondAsync(request, false, CancellationToken.None)).FromCache);
    }

    [Fact]
    public async Task RespondAsync_WithNonce_NeverFromCache()
    {
        var record = await _authority.IssueAsync(CertificateAuthorityTests.AuthRequest(), CancellationToken.None);
        for (var i = 0; i < 2; i++)
        {
            var answer = await _responder.RespondAsync(OcspClient.Request(_auth.CertificateDer, record.SerialHex, [(byte)(i + 1)]), false, CancellationToken.None);
            Assert.False(answer.FromCache);
        }

        Assert.Equal(0, _responder.CachedResponses);
    }

    [Fact]
    public async Task RespondAsync_CachedPastNextUpdate_SignsAgain()
    {
        var record = await _authority.IssueAsync(CertificateAuthorityTests.AuthRequest(), CancellationToken.None);
        var request = OcspClient.Request(_auth.CertificateDer, record.SerialHex);
        await AskAsync(request);
        _clock.Advance(TimeSpan.FromHours(1));
        var answer = await _responder.RespondAsync(request, false, CancellationToken.None);
        Assert.False(answer.FromCache);
        Assert.Equal(_clock.GetUtcNow().UtcDateTime, OcspClient.Read(answer.Der.ToArray(), _auth.CertificateDer).Single.ThisUpdate);
    }
}
