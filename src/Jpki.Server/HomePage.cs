using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Jpki.Server;

/// <summary><c>/</c>: a page that says what this server offers.</summary>
internal static class HomePage
{
    public static IEndpointRouteBuilder MapHome(this IEndpointRouteBuilder endpoints, bool authority)
    {
        endpoints.MapGet("/", (JpkiServerOptions options) =>
        {
            var html = new StringBuilder();
            html.Append("""
                <!DOCTYPE html>
                <html lang="ja"><head><meta charset="utf-8"><title>OpenJpki</title>
                <link rel="stylesheet" href="/assets/home.css">
                </head><body>
                <h1>OpenJpki 公的個人認証サービス</h1>
                <p>An open implementation of Japan's Public Personal Authentication Service.</p>
                <h2>What this server offers</h2>
                <ul>
                <li><a href="/healthz"><code>/healthz</code></a> — health of the server and its data folder.</li>
                """);
            if (authority)
            {
                html.Append("""
                    <li><a href="/ca/sign.cer"><code>/ca/sign.cer</code></a>, <a href="/ca/auth.cer"><code>/ca/auth.cer</code></a> — the signature and authentication CA certificates.</li>
                    <li><code>/crl/sign.crl</code> (registered verifiers: <code>X-Jpki-Verifier-Key</code>), <a href="/crl/auth.crl"><code>/crl/auth.crl</code></a> — full CRLs; <code>/crl/{sign,auth}/{yyyymm}.crl</code> — the partition named in each certificate's CRL distribution point; <code>…-delta.crl</code> — their delta CRLs.</li>
                    <li><code>/ocsp</code> — OCSP responder (RFC 6960, POST or RFC 5019 GET with HTTP caching headers); signature-certificate status for registered verifiers.</li>
                    <li><code>/tsa</code> — time-stamping authority (RFC 3161, POST <code>application/timestamp-query</code>); its root <a href="/tsa/tsa-root.cer"><code>/tsa/tsa-root.cer</code></a>.</li>
                    <li><a href="/counter"><code>/counter</code></a> — 電子証明書 窓口 (staff sign-in at <a href="/staff/login"><code>/staff/login</code></a>); JSON API <code>/api/counter</code>, described in <a href="/openapi/v1.json"><code>/openapi/v1.json</code></a>.</li>
                    <li><a href="/e-application/"><code>/e-application/</code></a> — 電子申請: 住民票の写し・印鑑登録証明書 signed with the card (staff queue at <code>/e-application/staff/</code>).</li>
                    """);
            }

            html.Append("</ul>");
            html.Append("<p>Data folder: <code>").Append(WebUtility.HtmlEncode(options.DataDirectory)).Append("</code></p>");
            html.Append("<p>The command line tool <code>jpki --help</code> lists everything else.</p></body></html>");
            return Results.Content(html.ToString(), "text/html; charset=utf-8");
        });
        return endpoints;
    }
}
