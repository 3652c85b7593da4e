using System.Net;
using System.Security.Claims;
using System.Text;

namespace Jpki.Samples.RelyingParty;

/// <summary>The sample's three pages.</summary>
internal static class Pages
{
    public const string Home = """
        <!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>サンプル市 オンラインサービス</title></head><body>
        <h1>サンプル市 オンラインサービス</h1>
        <ul>
        <li><a id="oidc-login" href="/account">マイナンバーカードでログイン（OpenID Connect）</a></li>
        <li><a id="card-page" href="/card">マイナンバーカードでログイン（カードを直接使う）</a></li>
        </ul></body></html>
        """;

    public static string Account(ClaimsPrincipal user)
    {
        var html = new StringBuilder("<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>アカウント</title></head><body><h1>ログインしました</h1><dl id=\"claims\">");
        foreach (var claim in user.Claims)
        {
            html.Append("<dt>").Append(WebUtility.HtmlEncode(claim.Type)).Append("</dt><dd data-claim=\"").Append(WebUtility.HtmlEncode(claim.Type)).Append("\">")
                .Append(WebUtility.HtmlEncode(claim.Value)).Append("</dd>");
        }

        return html.Append("</dl><p><a href=\"/logout\">ログアウト</a></p></body></html>").ToString();
    }

    public static string Card(string script, string helper) => $$"""
        <!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>カードでログイン</title></head><body>
        <h1>マイナンバーカードでログイン</h1>
        <p>ローカルヘルパー（jpki sign-helper）を起動し、「ログイン」を押してください。暗証番号はヘルパーの画面で入力します。</p>
        <button id="login">ログイン</button><p id="status"></p>
        <script src="{{WebUtility.HtmlEncode(script)}}"></script>
        <script>
        document.getElementById('login').onclick = async () => {
          const status = document.getElementById('status');
          try {
            const result = await JpkiLogin.run({ nonceUrl: '/card/nonce', tokenUrl: '/card/login', helper: '{{WebUtility.HtmlEncode(helper)}}' });
            status.id = 'logged-in';
            status.textContent = 'ログインしました: ' + result.account;
          } catch (e) {
            status.textContent = e.message + ' (' + e.code + ')';
          }
        };
        </script></body></html>
        """;
}
