using Jpki.Authority.Ca;
using Jpki.Authority.Ocsp;

namespace Jpki.Server.Tests.Security;

/// <summary>Verifier and registration-authority keys are kept in authority.json as SHA-256 hashes; the hash opens nothing by itself.</summary>
public sealed class VerifierKeyStorageTests
{
    private const string Key = "Vk-storage-5e1b9d";
    private const string RaKey = "Ra-storage-77c2e0";

    [Fact]
    public void IsVerifier_StoredHash_AcceptsTheKeyOnly()
    {
        var stored = VerifierAccess.StoredForm(Key);
        var access = new VerifierAccess(new AuthorityOptions { VerifierKeys = [stored] });

        Assert.StartsWith(VerifierAccess.HashPrefix, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, stored, StringComparison.Ordinal);
        Assert.Equal(stored, VerifierAccess.StoredForm(stored));
        Assert.True(access.IsVerifier(Key));
        Assert.False(access.IsVerifier(stored));
        Assert.False(access.IsVerifier(Key[..^1]));
        Assert.False(access.IsVerifier(""));
    }

    [Fact]
    public async Task InitializeAsync_VerifierKeys_WrittenAsHashesAndStillAccepted()
    {
        var data = Path.Combine(Path.GetTempPath(), "jpki-vkeys-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            Directory.CreateDirectory(AuthorityFolder.PathOf(data));
            await File.WriteAllTextAsync(Path.Combine(AuthorityFolder.PathOf(data), "passphrase"), "storage-test-passphrase");
            var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 1, 0, 0, TimeSpan.Zero));
            await AuthorityFolder.InitializeAsync(data, new AuthoritySettings { TestNames = true, VerifierKeys = [Key], RegistrationAuthorityKeys = [RaKey] }, clock, "test", CancellationToken.None);

            var json = await File.ReadAllTextAsync(Path.Combine(AuthorityFolder.PathOf(data), "authority.json"));
            await using var runtime = await AuthorityFolder.OpenAsync(data, clock, CancellationToken.None);

            Assert.DoesNotContain(Key, json, StringComparison.Ordinal);
            Assert.Contains(VerifierAccess.StoredForm(Key), json, StringComparison.Ordinal);
            Assert.True(runtime.Access.IsVerifier(Key));
            Assert.DoesNotContain(RaKey, json, StringComparison.Ordinal);
            Assert.Contains(VerifierAccess.StoredForm(RaKey), json, StringComparison.Ordinal);
            Assert.True(runtime.RegistrationAuthorities.IsRegistrationAuthority(RaKey));
            Assert.False(runtime.RegistrationAuthorities.IsRegistrationAuthority(VerifierAccess.StoredForm(RaKey)));
            Assert.False(runtime.RegistrationAuthorities.IsRegistrationAuthority(Key));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }
}
