using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Jpki.Municipality.Staff;
using Jpki.Municipality.Storage;
using Jpki.Server.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Jpki.Server.Staff;

/// <summary>
/// Staff sign-in: a cookie (HttpOnly, SameSite=Strict, Secure over HTTPS) that lasts
/// at most <see cref="SessionLifetime"/> from the password login however active it is, the two policies
/// <see cref="StaffPolicies.Clerk"/> and <see cref="StaffPolicies.Supervisor"/>, antiforgery, and a check on every
/// request that the account still exists, is enabled and has not ended its sessions (logout, password change or reset,
/// disabling). The cookie is protected by keys kept in the counter store (<see cref="CounterStoreKeyRepository"/>), so a
/// cookie is valid only for the deployment that issued it. Password checks (logins, password changes) are limited in
/// concurrency (<see cref="LoginRateLimit"/>) so that password hashing never takes every core from OCSP and the rest. API
/// paths answer 401/403 instead of redirecting.
/// </summary>
internal static class StaffAuthentication
{
    /// <summary>The rate-limiting policy of the endpoints that check a staff password.</summary>
    public const string LoginRateLimit = "staff-login";

    /// <summary>Password checks that may wait for a free one before more get 429 (a whole office signing in at 8:30 fits).</summary>
    public const int LoginQueueLimit = 64;

    /// <summary>The longest a staff session lasts from its password login (one working day).</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(8);

    public static IServiceCollection AddStaffAuthentication(this IServiceCollection services, JpkiServerOptions options)
    {
        services.AddAuthentication(StaffClaims.Scheme).AddCookie(StaffClaims.Scheme, cookie =>
        {
            cookie.Cookie.Name = "jpki-staff";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = SessionLifetime;
            cookie.SlidingExpiration = false;
            cookie.LoginPath = "/staff/login";
            cookie.LogoutPath = "/staff/logout";
            cookie.AccessDeniedPath = "/staff/denied";
            cookie.Events = new CookieAuthenticationEvents
            {
                OnRedirectToLogin = context => ApiOr(context, StatusCodes.Status401Unauthorized),
                OnRedirectToAccessDenied = context => ApiOr(context, StatusCodes.Status403Forbidden),
                OnValidatePrincipal = ValidateAsync,
            };
        });
        services.AddOptions<CookieAuthenticationOptions>(StaffClaims.Scheme).Configure<TimeProvider>((cookie, clock) => cookie.TimeProvider = clock);
        services.AddAuthorizationBuilder()
            .AddPolicy(StaffPolicies.Clerk, policy => policy.AddAuthenticationSchemes(StaffClaims.Scheme).RequireAuthenticatedUser().RequireRole(StaffClaims.ClerkRole, StaffClaims.SupervisorRole))
            .AddPolicy(StaffPolicies.Supervisor, policy => policy.AddAuthenticationSchemes(StaffClaims.Scheme).RequireAuthenticatedUser().RequireRole(StaffClaims.SupervisorRole));
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.HeaderName = Csrf.HeaderName;
            antiforgery.FormFieldName = Html.Csrf_FieldName;
            antiforgery.Cookie.Name = Csrf.CookieName;
            antiforgery.Cookie.HttpOnly = true;
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });

        // Cookie and antiforgery keys per deployment: in the counter store (the data folder's counter.db, or the PostgreSQL
        // database several servers share), never in the user's ~/.aspnet where two data folders would share them.
        services.AddDataProtection().SetApplicationName("OpenJpki");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(keys => keys.XmlRepository = new CounterStoreKeyRepository(sp.GetRequiredService<ICounterStore>())));

        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, _) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "10";
                return ValueTask.CompletedTask;
            };
            var concurrency = options.StaffLoginConcurrency ?? Math.Max(1, Environment.ProcessorCount / 2);
            // Password hashing (PBKDF2, 100,000 iterations) takes a core per check: at most `concurrency` at once, a bounded
            // queue after them, 429 beyond it, so a flood of logins never takes the cores OCSP and the desk need.
            limiter.AddPolicy(LoginRateLimit, _ => RateLimitPartition.GetConcurrencyLimiter(
                "all-password-checks",
                _ => new ConcurrencyLimiterOptions { PermitLimit = concurrency, QueueLimit = LoginQueueLimit, QueueProcessingOrder = QueueProcessingOrder.OldestFirst }));
        });
        services.TryAddSingleton<IPasswordHasher<StaffRecord>, PasswordHasher<StaffRecord>>();
        services.AddSingleton<StaffDirectory>();
        return services;
    }

    /// <summary>Authentication, authorization, rate limits, and the password change a given-out password requires (nothing else waits for it).</summary>
    public static WebApplication UseStaffAuthentication(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.Use(async (http, next) =>
        {
            if (http.User.HasClaim(c => c.Type == StaffClaims.MustChangePassword) && !AllowedBeforePasswordChange(http.Request.Path))
            {
                if (http.Request.Path.StartsWithSegments("/api"))
                {
                    await Results.Problem("Change the one-time password first (POST /staff/password).", statusCode: StatusCodes.Status403Forbidden, title: "Password change required",
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

    /// <summary>The client a login is counted and limited under: the peer address.</summary>
    public static string ClientOf(HttpContext http) => http.Connection.RemoteIpAddress is { } address
        ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString()
        : "unknown";

    /// <summary>A given-out password's session may change it, sign out, and read who it is — nothing else.</summary>
    private static bool AllowedBeforePasswordChange(PathString path) =>
        path.Equals("/staff/password", StringComparison.Ordinal)
        || path.Equals("/staff/logout", StringComparison.Ordinal)
        || path.Equals("/staff/login", StringComparison.Ordinal)
        || path.Equals("/staff/denied", StringComparison.Ordinal)
        || path.Equals("/api/counter/session", StringComparison.Ordinal)
        || path.Equals("/api/counter/csrf", StringComparison.Ordinal)
        || path.Equals("/api/counter/me", StringComparison.Ordinal);

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
        var clock = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>();
        var staff = id is null ? null : await store.FindStaffAsync(id, context.HttpContext.RequestAborted).ConfigureAwait(false);
        var stamp = context.Principal?.FindFirstValue(StaffClaims.SessionStamp);
        var signedIn = long.TryParse(context.Principal?.FindFirstValue(StaffClaims.SignedInAt), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : (DateTimeOffset?)null;
        if (staff is null || staff.Disabled
            || stamp is null || !string.Equals(stamp, staff.SessionStamp, StringComparison.Ordinal)
            || signedIn is not { } at || clock.GetUtcNow() - at >= SessionLifetime)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(StaffClaims.Scheme).ConfigureAwait(false);
            return;
        }

        // A role change made elsewhere takes effect at the next request; the session keeps its sign-in time.
        var principal = StaffClaims.Principal(staff, at);
        if (principal.IsInRole(StaffClaims.SupervisorRole) != context.Principal!.IsInRole(StaffClaims.SupervisorRole)
            || principal.HasClaim(c => c.Type == StaffClaims.MustChangePassword) != context.Principal.HasClaim(c => c.Type == StaffClaims.MustChangePassword))
        {
            context.ReplacePrincipal(principal);
            context.ShouldRenew = true;
        }
    }
}
