using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Jpki.Oidc;

/// <summary>
/// ES256 offered: ID tokens are signed RS256 with the current RSA key, unless the client was registered with
/// <c>--id-token-alg ES256</c> (setting <see cref="OidcDefaults.IdTokenAlgorithmSetting"/>); then with the current P-256 key.
/// Both algorithms are listed in the discovery document's <c>id_token_signing_alg_values_supported</c>.
/// </summary>
internal sealed class IdTokenAlgorithm(IOpenIddictApplicationManager applications, OidcKeyRing keys) : IOpenIddictServerHandler<GenerateTokenContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<GenerateTokenContext>()
        .UseScopedHandler<IdTokenAlgorithm>()
        .SetOrder(OpenIddictServerHandlers.Protection.AttachSecurityCredentials.Descriptor.Order + 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public static OpenIddictServerHandlerDescriptor DiscoveryDescriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<HandleConfigurationRequestContext>()
        .UseSingletonHandler<AdvertiseAlgorithms>()
        .SetOrder(int.MaxValue - 100_000)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public async ValueTask HandleAsync(GenerateTokenContext context)
    {
        if (context.TokenType != TokenTypeIdentifiers.IdentityToken || context.ClientId is not { } clientId)
        {
            return;
        }

        var application = await applications.FindByClientIdAsync(clientId).ConfigureAwait(false);
        if (application is null)
        {
            return;
        }

        var settings = await applications.GetSettingsAsync(application).ConfigureAwait(false);
        if (settings.TryGetValue(OidcDefaults.IdTokenAlgorithmSetting, out var algorithm) && algorithm == SecurityAlgorithms.EcdsaSha256 && keys.EcSigningKeys.FirstOrDefault() is { } ec)
        {
            context.SigningCredentials = new SigningCredentials(ec.Key, SecurityAlgorithms.EcdsaSha256);
        }
    }

    /// <summary>Lists RS256 and ES256 for ID tokens (OpenIddict lists the algorithms of every signing key).</summary>
    internal sealed class AdvertiseAlgorithms : IOpenIddictServerHandler<HandleConfigurationRequestContext>
    {
        public ValueTask HandleAsync(HandleConfigurationRequestContext context)
        {
            context.IdTokenSigningAlgorithms.Clear();
            context.IdTokenSigningAlgorithms.Add(SecurityAlgorithms.RsaSha256);
            context.IdTokenSigningAlgorithms.Add(SecurityAlgorithms.EcdsaSha256);
            return ValueTask.CompletedTask;
        }
    }
}
