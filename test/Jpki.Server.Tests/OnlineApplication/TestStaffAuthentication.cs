using System.Security.Claims;
using System.Text.Encodings.Web;
using Jpki.Server.Staff;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jpki.Server.Tests.OnlineApplication;

/// <summary>
/// TESTS ONLY, until the staff sign-in of the counter's web part is merged: a scheme that signs in whoever sends
/// <c>X-Test-Staff: &lt;name&gt;</c>, and the two staff policies.
/// </summary>
internal sealed class TestStaffAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "test-staff";
    public const string Header = "X-Test-Staff";

    public static void Register(IServiceCollection services)
    {
        services.AddAuthentication(SchemeName).AddScheme<AuthenticationSchemeOptions, TestStaffAuthentication>(SchemeName, null);
        services.AddAuthorization(o =>
        {
            o.AddPolicy(StaffPolicies.Clerk, p => p.RequireAuthenticatedUser().RequireRole("clerk", "supervisor"));
            o.AddPolicy(StaffPolicies.Supervisor, p => p.RequireAuthenticatedUser().RequireRole("supervisor"));
        });
    }

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var name = Request.Headers[Header].ToString();
        if (name.Length == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, name), new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, "clerk")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
