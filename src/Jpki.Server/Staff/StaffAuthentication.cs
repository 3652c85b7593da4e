using System.Security.Claims;
using Jpki.Municipality.Staff;
using Jpki.Municipality.Storage;
using Jpki.Server.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Jpki.Server.Staff;

/// <summary>
/// Staff sign-in: a cookie (HttpOnly, SameSite=Strict, Secure over HTTPS, 8 h sliding), the two policies
/// <see cref="StaffPolicies.Clerk"/> and <see cref="StaffPolicies.Supervisor"/>, antiforgery, and a check on every
/// request that the account still exists and is enabled. API paths answer 401/403 instead of redirecting.
/// </summary>
internal static class StaffAuthentication
{
    public static IServiceCollection AddStaffAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(StaffClaims.Scheme).AddCookie(StaffClaims.Scheme, options =>
        {
            options.Cookie.Name = "jpki-staff";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.SlidingExpiration = true;
            options.LoginPath = "/staff/login";
            options.LogoutPath = "/staff/logout";
            options.AccessDeniedPath = "/staff/denied";
            options.Events = new CookieAuthenticationEvents
            {
                OnRedirectToLogin = context => ApiOr(context, StatusCodes.Status401Unauthorized),
                OnRedirectToAccessDenied = context => ApiOr(context, StatusCodes.Status403Forbidden),
                OnValidatePrincipal = ValidateAsync,
            };
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(StaffPolicies.Clerk, policy => policy.AddAuthenticationSchemes(StaffClaims.Scheme).RequireAuthenticatedUser().RequireRole(StaffClaims.ClerkRole, StaffClaims.SupervisorRole))
            .AddPolicy(StaffPolicies.Supervisor, policy => policy.AddAuthenticationSchemes(StaffClaims.Scheme).RequireAuthenticatedUser().RequireRole(StaffClaims.SupervisorRole));
        services.AddAntiforgery(options =>
        {
            options.HeaderName = Csrf.HeaderName;
            options.FormFieldName = Html.Csrf_FieldName;
            options.Cookie.Name = Csrf.CookieName;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddSingleton<StaffDirectory>();
        return services;
    }

    /// <summary>Authentication, authorization, and the first-login password change (everything else waits for it).</summary>
    public static WebApplication UseStaffAuthentication(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use(async (http, next) =>
        {
            if (http.User.HasClaim(c => c.Type == StaffClaims.MustChangePassword)
                && !http.Request.Path.StartsWithSegments("/staff")
                && !http.Request.Path.StartsWithSegments("/api/counter/session")
                && !http.Request.Path.StartsWithSegments("/api/counter/csrf"))
            {
                if (http.Request.Path.StartsWithSegments("/api"))
                {
                    await Results.Problem("Change the one-time password first (POST /staff/password).", statusCode: StatusCodes.Status403Forbidden, title: "password-change-required",
                        extensions: new Dictionary<string, object?> { ["code"] = "password-change-required" }).ExecuteAsync(http).ConfigureAwait(false);
                    return;
                }

                http.Response.Redirect("/staff/password");
                return;
            }

            await next(http).ConfigureAwait(false);
        });
        return app;
    }

    private static Task ApiOr(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var id = context.Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        var store = context.HttpContext.RequestServices.GetRequiredService<ICounterStore>();
        var staff = id is null ? null : await store.FindStaffAsync(id, context.HttpContext.RequestAborted).ConfigureAwait(false);
        if (staff is null || staff.Disabled)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(StaffClaims.Scheme).ConfigureAwait(false);
            return;
        }

        // A role change or a password change made elsewhere takes effect at the next request.
        var principal = StaffClaims.Principal(staff);
        if (principal.IsInRole(StaffClaims.SupervisorRole) != context.Principal!.IsInRole(StaffClaims.SupervisorRole)
            || principal.HasClaim(c => c.Type == StaffClaims.MustChangePassword) != context.Principal.HasClaim(c => c.Type == StaffClaims.MustChangePassword))
        {
            context.ReplacePrincipal(principal);
            context.ShouldRenew = true;
        }
    }
}
