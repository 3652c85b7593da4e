using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Authority.Ca;
using Jpki.Authority.Contracts;
using Jpki.Authority.Tests.Support;
using Jpki.Core.Identity;
using Jpki.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Authority.Tests.NextGeneration;

/// <summary>
/// A next-generation authority (<c>--profile nextgen</c>) in a data folder, judged by openssl: its P-384 roots, a P-384
/// holder certificate signed with ecdsa-with-SHA384, its CRL and an OCSP answer; each with a tampered copy refused.
/// </summary>
public sealed class NextGenerationAuthorityTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);
    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _clock = new(Start);

    [Fact]
    public async Task NextGenAuthority_CertificateCrlAndOcsp_OpensslVerifies_TamperedRefused()
    {
        var data = _dir.File("data");
        Directory.CreateDirectory(data);
        await AuthorityFolder.InitializeAsync(
            data, new AuthoritySettings { TestNames = true, Profile = AuthoritySettings.ProfileNextGeneration }, _clock, "test", CancellationToken.None);
        Assert.Equal(AuthoritySettings.ProfileNextGeneration, AuthorityFolder.ReadSettings(data).Profile);
        await using var runtime = await AuthorityFolder.OpenAsync(data, _clock, CancellationToken.None);
        var authority = runtime.Authority;

        using var holderKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var expiry = new DateOnly(2036, 11, 30); // 10 years (JPKI-REFERENCE §14)
        var record = await authority.IssueAsync(
            new IssueRequest(CertificateKind.Signature, holderKey.ExportSubjectPublicKeyInfo(), "CARD-NG", "HOLDER-NG", expiry, Fixtures.Taro, null, "test"),
            CancellationToken.None);
        using var certificate = X509CertificateLoader.LoadCertificate(record.Der.Span);
        Assert.Equal("1.2.840.10045.4.3.3", certificate.SignatureAlgorithm.Value);

        // An RSA key under a next-generation CA is refused, as a P-384 key under today's CA.
        using var rsa = RSA.Create(2048);
        var rsaRefused = await Assert.ThrowsAsync<IssueRequestException>(() => authority.IssueAsync(
            new IssueRequest(CertificateKind.Authentication, rsa.ExportSubjectPublicKeyInfo(), "CARD-NG", "HOLDER-NG", expiry, null, null, "test"),
            CancellationToken.None));
        Assert.Equal("bad-public-key", rsaRefused.Code);

        var ca = Pem("ca.pem", "CERTIFICATE", authority.SignCa.CertificateDer.ToArray());
        var ee = Pem("ee.pem", "CERTIFICATE", record.Der.ToArray());
        var text = OpenSsl.Run("x509", "-in", ca, "-noout", "-text").Stdout;
        Assert.Contains("ecdsa-with-SHA384", text, StringComparison.Ordinal);
        Assert.Contains("NIST CURVE: P-384", text, StringComparison.Ordinal);
        Assert.Contains("JPKI-TEST", text, StringComparison.Ordinal);
        var at = Start.AddHours(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var verified = OpenSsl.Run("verify", "-attime", at, "-CAfile", ca, ee);
        Assert.True(verified.ExitCode == 0, verified.Stdout + verified.Stderr);
        var tamperedCert = record.Der.ToArray();
        tamperedCert[^5] ^= 0x01;
        var refused = OpenSsl.Run("verify", "-attime", at, "-CAfile", ca, Pem("bad.pem", "CERTIFICATE", tamperedCert));
        Assert.NotEqual(0, refused.ExitCode);

        // OCSP: openssl builds the request, we answer, openssl checks the ecdsa-with-SHA384 answer and its P-384 signer.
        var request = _dir.File("req.der");
        Assert.Equal(0, OpenSsl.Run("ocsp", "-issuer", ca, "-cert", ee, "-no_nonce", "-reqout", request).ExitCode);
        var answer = await runtime.Ocsp.RespondAsync(File.ReadAllBytes(request), verifierAuthorised: true, CancellationToken.None);
        var response = _dir.File("resp.der");
        File.WriteAllBytes(response, answer.Der.ToArray());
        var ocsp = OpenSsl.Run("ocsp", "-respin", response, "-issuer", ca, "-cert", ee, "-CAfile", ca, "-attime", at, "-resp_text");
        Assert.True(ocsp.ExitCode == 0, ocsp.Stdout + ocsp.Stderr);
        Assert.Contains("Response verify OK", ocsp.Stderr + ocsp.Stdout, StringComparison.Ordinal);
        Assert.Contains(": good", ocsp.Stdout, StringComparison.Ordinal);
        Assert.Contains("ecdsa-with-SHA384", ocsp.Stdout, StringComparison.Ordinal);
        File.WriteAllBytes(_dir.File("bad-resp.der"), TamperSignature(answer.Der.ToArray(), certificateLength: runtime.Ocsp.SignerCertificate(CertificateKind.Signature).Length));
        var badOcsp = OpenSsl.Run("ocsp", "-respin", _dir.File("bad-resp.der"), "-issuer", ca, "-cert", ee, "-CAfile", ca, "-attime", at);
        Assert.DoesNotContain("Response verify OK", badOcsp.Stderr + badOcsp.Stdout, StringComparison.Ordinal);

        // CRL: revoked, published, checked by openssl against the P-384 CA; a tampered CRL is refused.
        _clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(RevokeResult.Revoked, await authority.RevokeAsync(certificate.SerialNumber, RevocationReason.KeyCompromise, Start.AddHours(1), "test", CancellationToken.None));
        var published = await runtime.Crls.PublishAsync(CertificateKind.Signature, "test", CancellationToken.None);
        var crlDer = File.ReadAllBytes(published.Path);
        var crl = Pem("crl.pem", "X509 CRL", crlDer);
        var crlCheck = OpenSsl.Run("crl", "-in", crl, "-CAfile", ca, "-noout", "-text");
        Assert.True(crlCheck.ExitCode == 0, crlCheck.Stdout + crlCheck.Stderr);
        Assert.Contains("verify OK", crlCheck.Stderr + crlCheck.Stdout, StringComparison.Ordinal);
        Assert.Contains("ecdsa-with-SHA384", crlCheck.Stdout, StringComparison.Ordinal);
        var revoked = OpenSsl.Run("verify", "-attime", Start.AddHours(3).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), "-crl_check", "-CRLfile", crl, "-CAfile", ca, ee);
        Assert.NotEqual(0, revoked.ExitCode);
        Assert.Contains("revoked", revoked.Stdout + revoked.Stderr, StringComparison.Ordinal);
        crlDer[^3] ^= 0x01;
        var badCrl = OpenSsl.Run("crl", "-in", Pem("bad-crl.pem", "X509 CRL", crlDer), "-CAfile", ca, "-noout");
        Assert.DoesNotContain("verify OK", badCrl.Stderr + badCrl.Stdout, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>Flips a bit inside the BasicOCSPResponse's signature BIT STRING, which sits just before the [0] certs.</summary>
    private static byte[] TamperSignature(byte[] response, int certificateLength)
    {
        // The certs field is [0] { SEQUENCE { certificate } } at the end: the signature's last byte precedes it.
        var certsLength = certificateLength + 8;
        response[response.Length - certsLength - 1] ^= 0x01;
        return response;
    }

    private string Pem(string name, string label, byte[] der)
    {
        var path = _dir.File(name);
        File.WriteAllText(path, OpenSsl.Pem(label, der));
        return path;
    }
}
