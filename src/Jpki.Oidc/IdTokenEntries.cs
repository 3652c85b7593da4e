using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Jpki.Oidc;

/// <summary>
/// ID tokens get no row in <c>oidc.db</c>. OpenIddict stores an entry for every token it issues; for an ID token that
/// entry is one more SQLite commit (an fsync) per <c>/oidc/token</c> request and is never read back: an ID token is
/// never presented to this provider as a credential (userinfo takes the access token), the only place it comes back is
/// <c>id_token_hint</c> at logout, where OpenIddict checks its signature, issuer and audience and skips the entry check
/// when the token names no entry. What the entries are for — single-use codes and revoking the tokens of a replayed
/// code — still works: the code and the access token keep their rows.
/// </summary>
internal sealed class IdTokenEntries : IOpenIddictServerHandler<GenerateTokenContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<GenerateTokenContext>()
        .UseSingletonHandler<IdTokenEntries>()
        .SetOrder(OpenIddictServerHandlers.Protection.CreateTokenEntry.Descriptor.Order - 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public ValueTask HandleAsync(GenerateTokenContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.TokenType == TokenTypeIdentifiers.IdentityToken)
        {
            context.CreateTokenEntry = false;
        }

        return ValueTask.CompletedTask;
    }
}
