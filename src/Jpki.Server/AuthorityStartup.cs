using Jpki.Authority.Ca;

namespace Jpki.Server;

/// <summary>Opens the data folder's authority, initialising a test-environment one on first start of the embedded default.</summary>
internal static class AuthorityStartup
{
    public static async Task<AuthorityRuntime> OpenOrInitializeAsync(JpkiServerOptions options, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!AuthorityFolder.IsInitialized(options.DataDirectory))
        {
            var baseUrl = options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "http://127.0.0.1:8080";

            // One registration-authority key for local terminals and tests, in a 0600 file (never logged).
            var raKey = RegistrationAuthorityKeyFile.ReadOrCreate(options.DataDirectory);
            await AuthorityFolder.InitializeAsync(
                options.DataDirectory,
                new AuthoritySettings { TestNames = true, PublicBaseUrl = baseUrl, OpenSignatureRevocationData = true, RegistrationAuthorityKeys = [raKey] },
                clock,
                "system:serve",
                cancellationToken).ConfigureAwait(false);
        }

        return await AuthorityFolder.OpenAsync(options.DataDirectory, clock, cancellationToken).ConfigureAwait(false);
    }
}
