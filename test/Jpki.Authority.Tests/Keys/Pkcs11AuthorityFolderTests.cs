using Jpki.Authority.Ca;
using Jpki.Authority.Tests.Support;
using Jpki.Core.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Authority.Tests.Keys;

/// <summary>A data-folder authority whose two CA keys live on one SoftHSM2 token (both open at once). Needs softhsm2.</summary>
[Collection("softhsm")]
public sealed class Pkcs11AuthorityFolderTests
{
    [Fact]
    public async Task InitAndOpen_Pkcs11KeySource_IssuesWithTokenKeys()
    {
        using var dir = new TempDir();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 3, 0, 0, TimeSpan.Zero));
        Environment.SetEnvironmentVariable("JPKI_TEST_PKCS11_PIN", SoftHsmToken.UserPin);
        var settings = new AuthoritySettings
        {
            TestNames = true,
            KeySource = "pkcs11",
            Pkcs11Module = SoftHsmToken.Module,
            Pkcs11Token = SoftHsmToken.Label,
            Pkcs11PinEnvironmentVariable = "JPKI_TEST_PKCS11_PIN",
        };
        try
        {
            await AuthorityFolder.InitializeAsync(dir.Path, settings, clock, "test", CancellationToken.None);
            Assert.False(File.Exists(Path.Combine(AuthorityFolder.PathOf(dir.Path), "sign-ca.key.pem")));
            await using var runtime = await AuthorityFolder.OpenAsync(dir.Path, clock, CancellationToken.None);
            Assert.IsType<Jpki.Authority.Keys.Pkcs11CaKey>(runtime.Authority.SignCa.Key);
            var sign = await runtime.Authority.IssueAsync(Ca.CertificateAuthorityTests.SignRequest(), CancellationToken.None);
            var auth = await runtime.Authority.IssueAsync(Ca.CertificateAuthorityTests.AuthRequest(), CancellationToken.None);
            using var dir2 = new TempDir();
            File.WriteAllText(dir2.File("ca.pem"), OpenSsl.Pem("CERTIFICATE", runtime.Authority.SignCa.CertificateDer));
            File.WriteAllText(dir2.File("ee.pem"), OpenSsl.Pem("CERTIFICATE", sign.Der.ToArray()));
            var verify = OpenSsl.Run("verify", "-CAfile", dir2.File("ca.pem"), "-attime", "1800000000", dir2.File("ee.pem"));
            Assert.True(verify.ExitCode == 0, verify.Stdout + verify.Stderr);
            Assert.Equal(CertificateKind.Authentication, Jpki.Authority.Profiles.JpkiCertificateParser.Parse(auth.Der.Span).Kind);
        }
        finally
        {
            Environment.SetEnvironmentVariable("JPKI_TEST_PKCS11_PIN", null);
            SqliteConnection.ClearAllPools();
        }
    }
}
