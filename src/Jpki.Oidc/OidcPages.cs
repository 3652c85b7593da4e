using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using OpenIddict.Abstractions;

namespace Jpki.Oidc;

/// <summary>The provider's pages in Japanese: card login and consent. The PIN and the password are never asked here.</summary>
internal static class OidcPages
{
    public static IResult Login(OidcProviderOptions options, OpenIddictRequest request, string clientName)
    {
        var body = new StringBuilder()
            .Append("<h1>マイナンバーカードでログイン</h1>")
            .Append("<p id=\"client\"><strong>").Append(E(clientName)).Append("</strong> にログインします。</p>")
            .Append("<ol><li>ICカードリーダーにマイナンバーカードを置き、ローカルヘルパー <code>jpki sign-helper</code> を起動してください。</li>")
            .Append("<li>「カードでログイン」を押すと、ヘルパーの画面に接続先 <code>").Append(E(options.LoginOrigin))
            .Append("</code> が表示され、利用者証明用電子証明書の暗証番号（数字4桁）を尋ねられます。暗証番号はこのページには入力しません。</li></ol>")
            .Append("<p><button type=\"button\" id=\"card-login\" data-nonce=\"").Append(E(options.BasePath)).Append("/login/nonce\" data-token=\"")
            .Append(E(options.BasePath)).Append("/login/card\" data-certificate=\"auth\">カードでログイン</button></p>")
            .Append("<p id=\"status\" role=\"status\"></p>");
        // This page is the fresh login prompt=login asks for: the request continues without it (else it would ask again).
        AppendContinueForm(body, options, request, withoutPromptLogin: true);
        return Page("マイナンバーカードでログイン", body.ToString(), options);
    }

    public static IResult Consent(OidcProviderOptions options, OpenIddictRequest request, string clientName)
    {
        var body = new StringBuilder()
            .Append("<h1>情報の提供への同意</h1>")
            .Append("<p id=\"client\"><strong>").Append(E(clientName)).Append("</strong>（").Append(E(request.ClientId ?? ""))
            .Append("）が、あなたの次の情報の提供を求めています。</p><ul id=\"items\">");
        foreach (var item in Basic4Claims.JapaneseItems)
        {
            body.Append("<li>").Append(item).Append("</li>");
        }

        body.Append("</ul><p>これらの情報は署名用電子証明書から読み取ります。同意すると、ローカルヘルパーが署名用電子証明書のパスワード（英数字6〜16文字）を尋ねます。パスワードはこのページには入力しません。</p>")
            .Append("<p><button type=\"button\" id=\"consent-agree\" data-nonce=\"").Append(E(options.BasePath)).Append("/consent/nonce\" data-token=\"")
            .Append(E(options.BasePath)).Append("/consent/card?client_id=").Append(E(Uri.EscapeDataString(request.ClientId ?? "")))
            .Append("\" data-certificate=\"sign\">同意して提供する</button> ")
            .Append("<button type=\"submit\" form=\"continue\" name=\"jpki_consent\" value=\"refused\" id=\"consent-refuse\">同意しない</button></p>")
            .Append("<p id=\"status\" role=\"status\"></p>");
        AppendContinueForm(body, options, request, withoutPromptLogin: false);
        return Page("情報の提供への同意", body.ToString(), options);
    }

    /// <summary>
    /// The consent page of <c>prompt=consent</c> when only <c>openid</c> is asked: the client gets nothing but its own
    /// pseudonymous identifier, so agreeing needs no card step.
    /// </summary>
    public static IResult ConsentToSubject(OidcProviderOptions options, OpenIddictRequest request, string clientName)
    {
        var body = new StringBuilder()
            .Append("<h1>ログインの確認</h1>")
            .Append("<p id=\"client\"><strong>").Append(E(clientName)).Append("</strong>（").Append(E(request.ClientId ?? ""))
            .Append("）にログインします。提供するのは次の情報だけです。</p><ul id=\"items\">")
            .Append("<li>このサービス専用の識別子（仮名。他のサービスの識別子とは結び付きません）</li></ul>")
            .Append("<p><button type=\"submit\" form=\"continue\" name=\"jpki_consent\" value=\"granted\" id=\"consent-agree\">同意してログインする</button> ")
            .Append("<button type=\"submit\" form=\"continue\" name=\"jpki_consent\" value=\"refused\" id=\"consent-refuse\">同意しない</button></p>");
        AppendContinueForm(body, options, request, withoutPromptLogin: false);
        return Page("ログインの確認", body.ToString(), options);
    }

    /// <summary>The authorization request again, as hidden fields: posted back once the card step is done (or consent answered).</summary>
    private static void AppendContinueForm(StringBuilder body, OidcProviderOptions options, OpenIddictRequest request, bool withoutPromptLogin)
    {
        body.Append("<form id=\"continue\" method=\"post\" action=\"").Append(E(options.BasePath)).Append("/authorize\">");
        foreach (var (name, value) in request.GetParameters())
        {
            if (name == "jpki_consent")
            {
                continue;
            }

            foreach (var one in (Microsoft.Extensions.Primitives.StringValues)value)
            {
                var text = one ?? "";
                if (withoutPromptLogin && name == OpenIddictConstants.Parameters.Prompt)
                {
                    text = string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(p => p != OpenIddictConstants.PromptValues.Login));
                    if (text.Length == 0)
                    {
                        continue;
                    }
                }

                body.Append("<input type=\"hidden\" name=\"").Append(E(name)).Append("\" value=\"").Append(E(text)).Append("\">");
            }
        }

        body.Append("</form>");
    }

    private static IResult Page(string title, string body, OidcProviderOptions options)
    {
        var html = $$"""
            <!DOCTYPE html>
            <html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
            <title>{{E(title)}}</title>
            <link rel="stylesheet" href="{{E(options.BasePath)}}/page.css">
            </head><body data-helper="{{E(options.HelperAddress.ToString())}}">
            {{body}}
            <script src="{{OidcDefaults.ScriptPath}}"></script>
            <script src="{{E(options.BasePath)}}/page.js"></script>
            </body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8");
    }

    /// <summary>The pages' style sheet, served at <c>{BasePath}/page.css</c> (their Content-Security-Policy allows no inline style).</summary>
    internal const string Style = "body{font-family:sans-serif;max-width:40rem;margin:2rem auto;line-height:1.7;padding:0 1rem}button{font-size:1.1rem;padding:.5rem 1.2rem}#status{color:#a00}code{background:#eee;padding:0 .2em}\n";

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
