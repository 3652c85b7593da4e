using System.Security.Cryptography.X509Certificates;
using System.Text;
using Jpki.Verification.Cms;
using Jpki.Verification.Login;
using Jpki.Verification.Revocation;
using Jpki.Verification.Signatures;
using Jpki.Verification.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Verification.Tests;

/// <summary>
/// The verifier logs its decisions (events 5110–5117) by serial, issuer and code — never the subject, the basic 4 info
/// or the document.
/// </summary>
public sealed class VerifierLoggingTests
{
    private const string DocumentName = "山田太郎の委任状.txt";
    private static readonly byte[] Document = Encoding.UTF8.GetBytes("委任状\n");
    private readonly CollectingLoggerProvider _logs = new();

    [Fact]
    public async Task VerifyCms_Valid_LogsAcceptedCertificateAndSignature()
    {
        var certificate = TestPki.Issue();
        var result = await Verifier([Verifiers.FreshCrls()]).VerifyCmsAsync(Sign(certificate), Document);

        Assert.True(result.Verdict.IsValid);
        var accepted = Assert.Single(_logs.Of(5110));
        Assert.Equal((certificate.SerialNumber, certificate.Issuer, LogLevel.Debug), (accepted.Values["Serial"], accepted.Values["Issuer"], accepted.Level));
        Assert.Equal(certificate.SerialNumber, Assert.Single(_logs.Of(5112)).Values["Serial"]);
        AssertNothingPersonal(certificate);
    }

    [Fact]
    public async Task VerifyCms_Revoked_LogsTheRefusalWithItsCode()
    {
        var certificate = TestPki.Issue();
        var crls = Verifiers.FreshCrls((certificate, TestPki.Now.AddDays(-1), X509RevocationReason.KeyCompromise));
        await Verifier([crls]).VerifyCmsAsync(Sign(certificate), Document);

        var refused = Assert.Single(_logs.Of(5111));
        Assert.Equal((certificate.SerialNumber, "revoked", LogLevel.Information), (refused.Values["Serial"], refused.Values["Verdict"], refused.Level));
        Assert.Equal("revoked", Assert.Single(_logs.Of(5113)).Values["Verdict"]);
        AssertNothingPersonal(certificate);
    }

    [Fact]
    public async Task VerifyCms_OcspResponderUnreachable_LogsTheFetchFailureAndFailsClosed()
    {
        // Port 9 (discard) on the loopback: nothing listens, the connection is refused — a real fetch failure.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var ocsp = new OcspRevocationSource(http, new FakeTimeProvider(TestPki.Now), new OcspOptions { ResponderUri = new Uri("http://127.0.0.1:9/ocsp") });
        var certificate = TestPki.Issue();
        var result = await Verifier([ocsp]).VerifyCmsAsync(Sign(certificate), Document);

        Assert.Equal(VerdictCode.NoRevocationData, result.Verdict.Code);
        var failed = Assert.Single(_logs.Of(5115));
        Assert.Equal((nameof(OcspRevocationSource), certificate.SerialNumber), (failed.Values["Source"], failed.Values["Serial"]));
        Assert.Contains("127.0.0.1:9", failed.Values["Reason"], StringComparison.Ordinal);
        Assert.Equal(LogLevel.Warning, Assert.Single(_logs.Of(5116)).Level);
        Assert.Equal("no-revocation-data", Assert.Single(_logs.Of(5111)).Values["Verdict"]);
        AssertNothingPersonal(certificate);
    }

    [Fact]
    public async Task SignatureValidator_Cades_LogsIndicationAndSubIndication()
    {
        var certificate = TestPki.Issue();
        var crls = Verifiers.FreshCrls((certificate, TestPki.Now.AddDays(-1), X509RevocationReason.KeyCompromise));
        var validator = new SignatureValidator(Verifier([crls]));
        var report = await validator.ValidateAsync(new SignedDocument(DocumentSource.FromBytes(Document, DocumentName), DocumentSource.FromBytes(Sign(certificate), DocumentName + ".p7s")));

        var signature = Assert.Single(report.Signatures);
        var logged = Assert.Single(_logs.Of(5114));
        Assert.Equal(
            (signature.Indication.ToString(), signature.SubIndication?.ToString(), certificate.SerialNumber),
            (logged.Values["Indication"], logged.Values["SubIndication"], logged.Values["Serial"]));
        Assert.NotEqual(Indication.TotalPassed, signature.Indication);
        AssertNothingPersonal(certificate);
    }

    [Fact]
    public async Task Login_RevokedCertificate_RefusalLoggedWithoutTheSubject()
    {
        // The revocation verdict's sentence names the subject; for a signature certificate (the basic 4 info step,
        // VerifyTokenAsync with CertificateKind.Signature) that holds the holder's prefecture and municipality. The
        // login's refusal event names the certificate by serial only.
        var certificate = TestPki.Issue(new TestPki.Ee { Kind = Jpki.Core.Identity.CertificateKind.Authentication, Serial = 0x5102 });
        var crls = new CrlRevocationSource();
        crls.Add(TestPki.Crl(TestPki.AuthCa, TestPki.AuthCaKey, TestPki.Now.AddDays(-1), TestPki.Now.AddDays(6), (certificate, TestPki.Now.AddDays(-1), X509RevocationReason.KeyCompromise)));
        var login = new LoginVerifier(Verifier([crls]), new InMemoryChallengeStore(), new FakeTimeProvider(TestPki.Now), logger: _logs.CreateLogger<LoginVerifier>());
        var challenge = await login.IssueChallengeAsync();
        var answer = TestPki.SubjectKey.SignHash(System.Security.Cryptography.SHA256.HashData(challenge.Challenge.Span), System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);

        var result = await login.VerifyAsync(challenge.Id, answer, certificate);

        Assert.Equal(VerdictCode.Revoked, result.Verdict.Code);
        Assert.Contains(certificate.Subject, result.Verdict.Message, StringComparison.Ordinal);
        var refused = Assert.Single(_logs.Of(5102));
        Assert.Equal((certificate.SerialNumber, "revoked"), (refused.Values["Serial"], refused.Values["Verdict"]));
        AssertNothingPersonal(certificate);
    }

    private static byte[] Sign(X509Certificate2 certificate) =>
        CmsSignatureBuilder.Sign(Document, certificate, TestPki.SubjectKey, detached: true, TestPki.Now.AddHours(-1));

    private JpkiVerifier Verifier(IRevocationSource[] sources) =>
        new(Verifiers.Trust(), sources, new FakeTimeProvider(TestPki.Now), logger: _logs.CreateLogger<JpkiVerifier>());

    private void AssertNothingPersonal(X509Certificate2 certificate)
    {
        Assert.NotEmpty(_logs.Events);
        string[] personal = [TestPki.Holder.Name, TestPki.Holder.Address, "山田太郎", certificate.Subject];
        var leaks = _logs.Events.SelectMany(e => personal.Where(p => e.AllText.Contains(p, StringComparison.Ordinal)).Select(p => $"{p} in event {e.Id}")).ToList();
        Assert.True(leaks.Count == 0, string.Join("\n", leaks));
    }
}
