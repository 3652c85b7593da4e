using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Jpki.Verification;
using Jpki.Verification.Login;
using Jpki.Verification.Revocation;
using Jpki.Verification.Trust;

namespace Jpki.Benchmarks;

/// <summary>
/// Issue 16, side by side in one run: an origin-bound login-token verification (nonce taken from the store, session and
/// origin checks, RSA signature over the DigestInfo, path to the auth CA, JPKI profile, revocation from a cached CRL)
/// against one raw RSA-2048 PKCS#1 verification; and issuing a nonce while 1,000,000 are outstanding. In-process (its own
/// job, so no --inProcess on the command line): BenchmarkDotNet's build of a boilerplate project times out on a loaded machine.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessConfig))]
public class LoginBenchmarks
{
    private const string Origin = "https://login.example.jp";
    private const string Session = "bench-session";
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 3, 0, 0, TimeSpan.Zero);

    private RSA _subjectKey = null!;
    private LoginVerifier _verifier = null!;
    private LoginToken _token = null!;
    private byte[] _hash = null!;
    private byte[] _rawSignature = null!;
    private LoginVerifier _issuer = null!;
    private JpkiVerifier _issuerVerifier = null!;

    [GlobalSetup]
    public void Setup()
    {
        using var caKey = RSA.Create(2048);
        _subjectKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("C=JP, O=JPKI-BENCH, OU=JPKI for user authentication", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var ca = caRequest.CreateSelfSigned(Now.AddYears(-1), Now.AddYears(9));
        var request = new CertificateRequest("C=JP, CN=BENCHAUTH", _subjectKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509Extension("2.5.29.32", VerificationBenchmarks.Policy("1.2.392.200149.8.5.1.3.30"), true));
        var leaf = request.Create(ca, Now.AddDays(-1), Now.AddYears(4), [0x43, 0x01]);
        var crl = new CertificateRevocationListBuilder();
        for (var i = 1; i <= 1000; i++)
        {
            // Big-endian and without a redundant leading byte, as X.509 serials must be.
            var serial = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(serial, 0x5A000000 + i);
            crl.AddEntry(serial, Now.AddDays(-2), X509RevocationReason.KeyCompromise);
        }

        var crls = new CrlRevocationSource().Add(crl.Build(ca, BigInteger.One, Now.AddDays(7), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, Now.AddDays(-1)));
        var trust = new TrustStoreBuilder().AddRoot(X509CertificateLoader.LoadCertificate(ca.RawData)).Build();
        var clock = new FixedClock(Now);
        var nonce = new LoginChallenge("q1w2e3r4t5y6u7i8o9p0AaSsDdFfGgHhJjKkLlZzXxC", new byte[32], Now, Now.AddSeconds(120)) { Session = SessionHash(Session) };
        _verifier = new LoginVerifier(new JpkiVerifier(trust, [crls], clock), new SameNonceStore(nonce), clock, options: new LoginOptions { Origins = [Origin] });
        var signature = _subjectKey.SignData(LoginOrigin.SignedData(Origin, nonce.Id), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        _token = new LoginToken(Origin, nonce.Id, leaf.RawData, signature);
        _hash = SHA256.HashData(LoginOrigin.SignedData(Origin, nonce.Id));
        _rawSignature = signature;
        if (!VerifyToken())
        {
            throw new InvalidOperationException("The benchmark token does not verify.");
        }

        _issuerVerifier = new JpkiVerifier(trust, [crls], clock);
    }

    /// <summary>Only for the issuing benchmark: filling the store takes long on a loaded machine.</summary>
    [GlobalSetup(Target = nameof(IssueAtOneMillion))]
    public void SetupOneMillion()
    {
        Setup();
        var clock = new FixedClock(Now);
        // 1,000,000 nonces outstanding (a store of that capacity: each new one drops the oldest).
        var store = new InMemoryChallengeStore(1_000_000);
        _issuer = new LoginVerifier(_issuerVerifier, store, clock, options: new LoginOptions { Origins = [Origin] });
        for (var i = 0; i < 1_000_000; i++)
        {
            _issuer.IssueChallengeAsync(Session).GetAwaiter().GetResult();
        }

        if (store.Count != 1_000_000)
        {
            throw new InvalidOperationException("The store does not hold 1,000,000 nonces.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _subjectKey.Dispose();

    [Benchmark(Baseline = true, Description = "raw RSA-2048 PKCS#1 verify")]
    public bool RawRsaVerify() => _subjectKey.VerifyHash(_hash, _rawSignature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    [Benchmark(Description = "login token verify: nonce/session/origin + signature + path + cached CRL")]
    public bool VerifyToken() => _verifier.VerifyTokenAsync(_token, Session).GetAwaiter().GetResult().IsValid;

    [Benchmark(Description = "issue a session-bound nonce, 1,000,000 outstanding")]
    public LoginChallenge IssueAtOneMillion() => _issuer.IssueChallengeAsync(Session).GetAwaiter().GetResult();

    private static string SessionHash(string session)
        => System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(session)));

    /// <summary>Hands out the same nonce every time: the benchmark measures the verifier, not single use.</summary>
    private sealed class SameNonceStore(LoginChallenge nonce) : IChallengeStore
    {
        public ValueTask<bool> TryAddAsync(LoginChallenge challenge, CancellationToken cancellationToken) => ValueTask.FromResult(true);

        public ValueTask<LoginChallenge?> TryTakeAsync(string id, CancellationToken cancellationToken) => ValueTask.FromResult<LoginChallenge?>(nonce);
    }

    private sealed class InProcessConfig : ManualConfig
    {
        public InProcessConfig() => AddJob(Job.Default
            .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(30), logOutput: true))
            .WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(8));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
