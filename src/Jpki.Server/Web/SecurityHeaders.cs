using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Jpki.Server.Web;

/// <summary>
/// What every response carries, at the front of the pipeline: Host filtering (<see cref="HostNames"/>), <c>nosniff</c>,
/// no framing, no referrer to other sites, a deny-all Content-Security-Policy for every response that is not an HTML page, and
/// <c>Connection: close</c> with every 413, so that a client does not send the rest of a refused body as its next request.
/// </summary>
internal static class SecurityHeaders
{
    /// <summary>The policy of every response that is not an HTML page (JSON, DER, PDF, CSV…): nothing in it may run or load.</summary>
    public const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    public static WebApplication UseJpkiFront(this WebApplication app, bool filterHosts)
    {
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
                if (string.IsNullOrEmpty(headers.ContentSecurityPolicy)
                    && http.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) != true)
                {
                    headers.ContentSecurityPolicy = ApiPolicy;
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
