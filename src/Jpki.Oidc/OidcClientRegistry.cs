using Jpki.Core.Storage;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Jpki.Oidc;

/// <summary>
/// The registered clients (relying parties) in <c>oidc.db</c>, for <c>jpki oidc client add|list|remove</c>. A client is
/// confidential, uses the code flow with PKCE S256 and authenticates with a secret (client_secret_basic, the secret
/// stored hashed) or with a key (private_key_jwt, its public JWKS stored); redirect URIs are compared exactly.
/// </summary>
public sealed class OidcClientRegistry : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private OidcClientRegistry(ServiceProvider services) => _services = services;

    /// <summary>Opens the client database of a provider data folder (created when missing).</summary>
    public static OidcClientRegistry Open(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        PrivateFiles.CreateFolder(dataDirectory);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDbContext<OidcDbContext>(db => OidcDatabase.Configure(db, dataDirectory));
        services.AddOpenIddict().AddCore(core => core.UseEntityFrameworkCore().UseDbContext<OidcDbContext>());
        var provider = services.BuildServiceProvider();
        OidcDatabase.EnsureCreated(provider);
        return new OidcClientRegistry(provider);
    }

    /// <summary>Registers a client; returns the client id and, for a secret client, the secret (shown once, stored hashed).</summary>
    /// <exception cref="ArgumentException">A redirect URI is not absolute or has a fragment, the JWKS is not valid, the
    /// algorithm is not RS256/ES256, or the client id is taken.</exception>
    public async Task<(string ClientId, string? Secret)> AddAsync(OidcClientRegistration registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        if (registration.RedirectUris.Count == 0)
        {
            throw new ArgumentException("Give at least one redirect URI.", nameof(registration));
        }

        foreach (var uri in registration.RedirectUris.Concat(registration.PostLogoutRedirectUris))
        {
            if (!uri.IsAbsoluteUri || uri.Fragment.Length > 0 || uri.Scheme is not ("https" or "http"))
            {
                throw new ArgumentException($"Not an absolute http(s) URI without fragment: {uri}", nameof(registration));
            }
        }

        if (registration.IdTokenAlgorithm is not (SecurityAlgorithms.RsaSha256 or SecurityAlgorithms.EcdsaSha256))
        {
            throw new ArgumentException("The ID token algorithm is RS256 or ES256.", nameof(registration));
        }

        var clientId = registration.ClientId ?? Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(12));
        await using var scope = _services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        if (await manager.FindByClientIdAsync(clientId, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new ArgumentException($"A client {clientId} is registered already.", nameof(registration));
        }

        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            DisplayName = registration.DisplayName,
            ClientType = ClientTypes.Confidential,
            ConsentType = ConsentTypes.Explicit,
        };
        string? secret = null;
        if (registration.JsonWebKeySet is { } jwks)
        {
            try
            {
                descriptor.JsonWebKeySet = JsonWebKeySet.Create(jwks);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException("The JWKS is not a JSON Web Key Set: " + e.Message, nameof(registration), e);
            }

            if (descriptor.JsonWebKeySet.Keys.Count == 0 || descriptor.JsonWebKeySet.Keys.Any(k => k.HasPrivateKey))
            {
                throw new ArgumentException("The JWKS must hold at least one public key and no private key.", nameof(registration));
            }
        }
        else
        {
            secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
            descriptor.ClientSecret = secret;
        }

        foreach (var uri in registration.RedirectUris)
        {
            descriptor.RedirectUris.Add(uri);
        }

        foreach (var uri in registration.PostLogoutRedirectUris)
        {
            descriptor.PostLogoutRedirectUris.Add(uri);
        }

        descriptor.Permissions.UnionWith(
        [
            Permissions.Endpoints.Authorization,
            Permissions.Endpoints.Token,
            Permissions.Endpoints.EndSession,
            Permissions.GrantTypes.AuthorizationCode,
            Permissions.ResponseTypes.Code,
        ]);
        if (registration.AllowBasic4)
        {
            descriptor.Permissions.Add(JpkiScopes.Basic4Permission);
        }

        descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
        descriptor.Settings[OidcDefaults.IdTokenAlgorithmSetting] = registration.IdTokenAlgorithm;
        await manager.CreateAsync(descriptor, cancellationToken).ConfigureAwait(false);
        return (clientId, secret);
    }

    /// <summary>The registered clients, by client id.</summary>
    public async Task<IReadOnlyList<OidcClientInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = _services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var clients = new List<OidcClientInfo>();
        await foreach (var application in manager.ListAsync(null, null, cancellationToken).ConfigureAwait(false))
        {
            var permissions = await manager.GetPermissionsAsync(application, cancellationToken).ConfigureAwait(false);
            var settings = await manager.GetSettingsAsync(application, cancellationToken).ConfigureAwait(false);
            clients.Add(new OidcClientInfo(
                (await manager.GetClientIdAsync(application, cancellationToken).ConfigureAwait(false))!,
                await manager.GetDisplayNameAsync(application, cancellationToken).ConfigureAwait(false),
                [.. await manager.GetRedirectUrisAsync(application, cancellationToken).ConfigureAwait(false)],
                [.. await manager.GetPostLogoutRedirectUrisAsync(application, cancellationToken).ConfigureAwait(false)],
                await manager.GetJsonWebKeySetAsync(application, cancellationToken).ConfigureAwait(false) is null ? "client_secret_basic" : "private_key_jwt",
                permissions.Contains(JpkiScopes.Basic4Permission),
                settings.TryGetValue(OidcDefaults.IdTokenAlgorithmSetting, out var alg) ? alg : SecurityAlgorithms.RsaSha256));
        }

        return [.. clients.OrderBy(c => c.ClientId, StringComparer.Ordinal)];
    }

    /// <summary>Removes a client (its codes and tokens stop working); false when there is none with this id.</summary>
    public async Task<bool> RemoveAsync(string clientId, CancellationToken cancellationToken = default)
    {
        await using var scope = _services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        if (await manager.FindByClientIdAsync(clientId, cancellationToken).ConfigureAwait(false) is not { } application)
        {
            return false;
        }

        await manager.DeleteAsync(application, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _services.DisposeAsync();
}

/// <summary>What <see cref="OidcClientRegistry.AddAsync"/> registers.</summary>
public sealed record OidcClientRegistration
{
    /// <summary>The client id; null to generate one.</summary>
    public string? ClientId { get; init; }

    /// <summary>The name the login and consent pages show.</summary>
    public required string DisplayName { get; init; }

    /// <summary>The redirect URIs, matched exactly.</summary>
    public IReadOnlyList<Uri> RedirectUris { get; init; } = [];

    /// <summary>Where the client may ask to be sent after logout, matched exactly.</summary>
    public IReadOnlyList<Uri> PostLogoutRedirectUris { get; init; } = [];

    /// <summary>The client's public keys (JWKS JSON) for private_key_jwt; null: a secret is generated (client_secret_basic).</summary>
    public string? JsonWebKeySet { get; init; }

    /// <summary>Whether the client may ask for <c>jpki:basic4</c>.</summary>
    public bool AllowBasic4 { get; init; }

    /// <summary>The ID token algorithm: RS256 (default) or ES256.</summary>
    public string IdTokenAlgorithm { get; init; } = SecurityAlgorithms.RsaSha256;
}

/// <summary>A registered client, as <c>jpki oidc client list</c> shows it.</summary>
public sealed record OidcClientInfo(
    string ClientId,
    string? DisplayName,
    IReadOnlyList<string> RedirectUris,
    IReadOnlyList<string> PostLogoutRedirectUris,
    string Authentication,
    bool Basic4,
    string IdTokenAlgorithm)
{
    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{ClientId} {DisplayName} ({Authentication}, {IdTokenAlgorithm}{(Basic4 ? ", jpki:basic4" : "")})");
}
