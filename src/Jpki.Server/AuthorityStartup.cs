using Jpki.Authority.Ca;

namespace Jpki.Server;

/// <summary>
/// The embedded default's authority: opens the data folder's authority, initialising a test-environment one on first use.
/// <c>jpki serve</c> and <c>jpki card dev-issue</c> share it, so a folder either of them starts is the same kind of authority.
/// </summary>
public static class AuthorityStartup
{
    /// <summary>Opens the authority of <paramref name="options"/>' data folder, initialising a test one (base URL: the first address listened on) when missing.</summary>
    internal static async Task<AuthorityRuntime> OpenOrInitializeAsync(JpkiServerOptions options, TimeProvider clock, CancellationToken cancellationToken)
    {
        var baseUrl = options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? JpkiServerOptions.DefaultUrls;
        await InitializeTestAuthorityIfMissingAsync(options.DataDirectory, baseUrl, clock, "system:serve", cancellationToken).ConfigureAwait(false);
        return await AuthorityFolder.OpenAsync(options.DataDirectory, clock, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// When <paramref name="dataDirectory"/> holds no authority, initialises the embedded default's test environment there:
    /// O=JPKI-TEST names and test policies, software keys with a generated passphrase file, open signature revocation data,
    /// CRL and OCSP addresses under <paramref name="publicBaseUrl"/>, and one registration-authority key for local terminals
    /// in a 0600 file (never logged).
    /// </summary>
    /// <returns>True when it initialised one; false when the folder already held an authority (of whatever kind).</returns>
    public static async Task<bool> InitializeTestAuthorityIfMissingAsync(string dataDirectory, string publicBaseUrl, TimeProvider clock, string actor, CancellationToken cancellationToken)
    {
        if (AuthorityFolder.IsInitialized(dataDirectory))
        {
            return false;
        }

        var raKey = RegistrationAuthorityKeyFile.ReadOrCreate(dataDirectory);
        await AuthorityFolder.InitializeAsync(
            dataDirectory,
            new AuthoritySettings { TestNames = true, PublicBaseUrl = publicBaseUrl, OpenSignatureRevocationData = true, RegistrationAuthorityKeys = [raKey] },
            clock,
            actor,
            cancellationToken).ConfigureAwait(false);
        return true;
    }
}
