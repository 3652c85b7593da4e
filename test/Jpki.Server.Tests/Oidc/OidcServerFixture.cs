using Jpki.Authority.Ca;
using Jpki.Server.Tests.OnlineApplication;

namespace Jpki.Server.Tests.Oidc;

/// <summary>
/// One provider (and its authority) per test class: starting one costs seconds; each test registers its own clients.
/// The next-generation provider (a nextgen authority, a P-384 card) starts on first use, for tests that run with both profiles.
/// </summary>
public sealed class OidcServerFixture : IAsyncLifetime
{
    private readonly SemaphoreSlim _nextGenerationStart = new(1, 1);
    private (OidcTestServer Server, CitizenCard Card)? _nextGeneration;

    internal OidcTestServer Server { get; private set; } = null!;

    internal CitizenCard Card { get; private set; } = null!;

    /// <summary>The provider and card of <paramref name="profile"/>: <c>jpki</c> (the default one) or <c>nextgen</c>.</summary>
    internal async Task<(OidcTestServer Server, CitizenCard Card)> ForProfileAsync(string profile)
    {
        if (profile == AuthoritySettings.ProfileJpki)
        {
            return (Server, Card);
        }

        await _nextGenerationStart.WaitAsync();
        try
        {
            if (_nextGeneration is null)
            {
                var server = await OidcTestServer.StartAsync(profile: profile);
                _nextGeneration = (server, await server.IssueCardAsync("OIDCNG01"));
            }

            return _nextGeneration.Value;
        }
        finally
        {
            _nextGenerationStart.Release();
        }
    }

    public async Task InitializeAsync()
    {
        Server = await OidcTestServer.StartAsync();
        Card = await Server.IssueCardAsync("OIDC0001");
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        if (_nextGeneration is { } nextGeneration)
        {
            await nextGeneration.Server.DisposeAsync();
        }

        _nextGenerationStart.Dispose();
    }
}
