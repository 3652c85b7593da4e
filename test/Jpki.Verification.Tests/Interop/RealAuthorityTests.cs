using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Jpki.Authority.Ca;
using Jpki.Authority.Registry;
using Jpki.Authority.Tests.Support;
using Jpki.Core.Identity;
using Jpki.Server;
using Jpki.Verification.Cms;
using Jpki.Verification.Revocation;
using Jpki.Verification.Trust;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Time.Testing;
using AuthorityReason = Jpki.Authority.Contracts.RevocationReason;
using AuthorityTempDir = Jpki.Authority.Tests.Support.TempDir;

namespace Jpki.Verification.Tests.Interop;

/// <summary>
/// The verifier against the real authority: <c>Jpki.Authority</c>'s CAs served by <c>JpkiServerHost</c> on loopback
/// (free port), certificates issued and revoked through the authority, revocation read over HTTP from the real
/// <c>/ocsp</c> and <c>/crl/{sign,auth}.crl</c> — not from this project's fixtures.
/// </summary>
public sealed class RealAuthorityTests : IAsyncLifetime
{
    private const string VerifierKey = "relying-party-key";
    private static readonly byte[] Document = Encoding.UTF8.GetBytes("転入届 2026-11-25\n");
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 3, 0, 0, TimeSpan.Zero);

    private readonly AuthorityTempDir _dir = new();
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly InMemoryRegistry _registry = new();
    private readonly InMemoryAuditLog _audit = new();
    private readonly RSA _subjectKey = TestKeys.Load("subject");
    private AuthorityRuntime? _runtime;
    private WebApplication? _app;
    private HttpClient? _http;
    private Uri _base = new("http://127.0.0.1/");

    private CertificateAuthority Authority => _runtime!.Authority;

    public async Task InitializeAsync()
    {
        var authority = new CertificateAuthority(
            TestKeys.Ca(CertificateKind.Signature),
            TestKeys.Ca(CertificateKind.Authentication),
            _registry,
            _audit,
            _clock,
            new AuthorityOptions { VerifierKeys = [VerifierKey] });
        _runtime = new AuthorityRuntime(authority, _audit, _dir.File("crl"), [authority.SignCa, authority.AuthCa]);
        _app = JpkiServerHost.Build(new JpkiServerOptions { DataDirectory = _dir.File("data"), Urls = "http://127.0.0.1:0" }, _clock, _runtime);
        await _app.StartAsync();
        _base = new Uri(_app.Urls.First());

        // A registered verifier: the sign CRL and sign OCSP answers need its key (JPKI-REFERENCE §8.2).
        _http = new HttpClient();
        _http.DefaultRequestHeaders.Add("X-Jpki-Verifier-Key", VerifierKey);
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        if (_runtime is not null)
        {
            await _runtime.DisposeAsync();
        }

        _subjectKey.Dispose();
        _dir.Dispose();
    }

    // The authority uses the production (J-LIS) names, so its roots are trusted only pinned, as a relying party of it would.
    private TrustStore Trust()
    {
        var builder = new TrustStoreBuilder();
        foreach (var der in new[] { Authority.SignCa.CertificateDer, Authority.AuthCa.CertificateDer })
        {
            var root = X509CertificateLoader.LoadCertificate(der);
            builder.PinJlisFingerprint(root.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256)).AddRoot(root);
        }

        return builder.Build();
    }

    private JpkiVerifier CrlVerifier(string kind) => new(Trust(), [new CrlRevocationSource(_http, new CrlSourceOptions { DownloadUri = new Uri(_base, $"/crl/{kind}.crl") })], _clock);

    private JpkiVerifier OcspVerifier(OcspOptions? options = null)
        => new(Trust(), [new OcspRevocationSource(_http!, _clock, (options ?? new OcspOptions()) with { ResponderUri = new Uri(_base, "/ocsp") })], _clock);

    private async Task<X509Certificate2> IssueAsync(CertificateKind kind)
    {
        var record = await Authority.IssueAsync(
            new IssueRequest(kind, _subjectKey.ExportSubjectPublicKeyInfo(), "CARD-RP", "HOLDER-RP", new DateOnly(2031, 2, 17), kind == CertificateKind.Signature ? Fixtures.Taro : null, null, "test"),
            CancellationToken.None);
        return X509CertificateLoader.LoadCertificate(record.Der.Span);
    }

    private async Task RevokeAsync(X509Certificate2 certificate, AuthorityReason reason, DateTimeOffset at, CertificateKind kind)
    {
        var result = await Authority.RevokeAsync(certificate.SerialNumber, reason, at, "test", CancellationToken.None);
        Assert.Equal(Jpki.Authority.Contracts.RevokeResult.Revoked, result);
        await _runtime!.Crls.PublishAsync(kind, "test", CancellationToken.None);
    }

    private byte[] Sign(X509Certificate2 certificate, DateTimeOffset signingTime) => CmsSignatureBuilder.Sign(Document, certificate, _subjectKey, detached: true, signingTime);

    [Fact]
    public async Task VerifyDetachedAsync_CrlFromServer_GoodThenRevokedWithReasonAndTime()
    {
        var certificate = await IssueAsync(CertificateKind.Signature);
        await _runtime!.Crls.PublishAsync(CertificateKind.Signature, "test", CancellationToken.None);
        var signature = Sign(certificate, Start.AddMinutes(-10));

        var good = await CrlVerifier("sign").VerifyDetachedAsync(signature, Document);
        Assert.Equal(VerdictCode.Valid, good.Verdict.Code);
        Assert.Equal("公的　太郎", good.BasicFourInfo!.Name);

        // Signed before the revocation, checked after it: revoked (law art. 21), with the authority's time and reason.
        _clock.Advance(TimeSpan.FromHours(2));
        var revokedAt = Start.AddHours(1);
        await RevokeAsync(certificate, AuthorityReason.KeyCompromise, revokedAt, CertificateKind.Signature);
        var revoked = await CrlVerifier("sign").VerifyDetachedAsync(signature, Document);

        Assert.Equal(VerdictCode.Revoked, revoked.Verdict.Code);
        Assert.Equal(revokedAt, revoked.Verdict.RevokedAt);
        Assert.Equal(RevocationReason.KeyCompromise, revoked.Verdict.RevocationReason);
    }

    [Fact]
    public async Task VerifyDetachedAsync_CrlFromServerAsOfBeforeRevocation_Valid()
    {
        var certificate = await IssueAsync(CertificateKind.Signature);
        var signature = Sign(certificate, Start.AddMinutes(-10));
        _clock.Advance(TimeSpan.FromHours(2));
        await RevokeAsync(certificate, AuthorityReason.AffiliationChanged, Start.AddHours(1), CertificateKind.Signature);

        var asOfSigning = await CrlVerifier("sign").VerifyDetachedAsync(signature, Document, at: Start);

        Assert.Equal(VerdictCode.Valid, asOfSigning.Verdict.Code);
    }

    [Fact]
    public async Task VerifyDetachedAsync_SignCrlWithoutVerifierKey_NoRevocationData()
    {
        var certificate = await IssueAsync(CertificateKind.Signature);
        await _runtime!.Crls.PublishAsync(CertificateKind.Signature, "test", CancellationToken.None);
        using var anonymous = new HttpClient();
        var verifier = new JpkiVerifier(Trust(), [new CrlRevocationSource(anonymous, new CrlSourceOptions { DownloadUri = new Uri(_base, "/crl/sign.crl") })], _clock);

        var result = await verifier.VerifyDetachedAsync(Sign(certificate, Start), Document);

        Assert.Equal(VerdictCode.NoRevocationData, result.Verdict.Code);
    }

    [Fact]
    public async Task VerifyPkcs1Async_AuthCertificateOverOcsp_GoodThenRevoked()
    {
        var certificate = await IssueAsync(CertificateKind.Authentication);
        var challenge = RandomNumberGenerator.GetBytes(32);
        var signature = _subjectKey.SignData(challenge, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        var good = await OcspVerifier().VerifyPkcs1Async(challenge, signature, certificate, CertificateKind.Authentication);
        Assert.Equal(VerdictCode.Valid, good.Verdict.Code);

        _clock.Advance(TimeSpan.FromMinutes(30));
        var revokedAt = Start.AddMinutes(20);
        await RevokeAsync(certificate, AuthorityReason.CessationOfOperation, revokedAt, CertificateKind.Authentication);
        var revoked = await OcspVerifier().VerifyPkcs1Async(challenge, signature, certificate, CertificateKind.Authentication);

        Assert.Equal(VerdictCode.Revoked, revoked.Verdict.Code);
        Assert.Equal(revokedAt, revoked.Verdict.RevokedAt);
        Assert.Equal(RevocationReason.CessationOfOperation, revoked.Verdict.RevocationReason);
    }

    [Fact]
    public async Task VerifyDetachedAsync_SignCertificateOverOcsp_SignedBeforeRevocationCheckedAfter_Revoked()
    {
        var certificate = await IssueAsync(CertificateKind.Signature);
        var signature = Sign(certificate, Start);
        Assert.Equal(VerdictCode.Valid, (await OcspVerifier().VerifyDetachedAsync(signature, Document)).Verdict.Code);

        _clock.Advance(TimeSpan.FromDays(1));
        var revokedAt = Start.AddHours(5);
        await RevokeAsync(certificate, AuthorityReason.KeyCompromise, revokedAt, CertificateKind.Signature);
        var revoked = await OcspVerifier().VerifyDetachedAsync(signature, Document);

        Assert.Equal(VerdictCode.Revoked, revoked.Verdict.Code);
        Assert.Equal(revokedAt, revoked.Verdict.RevokedAt);
        Assert.Equal(RevocationReason.KeyCompromise, revoked.Verdict.RevocationReason);
    }

    [Fact]
    public async Task VerifyCertificateAsync_WrongKindFromRealAuthority_WrongKind()
    {
        var certificate = await IssueAsync(CertificateKind.Authentication);

        var result = await OcspVerifier().VerifyCertificateAsync(certificate, CertificateKind.Signature);

        Assert.Equal(VerdictCode.WrongKind, result.Verdict.Code);
    }

    [Fact]
    public async Task VerifyPkcs1Async_OcspWithoutNonce_PreSignedAnswersAcceptedAndRevocationSeen()
    {
        // No nonce sent: our responder answers from its pre-signed cache; the default policy accepts a recent one.
        var certificate = await IssueAsync(CertificateKind.Authentication);
        var challenge = RandomNumberGenerator.GetBytes(32);
        var signature = _subjectKey.SignData(challenge, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var noNonce = new OcspOptions { SendNonce = false };

        var first = await OcspVerifier(noNonce).VerifyPkcs1Async(challenge, signature, certificate, CertificateKind.Authentication);
        var second = await OcspVerifier(noNonce).VerifyPkcs1Async(challenge, signature, certificate, CertificateKind.Authentication);
        Assert.Equal(VerdictCode.Valid, first.Verdict.Code);
        Assert.Equal(VerdictCode.Valid, second.Verdict.Code);
        Assert.True(_runtime!.Ocsp.CachedResponses > 0);

        await RevokeAsync(certificate, AuthorityReason.KeyCompromise, Start, CertificateKind.Authentication);
        var revoked = await OcspVerifier(noNonce).VerifyPkcs1Async(challenge, signature, certificate, CertificateKind.Authentication);
        var strict = await OcspVerifier(new OcspOptions { SendNonce = false, RequireNonce = true }).VerifyPkcs1Async(challenge, signature, certificate, CertificateKind.Authentication);

        Assert.Equal(VerdictCode.Revoked, revoked.Verdict.Code);
        Assert.Equal(VerdictCode.Revoked, strict.Verdict.Code);
    }
}
