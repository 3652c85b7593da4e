using Jpki.Server.Tests.OnlineApplication;

namespace Jpki.Server.Tests.Oidc;

/// <summary>One provider (and its authority) per test class: starting one costs seconds; each test registers its own clients.</summary>
public sealed class OidcServerFixture : IAsyncLifetime
{
    internal OidcTestServer Server { get; private set; } = null!;

    internal CitizenCard Card { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await OidcTestServer.StartAsync();
        Card = await Server.IssueCardAsync("OIDC0001");
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
