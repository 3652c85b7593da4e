using Jpki.Authority.Ca;
using Jpki.Authority.Keys;
using Jpki.Authority.Tests.Support;
using Jpki.Core.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Authority.Tests.Keys;

/// <summary>
/// The CA keys' PKCS#11 token removed while the authority runs (docs/faults.md, "Dependencies failing"): the SoftHSM2
/// token's folder moved away and back. Issuance and CRL signing fail with <see cref="Pkcs11KeyException"/> (no PIN in
/// the message), store no certificate row and no audit entry, and leave the current CRL file alone; OCSP keeps
/// answering (its delegated signer key is a software key). With the token back, SoftHSM2 keeps reporting
/// CKR_GENERAL_ERROR to the process that saw it vanish (it marks the token invalid until C_Finalize), so recovery needs
/// the authority re-opened — a server restart, documented in docs/faults.md; the re-opened authority signs again.
/// Needs softhsm2.
/// </summary>
[Collection("softhsm")]
public sealed class Pkcs11TokenRemovedTests(SoftHsmToken token)
{
    private const string PinVariable = "JPKI_TEST_PKCS11_PIN_REMOVED";

    [Fact]
    public async Task TokenRemoved_SigningFailsCleanly_TokenBack_ReopenedAuthorityRecovers()
    {
        Assert.NotNull(token);
        using var dir = new TempDir();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 3, 0, 0, TimeSpan.Zero));
        Environment.SetEnvironmentVariable(PinVariable, SoftHsmToken.UserPin);
        var tokens = Path.Combine(Path.GetDirectoryName(Environment.GetEnvironmentVariable("SOFTHSM2_CONF"))!, "tokens");
        var away = dir.File("removed-tokens");
        AuthorityRuntime? runtime = null;
        try
        {
            await AuthorityFolder.InitializeAsync(dir.Path, new AuthoritySettings
            {
                TestNames = true,
                KeySource = "pkcs11",
                Pkcs11Module = SoftHsmToken.Module,
                Pkcs11Token = SoftHsmToken.Label,
                Pkcs11PinEnvironmentVariable = PinVariable,
            }, clock, "test", CancellationToken.None);
            runtime = await AuthorityFolder.OpenAsync(dir.Path, clock, CancellationToken.None);
            var authority = runtime.Authority;
            Assert.IsType<Pkcs11CaKey>(authority.AuthCa.Key);
            var before = await authority.IssueAsync(Ca.CertificateAuthorityTests.AuthRequest(), CancellationToken.None);
            var crl = await runtime.Crls.PublishAsync(CertificateKind.Authentication, "test", CancellationToken.None);
            var crlBytes = await File.ReadAllBytesAsync(crl.Path);
            var ocspRequest = OcspClient.Request(authority.AuthCa.CertificateDer, before.SerialHex);
            Assert.Equal(0, OcspClient.Status((await runtime.Ocsp.RespondAsync(ocspRequest, false, CancellationToken.None)).Der.ToArray()));
            await runtime.Ocsp.RecordingAsync;
            var entries = (await runtime.Audit.VerifyAsync(CancellationToken.None)).EntriesChecked;

            // The token goes away.
            Directory.Move(tokens, away);
            Directory.CreateDirectory(tokens);

            var issue = await Assert.ThrowsAsync<Pkcs11KeyException>(() => authority.IssueAsync(Ca.CertificateAuthorityTests.AuthRequest("holder-token-gone"), CancellationToken.None));
            Assert.DoesNotContain(SoftHsmToken.UserPin, issue.Message, StringComparison.Ordinal);
            Assert.Empty(await authority.Registry.FindByHolderAsync("holder-token-gone", CancellationToken.None));
            var publish = await Assert.ThrowsAsync<Pkcs11KeyException>(() => runtime.Crls.PublishAsync(CertificateKind.Authentication, "test", CancellationToken.None));
            Assert.DoesNotContain(SoftHsmToken.UserPin, publish.Message, StringComparison.Ordinal);
            Assert.Equal(crlBytes, await File.ReadAllBytesAsync(crl.Path));
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(crl.Path)!, "*.tmp"));
            var during = await runtime.Audit.VerifyAsync(CancellationToken.None);
            Assert.True(during.IsIntact, during.Problem);
            Assert.Equal(entries, during.EntriesChecked);

            // OCSP needs no CA key until its signer is renewed: cached and freshly signed (nonce) answers go on.
            var cached = await runtime.Ocsp.RespondAsync(ocspRequest, false, CancellationToken.None);
            Assert.True(cached.FromCache);
            var nonced = await runtime.Ocsp.RespondAsync(OcspClient.Request(authority.AuthCa.CertificateDer, before.SerialHex, nonce: [1, 2, 3, 4, 5, 6, 7, 8]), false, CancellationToken.None);
            Assert.Equal(0, OcspClient.Status(nonced.Der.ToArray()));

            // The token comes back; the authority is re-opened (server restart) and signs again.
            Directory.Delete(tokens);
            Directory.Move(away, tokens);
            await runtime.DisposeAsync();
            runtime = null;
            runtime = await AuthorityFolder.OpenAsync(dir.Path, clock, CancellationToken.None);
            authority = runtime.Authority;
            var after = await authority.IssueAsync(Ca.CertificateAuthorityTests.AuthRequest("holder-token-back"), CancellationToken.None);
            Assert.Single(await authority.Registry.FindByHolderAsync("holder-token-back", CancellationToken.None));
            await runtime.Crls.PublishAsync(CertificateKind.Authentication, "test", CancellationToken.None);
            var end = await runtime.Audit.VerifyAsync(CancellationToken.None);
            Assert.True(end.IsIntact, end.Problem);
            Assert.Equal(entries + 2, end.EntriesChecked);
            Assert.NotEqual(before.SerialHex, after.SerialHex);
        }
        finally
        {
            if (runtime is not null)
            {
                await runtime.DisposeAsync();
            }

            if (Directory.Exists(away))
            {
                if (Directory.Exists(tokens))
                {
                    Directory.Delete(tokens, recursive: true);
                }

                Directory.Move(away, tokens);
            }

            Environment.SetEnvironmentVariable(PinVariable, null);
            SqliteConnection.ClearAllPools();
        }
    }
}
