using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Jpki.Oidc;

/// <summary>
/// Refuses an end-session (<c>/oidc/logout</c>) request whose <c>id_token_hint</c> is not a valid ID token of this
/// provider. OpenIddict validates the hint but, by design, <em>ignores</em> one that fails (its
/// <c>RejectIdentityToken</c> is off for this endpoint): the request then goes on as if no hint had been given, and a
/// registered <c>post_logout_redirect_uri</c> of any client is honoured. A hint with an altered payload or signature,
/// or signed by another issuer, is a forgery, not an absent hint, so it is answered <c>invalid_request</c> here. The
/// check that the hint's audience is the client asking (OpenIddict's <c>ValidateAuthorizedParty</c>) still runs after.
/// </summary>
internal sealed class IdTokenHintValidation : IOpenIddictServerHandler<ValidateEndSessionRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateEndSessionRequestContext>()
        .UseSingletonHandler<IdTokenHintValidation>()
        .SetOrder(OpenIddictServerHandlers.Session.ValidateAuthentication.Descriptor.Order + 500)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public ValueTask HandleAsync(ValidateEndSessionRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!string.IsNullOrEmpty(context.Request.IdTokenHint) && context.IdentityTokenHintPrincipal is null)
        {
            context.Reject(
                error: Errors.InvalidRequest,
                description: "The id_token_hint is not a valid ID token of this provider (its signature, issuer or format does not verify); logout refused.");
        }

        return ValueTask.CompletedTask;
    }
}
