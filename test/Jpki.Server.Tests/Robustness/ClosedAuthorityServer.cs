using Jpki.Authority.Ca;
using Jpki.Server.Tests.Counter;

namespace Jpki.Server.Tests.Robustness;

/// <summary>
/// The embedded default server with its authority initialised as in production rather than as the test environment:
/// signature-certificate revocation data and linkage closed to everyone but the registered verifier key
/// <see cref="VerifierKey"/> (the embedded default opens them).
/// </summary>
public sealed class ClosedAuthorityServer : CounterServer
{
    public const string VerifierKey = "walk-verifier-key-1";

    protected override async Task BeforeBuildAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        await AuthorityFolder.InitializeAsync(
            DataDirectory,
            new AuthoritySettings { TestNames = true, PublicBaseUrl = "http://127.0.0.1:8080", OpenSignatureRevocationData = false, VerifierKeys = [VerifierKey] },
            Clock,
            "test:walk",
            default);
    }
}
