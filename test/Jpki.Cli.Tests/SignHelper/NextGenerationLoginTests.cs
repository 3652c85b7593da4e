using System.Buffers.Text;
using System.Formats.Asn1;
using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Jpki.Authority.Ca;
using Jpki.Card.Transport;
using Jpki.Card.Virtual;
using Jpki.Cli.Commands.SignHelper;
using Jpki.Core.Identity;
using Jpki.Core.Signatures;
using Jpki.Verification;
using Jpki.Verification.Login;
using Jpki.Verification.Paths;
using Jpki.Verification.Revocation;
using Jpki.Verification.Trust;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Cli.Tests.SignHelper;

/// <summary>
/// Issue 13: login with a next-generation card (ECDSA P-384) dev-issued by a next-generation authority
/// (<c>authority init --profile nextgen</c>). The sign helper's <c>POST /login</c> answers an ES384 token (Web eID's
/// SHA-384(origin) ‖ SHA-384(nonce), r‖s), which openssl (<c>dgst -sha384 -verify</c>) and <see cref="LoginVerifier"/>
/// accept and both refuse with a flipped bit; <c>jpki card sign --which auth</c> + <c>jpki login verify</c> (the plain
/// challenge) work with the P-384 key too.
/// </summary>
[Trait("Category", "Security")]
public sealed class NextGenerationLoginTests : IDisposable
{
    private const string City = "http://127.0.0.1:8080";
    private const string Session = "browser-session-1";

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("jpki-cli-login-nextgen-");

    private string CardFile => File("card.jpkicard");

    private string Data => File("jpki-data");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Delete(recursive: true);
    }

    [Fact]
    public async Task Login_NextGenerationCard_HelperAnswersEs384_OpenSslAndVerifierAgree_FlippedBitRefusedByBoth()
    {
        await IssueNextGenerationCardAsync();
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var login = new LoginVerifier(await VerifierAsync(clock), new InMemoryChallengeStore(), clock, options: new LoginOptions { Origins = [City] });
        var nonce = await login.IssueChallengeAsync(Session);

        var json = await HelperLoginAsync(nonce.Id, "1234\n");

        Assert.True(LoginToken.TryParse(json, out var token, out var error), error);
        Assert.Equal(LoginToken.AlgorithmEs384, token!.Algorithm);
        Assert.Equal(96, token.Signature.Length);
        Assert.True(P384Signature.IsCanonical(token.Signature.Span, out var why), why);
        Assert.Equal(City, token.Origin);

        // openssl, over the documented bytes, with the certificate's public key and r‖s written as X9.62 DER.
        var data = File("signed-data.bin");
        await System.IO.File.WriteAllBytesAsync(data, SignedDataByHand(City, nonce.Id));
        var key = File("auth-pub.pem");
        await System.IO.File.WriteAllTextAsync(key, OpenSsl.Pem("CERTIFICATE", token.Certificate.ToArray()));
        Assert.Contains("NIST CURVE: P-384", OpenSsl.Run("x509", "-in", key, "-noout", "-text").Stdout, StringComparison.Ordinal);
        await System.IO.File.WriteAllTextAsync(key, OpenSsl.Run("x509", "-in", key, "-noout", "-pubkey").Stdout);
        Assert.Equal(0, OpenSslVerify(key, data, token.Signature.ToArray(), "token.der"));
        var flipped = token.Signature.ToArray();
        flipped[20] ^= 0x04;
        Assert.NotEqual(0, OpenSslVerify(key, data, flipped, "flipped.der"));

        // Our verifier: the genuine token logs in; the flipped one (a fresh nonce, same signature) is refused.
        var result = await login.VerifyTokenAsync(token, Session);
        Assert.True(result.IsValid, result.Verdict.Message);
        Assert.NotNull(result.AccountKey);

        var second = await login.IssueChallengeAsync(Session);
        var secondToken = await HelperTokenAsync(second.Id);
        var secondFlipped = secondToken.Signature.ToArray();
        secondFlipped[20] ^= 0x04;
        var refused = await login.VerifyTokenAsync(secondToken with { Signature = secondFlipped }, Session);
        Assert.False(refused.IsValid);
        Assert.Contains(refused.Verdict.Code, new[] { VerdictCode.BadSignature, VerdictCode.Malformed });

        // The same card's answer relabelled RS256 is refused: the algorithm must fit the P-384 key.
        var third = await login.IssueChallengeAsync(Session);
        var relabelled = (await HelperTokenAsync(third.Id)) with { Algorithm = LoginToken.AlgorithmRs256 };
        Assert.Equal(VerdictCode.Malformed, (await login.VerifyTokenAsync(relabelled, Session)).Verdict.Code);
    }

    [Fact]
    public async Task LoginVerify_NextGenerationCardAnswersPlainChallenge_ValidAndFlippedRefused()
    {
        await IssueNextGenerationCardAsync();
        var challenge = RandomNumberGenerator.GetBytes(32);
        await System.IO.File.WriteAllBytesAsync(File("challenge.bin"), challenge);
        var answered = await CliRunner.RunAsync("card", "sign", "--card", CardFile, "--which", "auth", "--in", File("challenge.bin"), "--out", File("challenge.sig"), "--pin", "1234");
        Assert.True(answered.ExitCode == 0, answered.Stderr);
        Assert.Equal(0, (await CliRunner.RunAsync("card", "read-cert", "--card", CardFile, "--which", "auth", "--out", File("auth.pem"))).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync("authority", "crl", "--data", Data, "--kind", "auth", "--out", File("auth.crl"))).ExitCode);
        var authRoot = AuthorityFolder.CaCertificatePath(Data, CertificateKind.Authentication);
        string[] verify = ["login", "verify", "--challenge", Base64Url.EncodeToString(challenge), "--cert", File("auth.pem"), "--trust", authRoot, "--crl", File("auth.crl"), "--allow-test-policy"];

        var ok = await CliRunner.RunAsync([.. verify, "--signature", File("challenge.sig")]);
        Assert.True(ok.ExitCode == 0, ok.Stdout + ok.Stderr);

        // openssl agrees on the DER `jpki card sign` wrote (ecdsa-with-SHA384 over the challenge bytes).
        var pub = File("auth-pub.pem");
        await System.IO.File.WriteAllTextAsync(pub, OpenSsl.Run("x509", "-in", File("auth.pem"), "-noout", "-pubkey").Stdout);
        Assert.Equal(0, OpenSsl.Run("dgst", "-sha384", "-verify", pub, "-signature", File("challenge.sig"), File("challenge.bin")).ExitCode);

        var sig = await System.IO.File.ReadAllBytesAsync(File("challenge.sig"));
        sig[^5] ^= 0x01;
        await System.IO.File.WriteAllBytesAsync(File("flipped.sig"), sig);
        Assert.Equal(1, (await CliRunner.RunAsync([.. verify, "--signature", File("flipped.sig")])).ExitCode);
        Assert.NotEqual(0, OpenSsl.Run("dgst", "-sha384", "-verify", pub, "-signature", File("flipped.sig"), File("challenge.bin")).ExitCode);
    }

    private async Task IssueNextGenerationCardAsync()
    {
        var init = await CliRunner.RunAsync("authority", "init", "--data", Data, "--test-names", "--profile", "nextgen");
        Assert.True(init.ExitCode == 0, init.Stderr);
        Assert.Equal(0, (await CliRunner.RunAsync("card", "new", "--profile", "nextgen", "--out", CardFile, "--number", "NEXTLOGIN1")).ExitCode);
        await CliRunner.DevIssueAsync(CardFile, Data, "JPKI_NGLOGIN");
    }

    /// <summary>A verifier trusting the folder's (P-384) authentication root with its fresh CRL, test policy allowed.</summary>
    private async Task<JpkiVerifier> VerifierAsync(TimeProvider clock)
    {
        Assert.Equal(0, (await CliRunner.RunAsync("authority", "crl", "--data", Data, "--kind", "auth", "--out", File("auth.crl"))).ExitCode);
        var root = X509CertificateLoader.LoadCertificateFromFile(AuthorityFolder.CaCertificatePath(Data, CertificateKind.Authentication));
        var crls = new CrlRevocationSource().Add(await System.IO.File.ReadAllBytesAsync(File("auth.crl")));
        return new JpkiVerifier(new TrustStoreBuilder().AddRoot(root).Build(), [crls], clock, new VerifierOptions { Path = new PathValidationOptions { AllowTestPolicy = true } });
    }

    private async Task<LoginToken> HelperTokenAsync(string nonce)
    {
        Assert.True(LoginToken.TryParse(await HelperLoginAsync(nonce, "1234\n"), out var token, out var error), error);
        return token!;
    }

    /// <summary>The citizen's helper on this card: <c>POST /login</c> from <see cref="City"/>, the PIN typed at its console.</summary>
    private async Task<byte[]> HelperLoginAsync(string nonce, string typed)
    {
        var console = new StringWriter();
        var context = new CliContext(console, console, new FakeTimeProvider(TimeProvider.System.GetUtcNow())) { Stdin = new StringReader(typed) };
        await using var helper = new SignHelperServer(
            new SignHelperOptions(0, [City]),
            () => (new InProcessTransport(VirtualCard.Open(CardFile), "card", ownsCard: true), null),
            new ConsolePasswordPrompt(context),
            console,
            context.Clock);
        await helper.StartAsync(CancellationToken.None);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(helper.Address, "/login"))
        {
            Content = new StringContent($"{{\"nonce\":\"{nonce}\",\"certificate\":\"auth\"}}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Origin", City);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, Encoding.UTF8.GetString(body) + console);
        Assert.Contains("ES384", console.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("1234", console.ToString().Replace(nonce, string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        return body;
    }

    /// <summary>SHA-384(origin) ‖ SHA-384(nonce), written out here from Web eID's definition rather than taken from LoginOrigin.</summary>
    private static byte[] SignedDataByHand(string origin, string nonce)
        => [.. SHA384.HashData(Encoding.UTF8.GetBytes(origin)), .. SHA384.HashData(Encoding.ASCII.GetBytes(nonce))];

    private int OpenSslVerify(string publicKey, string data, byte[] rs, string name)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(new BigInteger(rs.AsSpan(0, 48), isUnsigned: true, isBigEndian: true));
            writer.WriteInteger(new BigInteger(rs.AsSpan(48), isUnsigned: true, isBigEndian: true));
        }

        System.IO.File.WriteAllBytes(File(name), writer.Encode());
        var (exit, stdout, stderr) = OpenSsl.Run("dgst", "-sha384", "-verify", publicKey, "-signature", File(name), data);
        Assert.True((exit == 0) == stdout.Contains("Verified OK", StringComparison.Ordinal), stdout + stderr);
        return exit;
    }

    private string File(string name) => Path.Combine(_directory.FullName, name);
}
