using Jpki.Core.Storage;
using Jpki.Authority.Ca;
using Jpki.Municipality.Hosting;

namespace Jpki.Server.Composition;

/// <summary>
/// Wires a counter to an authority in one process: the in-process adapter (<see cref="AuthorityCertificateIssuer"/>)
/// over an opened authority, or the data folder's authority opened (and, for the embedded default, initialised) here.
/// <c>Jpki.Municipality</c> knows neither: it sees an <see cref="Municipality.Issuance.ICertificateIssuer"/>.
/// </summary>
public static class CounterComposition
{
    /// <summary>Who the authority's audit log names for the counter's issuances and revocations in one process.</summary>
    public const string DefaultActor = "counter";

    /// <summary>Opens a counter runtime over <paramref name="authority"/> (the caller keeps both the authority and, through the runtime, the store).</summary>
    public static Task<CounterRuntime> OpenAsync(CounterRuntimeOptions options, TimeProvider clock, AuthorityRuntime authority, CancellationToken cancellationToken, string actor = DefaultActor)
    {
        ArgumentNullException.ThrowIfNull(authority);
        return CounterRuntime.OpenAsync(options, clock, new AuthorityCertificateIssuer(authority.Authority, actor), cancellationToken);
    }

    /// <summary>
    /// Opens the authority of the counter's data folder and a counter runtime over it; the result disposes both. With
    /// <paramref name="initializeTestAuthority"/>, a folder without an authority gets a test-environment one
    /// (O=JPKI-TEST names, open signature revocation data) whose CRL and OCSP addresses start with <paramref name="publicBaseUrl"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">No authority in the data folder and initialisation is off.</exception>
    public static async Task<LocalCounter> OpenLocalAsync(CounterRuntimeOptions options, TimeProvider clock, bool initializeTestAuthority, string publicBaseUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        PrivateFiles.CreateFolder(options.DataDirectory);
        if (!AuthorityFolder.IsInitialized(options.DataDirectory))
        {
            if (!initializeTestAuthority)
            {
                throw new InvalidOperationException($"{options.DataDirectory} holds no authority: run `jpki authority init` or `jpki serve` first.");
            }

            await AuthorityFolder.InitializeAsync(
                options.DataDirectory,
                new AuthoritySettings { TestNames = true, PublicBaseUrl = publicBaseUrl, OpenSignatureRevocationData = true },
                clock, "system:counter", cancellationToken).ConfigureAwait(false);
        }

        var authority = await AuthorityFolder.OpenAsync(options.DataDirectory, clock, cancellationToken).ConfigureAwait(false);
        try
        {
            return new LocalCounter(await OpenAsync(options, clock, authority, cancellationToken).ConfigureAwait(false), authority);
        }
        catch
        {
            await authority.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
