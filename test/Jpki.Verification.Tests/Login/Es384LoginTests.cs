using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Jpki.Core.Identity;
using Jpki.Core.Signatures;
using Jpki.Verification.Certificates;
using Jpki.Verification.Login;
using Jpki.Verification.Revocation;
using Jpki.Verification.Tests.Support;
using Jpki.Verification.Trust;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Verification.Tests.Login;

/// <summary>
/// Issue 13: the origin-bound login with the next-generation card's P-384 authentication key — token algorithm ES384
/// (Web eID's: SHA-384(origin) ‖ SHA-384(nonce), signed with ECDSA P-384 over SHA-384, r‖s), under a P-384 CA (as
/// <c>authority init --profile nextgen</c> makes). openssl judges the signature over the documented bytes; what the
/// verifier refuses: an algorithm that does not match the key, r‖s of the wrong length, zero r or s, high-S.
/// </summary>
[Trait("Category", "Security")]
public sealed class Es384LoginTests
{
    private const string Origin = "https://login.example.jp";
    private const string Session = "session-of-browser-a";

    private static readonly BigInteger Order = BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973", System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);

    private static readonly Lazy<ECDsa> LazyCaKey = new(() => ECDsa.Create(ECCurve.NamedCurves.nistP384));
    private static readonly Lazy<ECDsa> LazySubjectKey = new(() => ECDsa.Create(ECCurve.NamedCurves.nistP384));
    private static readonly Lazy<X509Certificate2> LazyCa = new(CreateCa);
    private static readonly Lazy<X509Certificate2> LazyAuth = new(() => Issue(LazySubjectKey.Value.ExportSubjectPublicKeyInfo(), 0x4001));

    private readonly FakeTimeProvider _clock = new(TestPki.Now);
    private readonly InMemoryChallengeStore _store = new();

    private static ECDsa SubjectKey => LazySubjectKey.Value;

    private static X509Certificate2 Ca => LazyCa.Value;

    private static X509Certificate2 AuthCertificate => LazyAuth.Value;

    private LoginVerifier Create()
    {
        var crls = new CrlRevocationSource();
        crls.Add(Crl());
        crls.Add(TestPki.Crl(TestPki.AuthCa, TestPki.AuthCaKey, TestPki.Now.AddDays(-1), TestPki.Now.AddDays(6)));
        var trust = new TrustStoreBuilder().AddRoot(Ca).AddRoot(TestPki.AuthCa).Build();
        return new(Verifiers.Create(crls, trust: trust), _store, _clock, options: new LoginOptions { Origins = [Origin] });
    }

    /// <summary>What the helper does with a next-generation card: SHA-384 of the ES384 signed value, r‖s in low-S form.</summary>
    private static LoginToken Es384Token(string nonce, string origin = Origin)
    {
        var signature = SubjectKey.SignHash(LoginOrigin.HashToSignEs384(origin, nonce), DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new LoginToken(origin, nonce, AuthCertificate.RawData, P384Signature.ToLowS(signature), LoginToken.AlgorithmEs384);
    }

    [Fact]
    public async Task VerifyTokenAsync_Es384WithP384Certificate_ValidWithAccountKey()
    {
        var login = Create();
        var nonce = await login.IssueChallengeAsync(Session);

        var result = await login.VerifyTokenAsync(Es384Token(nonce.Id), Session);

        Assert.True(result.Verdict.Code == VerdictCode.Valid, result.Verdict.Message);
        Assert.StartsWith("jpki1:", result.AccountKey, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyTokenAsync_Es384SignedForAnotherOrigin_WrongOriginThenBadSignatureWhenRewritten()
    {
        var login = Create();
        var first = await login.IssueChallengeAsync(Session);
        var second = await login.IssueChallengeAsync(Session);

        Assert.Equal(VerdictCode.WrongOrigin, (await login.VerifyTokenAsync(Es384Token(first.Id, "https://evil.example"), Session)).Verdict.Code);
        Assert.Equal(VerdictCode.BadSignature, (await login.VerifyTokenAsync(Es384Token(second.Id, "https://evil.example") with { Origin = Origin }, Session)).Verdict.Code);
    }

    [Fact]
    public async Task VerifyTokenAsync_Rs256TokenWithP384Certificate_Refused()
    {
        var login = Create();
        var nonce = await login.IssueChallengeAsync(Session);
        var token = Es384Token(nonce.Id) with { Algorithm = LoginToken.AlgorithmRs256 };

        var result = await login.VerifyTokenAsync(token, Session);

        Assert.Equal(VerdictCode.Malformed, result.Verdict.Code);
        Assert.Contains("ES384", result.Verdict.Message, StringComparison.Ordinal);
        Assert.Null(result.AccountKey);
    }

    [Fact]
    public async Task VerifyTokenAsync_Es384TokenWithRsaCertificate_Refused()
    {
        var login = Create();
        var nonce = await login.IssueChallengeAsync(Session);
        var rsaCertificate = TestPki.Issue(new TestPki.Ee { Kind = CertificateKind.Authentication, Serial = 0x3003 });
        var rsaSignature = TestPki.SubjectKey.SignHash(SHA256.HashData(LoginOrigin.SignedData(Origin, nonce.Id)), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var token = new LoginToken(Origin, nonce.Id, rsaCertificate.RawData, rsaSignature, LoginToken.AlgorithmEs384);

        var result = await login.VerifyTokenAsync(token, Session);

        Assert.Equal(VerdictCode.Malformed, result.Verdict.Code);
        Assert.Contains("RS256", result.Verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyTokenAsync_RsaCardStillRs256_Valid()
    {
        var login = Create();
        var nonce = await login.IssueChallengeAsync(Session);
        var rsaCertificate = TestPki.Issue(new TestPki.Ee { Kind = CertificateKind.Authentication, Serial = 0x3003 });
        var rsaSignature = TestPki.SubjectKey.SignHash(SHA256.HashData(LoginOrigin.SignedData(Origin, nonce.Id)), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        var result = await login.VerifyTokenAsync(new LoginToken(Origin, nonce.Id, rsaCertificate.RawData, rsaSignature), Session);

        Assert.True(result.IsValid, result.Verdict.Message);
    }

    public static TheoryData<string> NonCanonical => new() { "short", "long", "zero-r", "zero-s", "high-s", "r-is-order", "sha256-halves" };

    [Theory]
    [MemberData(nameof(NonCanonical))]
    public async Task VerifyTokenAsync_NonCanonicalOrWrongEs384Signature_Refused(string how)
    {
        var login = Create();
        var nonce = await login.IssueChallengeAsync(Session);
        var token = Es384Token(nonce.Id);
        var rs = token.Signature.ToArray();
        byte[] changed = how switch
        {
            "short" => rs[..95],
            "long" => [.. rs, 0],
            "zero-r" => [.. new byte[48], .. rs[48..]],
            "zero-s" => [.. rs[..48], .. new byte[48]],
            "high-s" => HighS(rs),
            "r-is-order" => [.. Fixed(Order), .. rs[48..]],
            "sha256-halves" => P384Signature.ToLowS(SubjectKey.SignHash(SHA384.HashData(LoginOrigin.SignedData(Origin, nonce.Id)), DSASignatureFormat.IeeeP1363FixedFieldConcatenation)),
            _ => throw new ArgumentOutOfRangeException(nameof(how)),
        };

        var result = await login.VerifyTokenAsync(token with { Signature = changed }, Session);

        Assert.False(result.IsValid);
        Assert.Equal(how == "sha256-halves" ? VerdictCode.BadSignature : VerdictCode.Malformed, result.Verdict.Code);
        Assert.Null(result.AccountKey);
    }

    [Fact]
    public void HighS_TwinVerifiesMathematically_ButIsNotCanonical()
    {
        // (r, n − s) is as valid as (r, s) to ECDSA: the low-S rule is what makes the token's spelling unique.
        var data = LoginOrigin.SignedData(Origin, "bm9uY2U", LoginToken.AlgorithmEs384);
        var low = P384Signature.ToLowS(SubjectKey.SignData(data, HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        var high = HighS(low);

        Assert.True(SubjectKey.VerifyData(data, high, HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        Assert.True(P384Signature.IsCanonical(low, out _));
        Assert.False(P384Signature.IsCanonical(high, out var reason));
        Assert.Contains("low-S", reason, StringComparison.Ordinal);
        Assert.Equal(low, P384Signature.ToLowS(high));
    }

    [Fact]
    public void SignedData_Es384IsSha384OfOriginThenSha384OfNonce()
    {
        var data = LoginOrigin.SignedData("https://a.example", "bm9uY2U", LoginToken.AlgorithmEs384);

        Assert.Equal(96, data.Length);
        Assert.Equal(SHA384.HashData("https://a.example"u8), data[..48]);
        Assert.Equal(SHA384.HashData("bm9uY2U"u8), data[48..]);
        Assert.Equal(SHA384.HashData(data), LoginOrigin.HashToSignEs384("https://a.example", "bm9uY2U"));
        Assert.Equal(LoginOrigin.SignedData("https://a.example", "bm9uY2U"), LoginOrigin.SignedData("https://a.example", "bm9uY2U", LoginToken.AlgorithmRs256));
        Assert.Throws<ArgumentException>(() => LoginOrigin.SignedData("https://a.example", "bm9uY2U", "ES256"));
    }

    [Fact]
    public void OpenSsl_VerifiesEs384OverTheDocumentedBytes_FlippedBitRefusedByBoth()
    {
        using var dir = new TempDir();
        var nonce = "q1w2e3r4t5y6u7i8o9p0AaSsDdFfGgHhJjKkLlZzXxC";
        var token = Es384Token(nonce);
        var data = Path.Combine(dir.Path, "signed-data.bin");
        var key = Path.Combine(dir.Path, "auth.pem");
        File.WriteAllBytes(data, LoginOrigin.SignedData(Origin, nonce, LoginToken.AlgorithmEs384));
        File.WriteAllText(key, OpenSsl.Pem("CERTIFICATE", token.Certificate.ToArray()));
        var (_, publicKey, _) = OpenSsl.Run("x509", "-in", key, "-noout", "-pubkey");
        File.WriteAllText(key, publicKey);
        Assert.Equal(96, token.Signature.Length);

        Assert.Equal(0, OpenSslVerify(dir, key, data, token.Signature.ToArray(), "good"));

        var flipped = token.Signature.ToArray();
        flipped[70] ^= 0x01;
        Assert.NotEqual(0, OpenSslVerify(dir, key, data, flipped, "flipped"));
        Assert.False(P384Signature.IsCanonical(flipped, out _) && SubjectKey.VerifyData(File.ReadAllBytes(data), flipped, HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    [Fact]
    public async Task VerifyTokenAsync_FlippedBit_RefusedByUsAsOpenSslDoes()
    {
        var login = Create();
        var nonce = await login.IssueChallengeAsync(Session);
        var token = Es384Token(nonce.Id);
        var flipped = token.Signature.ToArray();
        flipped[10] ^= 0x80;

        var result = await login.VerifyTokenAsync(token with { Signature = flipped }, Session);

        Assert.Equal(VerdictCode.BadSignature, result.Verdict.Code);
    }

    [Fact]
    public async Task VerifyAsync_PlainChallengeAnsweredWithP384Key_Valid()
    {
        var login = Create();
        var challenge = await login.IssueChallengeAsync();
        var signature = P384Signature.ToLowS(SubjectKey.SignData(challenge.Challenge.Span, HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

        var result = await login.VerifyAsync(challenge.Id, signature, AuthCertificate);

        Assert.True(result.IsValid, result.Verdict.Message);
    }

    [Theory]
    [InlineData("RS256", true)]
    [InlineData("ES384", true)]
    [InlineData("ES256", false)]
    [InlineData("PS256", false)]
    public void TryParse_Algorithm(string algorithm, bool accepted)
    {
        var json = $"{{\"format\":\"jpki-login:1\",\"origin\":\"https://a.example\",\"nonce\":\"n\",\"certificate\":\"AA==\",\"algorithm\":\"{algorithm}\",\"signature\":\"AA==\"}}";

        Assert.Equal(accepted, LoginToken.TryParse(Encoding.UTF8.GetBytes(json), out var token, out var error));
        Assert.Equal(accepted ? algorithm : null, token?.Algorithm);
        Assert.Equal(accepted, error is null);
    }

    [Fact]
    public void ToJson_Es384RoundTrip()
    {
        var token = Es384Token("bm9uY2U");

        Assert.Contains("\"algorithm\":\"ES384\"", Encoding.UTF8.GetString(token.ToJson()), StringComparison.Ordinal);
        Assert.True(LoginToken.TryParse(token.ToJson(), out var parsed, out var error), error);
        Assert.Equal(LoginToken.AlgorithmEs384, parsed!.Algorithm);
        Assert.Equal(token.Signature.ToArray(), parsed.Signature.ToArray());
    }

    private static int OpenSslVerify(TempDir dir, string key, string data, byte[] rs, string name)
    {
        // openssl takes X9.62 DER: SEQUENCE { INTEGER r, INTEGER s } written here with System.Formats.Asn1.
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(new BigInteger(rs.AsSpan(0, rs.Length / 2), isUnsigned: true, isBigEndian: true));
            writer.WriteInteger(new BigInteger(rs.AsSpan(rs.Length / 2), isUnsigned: true, isBigEndian: true));
        }

        var signature = Path.Combine(dir.Path, name + ".der");
        File.WriteAllBytes(signature, writer.Encode());
        var (exit, stdout, stderr) = OpenSsl.Run("dgst", "-sha384", "-verify", key, "-signature", signature, data);
        Assert.True((exit == 0) == stdout.Contains("Verified OK", StringComparison.Ordinal), stdout + stderr);
        return exit;
    }

    private static byte[] HighS(byte[] rs)
    {
        var s = new BigInteger(rs.AsSpan(48), isUnsigned: true, isBigEndian: true);
        var twin = s > Order / 2 ? s : Order - s;
        return [.. rs[..48], .. Fixed(twin)];
    }

    private static byte[] Fixed(BigInteger value)
    {
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        return [.. new byte[48 - bytes.Length], .. bytes];
    }

    private static X509Certificate2 CreateCa()
    {
        var request = new CertificateRequest(new X500DistinguishedName("C=JP, O=JPKI-TEST, OU=JPKI for user authentication (next generation), OU=OpenJpki Test"), LazyCaKey.Value, HashAlgorithmName.SHA384);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        using var self = request.CreateSelfSigned(TestPki.Now.AddYears(-2), TestPki.Now.AddYears(18));
        return X509CertificateLoader.LoadCertificate(self.RawData);
    }

    private static X509Certificate2 Issue(byte[] subjectPublicKeyInfo, long serial)
    {
        using var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
        var request = new CertificateRequest(new X500DistinguishedName("C=JP, CN=AUTH" + serial.ToString(System.Globalization.CultureInfo.InvariantCulture)), key, HashAlgorithmName.SHA384);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(TestPki.Policy(JpkiOids.AuthPolicy));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var generator = X509SignatureGenerator.CreateForECDsa(LazyCaKey.Value);
        return request.Create(Ca.SubjectName, generator, TestPki.Now.AddDays(-30), TestPki.Now.AddYears(9), [0x40, 0x01]);
    }

    private static byte[] Crl()
    {
        var akid = X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Ca, includeKeyIdentifier: true, includeIssuerAndSerial: false);
        return new CertificateRevocationListBuilder().Build(Ca.SubjectName, X509SignatureGenerator.CreateForECDsa(LazyCaKey.Value), BigInteger.One, TestPki.Now.AddDays(6), HashAlgorithmName.SHA384, akid, TestPki.Now.AddDays(-1));
    }
}
