using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Jpki.Server.Web;

/// <summary>
/// What every response carries, at the front of the pipeline: Host filtering (<see cref="HostNames"/>), <c>nosniff</c>,
/// no framing, no referrer to other sites, a Content-Security-Policy — for HTML pages <see cref="HtmlPolicy"/> (scripts and
/// styles only from this server's own files: no inline script, no inline event handler, no inline style; connections only to
/// this server and the citizen's local helper), for everything else deny-all — and <c>Connection: close</c> with every 413,
/// so that a client does not send the rest of a refused body as its next request.
/// </summary>
internal static class SecurityHeaders
{
    /// <summary>The policy of every response that is not an HTML page (JSON, DER, PDF, CSV…): nothing in it may run or load.</summary>
    public const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /// <summary>
    /// The policy of the HTML pages. An injected <c>&lt;script&gt;</c>, <c>onclick=</c> or <c>style=</c> does not run;
    /// <paramref name="helpers"/> are the local sign helpers' origins the pages may call (e-application, OpenID Connect login).
    /// Forms post to this server only (<c>form-action 'self'</c>), unless <paramref name="formsMayRedirectAway"/>: the
    /// OpenID Connect pages' forms end in a redirect to the relying party, which browsers check against form-action too.
    /// </summary>
    public static string HtmlPolicy(IEnumerable<Uri> helpers, bool formsMayRedirectAway)
    {
        var connect = string.Join(' ', new[] { "'self'" }.Concat(helpers.Select(h => h.GetLeftPart(UriPartial.Authority)).Distinct(StringComparer.OrdinalIgnoreCase)));
        return "default-src 'none'; script-src 'self'" + (formsMayRedirectAway ? " " + FormPostScriptHash : string.Empty)
            + "; style-src 'self'; img-src 'self' data:; connect-src " + connect
            + "; base-uri 'none'; frame-ancestors 'none'" + (formsMayRedirectAway ? string.Empty : "; form-action 'self'");
    }

    /// <summary>
    /// The one inline script allowed, on the OpenID Connect pages only: OpenIddict's <c>response_mode=form_post</c> answer
    /// (the default of ASP.NET Core's OpenIdConnect handler) is a form to the relying party submitted by
    /// <c>&lt;script&gt;document.form.submit();&lt;/script&gt;</c>; this is the hash of exactly that text, so nothing else inline runs.
    /// </summary>
    public const string FormPostScriptHash = "'sha256-j7OoGArf6XW6YY4cAyS3riSSvrJRqpSi1fOF9vQ5SrI='";

    public static WebApplication UseJpkiFront(this WebApplication app, bool filterHosts)
    {
        var helpers = new List<Uri>();
        if (app.Services.GetService<Jpki.OnlineApplication.OnlineApplicationOptions>() is { } eApplication)
        {
            helpers.Add(eApplication.HelperUrl);
        }

        var oidc = app.Services.GetService<Jpki.Oidc.OidcProviderOptions>();
        if (oidc is not null)
        {
            helpers.Add(oidc.HelperAddress);
        }

        var pagePolicy = HtmlPolicy(helpers, formsMayRedirectAway: false);
        var loginPagePolicy = HtmlPolicy(helpers, formsMayRedirectAway: true);
        var loginPages = oidc is null ? null : oidc.BasePath + "/";

        if (filterHosts)
        {
            app.UseHostFiltering();
        }

        app.Use((http, next) =>
        {
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "same-origin"; // not no-referrer: form posts would carry "Origin: null" and fail the same-origin checks
                if (string.IsNullOrEmpty(headers.ContentSecurityPolicy))
                {
                    headers.ContentSecurityPolicy = http.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) != true
                        ? ApiPolicy
                        : loginPages is not null && http.Request.Path.StartsWithSegments(loginPages.TrimEnd('/'), StringComparison.Ordinal)
                            ? loginPagePolicy
                            : pagePolicy;
                }

                if (http.Response.StatusCode == StatusCodes.Status413PayloadTooLarge)
                {
                    // The unread rest of the body must not be taken for the next request: Kestrel closes after this answer.
                    headers.Connection = "close";
                }

                return Task.CompletedTask;
            });
            return next(http);
        });
        return app;
    }
}
