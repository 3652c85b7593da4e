using System.Text;
using Jpki.Municipality.Staff;
using Jpki.Municipality.Storage;
using Jpki.Server.Errors;
using Jpki.Server.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Jpki.Server.Staff;

/// <summary>
/// Staff pages in Japanese: <c>/staff/login</c>, <c>/staff/logout</c>, <c>/staff/password</c>, <c>/staff/accounts</c>
/// (supervisors add and disable accounts), and the JSON session API <c>/api/counter/session</c>, <c>/api/counter/csrf</c>.
/// </summary>
internal static class StaffPages
{
    public static IEndpointRouteBuilder MapStaffPages(this IEndpointRouteBuilder endpoints, JpkiServerOptions options)
    {
        endpoints.MapGet("/staff/login", (HttpContext http, string? returnUrl) => LoginPage(http, LocalReturnUrl.Sanitize(returnUrl), null)).ExcludeFromDescription();
        endpoints.MapPost("/staff/login", async (HttpContext http, StaffDirectory staff, TimeProvider clock) =>
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
            var result = await staff.LoginAsync(form["id"].ToString(), form["password"].ToString(), StaffAuthentication.ClientOf(http), http.RequestAborted).ConfigureAwait(false);
            var returnUrl = LocalReturnUrl.Sanitize(form["returnUrl"].ToString());
            if (!result.Succeeded)
            {
                return LoginPage(http, returnUrl, result.Code);
            }

            await http.SignInAsync(StaffClaims.Scheme, StaffClaims.Principal(result.Staff!, clock.GetUtcNow())).ConfigureAwait(false);
            return Results.Redirect(result.Staff!.MustChangePassword ? "/staff/password" : returnUrl ?? "/counter");
        }).RequireCsrf().RequireRateLimiting(StaffAuthentication.LoginRateLimit).ExcludeFromDescription();

        endpoints.MapPost("/staff/logout", async (HttpContext http, StaffDirectory staff) =>
        {
            // Every session of the account ends, here and on other terminals: a copied cookie opens nothing afterwards.
            if (Layout.UserId(http.User) is { } id)
            {
                await staff.EndSessionsAsync(id, http.RequestAborted).ConfigureAwait(false);
            }

            await http.SignOutAsync(StaffClaims.Scheme).ConfigureAwait(false);
            return Results.Redirect("/staff/login");
        }).RequireCsrf().ExcludeFromDescription();

        endpoints.MapGet("/staff/denied", (HttpContext http) =>
            Layout.Page(http, "権限がありません", "<p>この操作には監督者の権限が必要です。</p><p><a href=\"/counter\">住民検索へ戻る</a></p>", StatusCodes.Status403Forbidden)).ExcludeFromDescription();

        endpoints.MapGet("/staff/password", (HttpContext http) => PasswordPage(http, null)).RequireAuthorization(StaffPolicies.Clerk).ExcludeFromDescription();
        endpoints.MapPost("/staff/password", async (HttpContext http, StaffDirectory staff, TimeProvider clock) =>
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
            var id = Layout.UserId(http.User)!;
            var next = form["new"].ToString();
            if (!string.Equals(next, form["confirm"].ToString(), StringComparison.Ordinal))
            {
                return PasswordPage(http, "mismatch");
            }

            var (code, changed) = await staff.ChangePasswordAsync(id, form["current"].ToString(), next, StaffAuthentication.ClientOf(http), options.DataDirectory, http.RequestAborted).ConfigureAwait(false);
            if (code == StaffLoginResult.Locked)
            {
                // Too many wrong current passwords from this terminal: the session ends with the lock.
                await http.SignOutAsync(StaffClaims.Scheme).ConfigureAwait(false);
                return LoginPage(http, null, code);
            }

            if (code is not null)
            {
                return PasswordPage(http, code);
            }

            // Every other session of the account has ended with the change; this one starts afresh.
            await http.SignInAsync(StaffClaims.Scheme, StaffClaims.Principal(changed!, clock.GetUtcNow())).ConfigureAwait(false);
            return Results.Redirect("/counter");
        }).RequireAuthorization(StaffPolicies.Clerk).RequireCsrf().RequireRateLimiting(StaffAuthentication.LoginRateLimit).ExcludeFromDescription();

        endpoints.MapGet("/staff/accounts", async (HttpContext http, ICounterStore store) =>
            await AccountsPage(http, store, null, null).ConfigureAwait(false)).RequireAuthorization(StaffPolicies.Supervisor).ExcludeFromDescription();
        endpoints.MapPost("/staff/accounts", async (HttpContext http, StaffDirectory staff, ICounterStore store) =>
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
            var role = form["role"].ToString() == StaffClaims.SupervisorRole ? StaffRole.Supervisor : StaffRole.Clerk;
            var id = form["id"].ToString();
            var code = await staff.AddAsync(id, form["name"].ToString(), role, form["password"].ToString(), mustChange: true, http.RequestAborted).ConfigureAwait(false);
            return await AccountsPage(http, store, code, code is null ? $"職員 {id} を登録しました。初回ログイン時にパスワードの変更が求められます。" : null).ConfigureAwait(false);
        }).RequireAuthorization(StaffPolicies.Supervisor).RequireCsrf().ExcludeFromDescription();
        foreach (var action in new[] { "disable", "enable" })
        {
            endpoints.MapPost("/staff/accounts/{id}/" + action, async (string id, HttpContext http, StaffDirectory staff, ICounterStore store) =>
            {
                if (id == Layout.UserId(http.User))
                {
                    return await AccountsPage(http, store, "self", null).ConfigureAwait(false);
                }

                var found = await staff.SetDisabledAsync(id, action == "disable", http.RequestAborted).ConfigureAwait(false);
                return await AccountsPage(http, store, found ? null : "unknown-id", found ? $"職員 {id} を{(action == "disable" ? "無効" : "有効")}にしました。" : null).ConfigureAwait(false);
            }).RequireAuthorization(StaffPolicies.Supervisor).RequireCsrf().ExcludeFromDescription();
        }

        var api = endpoints.MapGroup("/api/counter").WithTags("session").CheckArguments();
        api.MapGet("/csrf", (HttpContext http) => Results.Ok(new CsrfToken(Csrf.HeaderName, Csrf.Token(http))))
            .WithSummary("A CSRF token for the X-CSRF-TOKEN header (fetch again after logging in: the token is bound to the user).");
        api.MapPost("/session", async (LoginRequest body, HttpContext http, StaffDirectory staff, TimeProvider clock) =>
        {
            var result = await staff.LoginAsync(body.Id ?? string.Empty, body.Password ?? string.Empty, StaffAuthentication.ClientOf(http), http.RequestAborted).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                return Results.Problem(LoginMessage(result.Code!), statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in refused",
                    extensions: new Dictionary<string, object?> { ["code"] = result.Code });
            }

            await http.SignInAsync(StaffClaims.Scheme, StaffClaims.Principal(result.Staff!, clock.GetUtcNow())).ConfigureAwait(false);
            return Results.Ok(Me(result.Staff!));
        }).RequireCsrf().RequireRateLimiting(StaffAuthentication.LoginRateLimit)
            .WithSummary("Log in (sets the staff cookie, valid for at most 8 hours). Needs the CSRF header. 429 when too many logins are being checked.");
        api.MapDelete("/session", async (HttpContext http, StaffDirectory staff) =>
        {
            if (Layout.UserId(http.User) is { } id)
            {
                await staff.EndSessionsAsync(id, http.RequestAborted).ConfigureAwait(false);
            }

            await http.SignOutAsync(StaffClaims.Scheme).ConfigureAwait(false);
            return Results.NoContent();
        }).RequireCsrf().WithSummary("Log out: ends every session of the account.");
        api.MapGet("/me", async (HttpContext http, ICounterStore store) =>
            await store.FindStaffAsync(Layout.UserId(http.User)!, http.RequestAborted).ConfigureAwait(false) is { } s ? Results.Ok(Me(s)) : Results.Unauthorized())
            .RequireAuthorization(StaffPolicies.Clerk).WithSummary("The signed-in staff member.");
        return endpoints;
    }

    internal static string LoginMessage(string code) => code switch
    {
        StaffLoginResult.Locked => $"この端末からのログインの失敗が続いたため、このログインIDは{(int)StaffDirectory.LockoutDuration.TotalMinutes}分間この端末からはログインできません。",
        StaffLoginResult.Disabled => "このアカウントは無効です。監督者に連絡してください。",
        StaffLoginResult.OneTimeUsed => "この初期パスワードはすでに一度使われました。監督者にパスワードの再設定を依頼してください。",
        _ => "ログインIDまたはパスワードが違います。",
    };

    private static StaffInfo Me(StaffRecord s) => new(s.Id, s.DisplayName, s.Role == StaffRole.Supervisor ? StaffClaims.SupervisorRole : StaffClaims.ClerkRole, s.MustChangePassword);

    private static IResult LoginPage(HttpContext http, string? returnUrl, string? code)
    {
        var body = new StringBuilder();
        body.Append(code is null ? string.Empty : Html.Error(null, LoginMessage(code)))
            .Append("<form method=\"post\" action=\"/staff/login\">").Append(Html.Csrf(Csrf.Token(http)))
            .Append("<input type=\"hidden\" name=\"returnUrl\" value=\"").Append(Html.E(returnUrl ?? string.Empty)).Append("\">")
            .Append(Html.Field("id", "ログインID", required: true, extra: "autocomplete=\"username\""))
            .Append(Html.Field("password", "パスワード", "password", required: true, extra: "autocomplete=\"current-password\""))
            .Append("<p><button type=\"submit\">ログイン</button></p></form>")
            .Append("<p>初回起動時の管理者 <code>admin</code> のパスワードはデータフォルダのファイル <code>initial-admin-password</code> にあります。</p>");
        return Layout.Page(http, "職員ログイン", body.ToString(), code is null ? StatusCodes.Status200OK : StatusCodes.Status401Unauthorized);
    }

    private static IResult PasswordPage(HttpContext http, string? code)
    {
        var message = code switch
        {
            null => null,
            "mismatch" => "新しいパスワードと確認用が一致しません。",
            "weak-password" => $"推測されやすいパスワードです。{StaffDirectory.MinPasswordLength}文字以上で、ログインIDや氏名、「password」「1234」「qwerty」のような語や並びを除いても6文字以上残るものにしてください。",
            "same-password" => "現在と異なるパスワードにしてください。",
            _ => "現在のパスワードが違います。",
        };
        var body = new StringBuilder();
        if (http.User.HasClaim(c => c.Type == StaffClaims.MustChangePassword))
        {
            body.Append("<p class=\"warn\">初回ログインです。業務の前に新しいパスワードを設定してください。</p>");
        }

        body.Append(Html.Error(code, message))
            .Append("<form method=\"post\" action=\"/staff/password\">").Append(Html.Csrf(Csrf.Token(http)))
            .Append(Html.Field("current", "現在のパスワード", "password", required: true, extra: "autocomplete=\"current-password\""))
            .Append(Html.Field("new", "新しいパスワード（10文字以上）", "password", required: true, extra: "autocomplete=\"new-password\""))
            .Append(Html.Field("confirm", "新しいパスワード（確認）", "password", required: true, extra: "autocomplete=\"new-password\""))
            .Append("<p><button type=\"submit\">変更する</button></p></form>");
        return Layout.Page(http, "パスワード変更", body.ToString(), code is null ? StatusCodes.Status200OK : StatusCodes.Status422UnprocessableEntity);
    }

    private static async Task<IResult> AccountsPage(HttpContext http, ICounterStore store, string? code, string? done)
    {
        var message = code switch
        {
            null => null,
            "bad-id" => "ログインIDは英小文字で始まる英小文字・数字・「.」「_」「-」の32文字以内です。",
            "bad-name" => "氏名を入力してください（64文字以内）。",
            "weak-password" => $"推測されやすい初期パスワードです。{StaffDirectory.MinPasswordLength}文字以上で、ログインIDや氏名、よくある語や並びを除いても6文字以上残るものにしてください。",
            "existing-id" => "そのログインIDはすでに使われています。",
            "self" => "自分自身のアカウントは無効にできません。",
            _ => "そのログインIDの職員はいません。",
        };
        var token = Csrf.Token(http);
        var staff = await store.ListStaffAsync(http.RequestAborted).ConfigureAwait(false);
        var body = new StringBuilder();
        body.Append(Html.Error(code, message));
        if (done is not null)
        {
            body.Append("<div class=\"ok\" role=\"status\">").Append(Html.E(done)).Append("</div>");
        }

        body.Append(Html.Table(
            ["ログインID", "氏名", "権限", "状態", "操作"],
            staff.Select(s => (IEnumerable<string>)
            [
                Html.E(s.Id), Html.E(s.DisplayName), Html.E(StaffClaims.RoleName(s.Role)),
                s.Disabled ? "無効" : s.MustChangePassword ? "有効（パスワード未変更）" : "有効",
                $"<form method=\"post\" action=\"/staff/accounts/{Html.E(s.Id)}/{(s.Disabled ? "enable" : "disable")}\">{Html.Csrf(token)}<button type=\"submit\">{(s.Disabled ? "有効にする" : "無効にする")}</button></form>",
            ]),
            "職員一覧"));
        body.Append("<h2>職員の登録</h2><form method=\"post\" action=\"/staff/accounts\">").Append(Html.Csrf(token))
            .Append(Html.Field("id", "ログインID", required: true))
            .Append(Html.Field("name", "氏名", required: true))
            .Append("<p><label for=\"role\">権限</label><br><select id=\"role\" name=\"role\"><option value=\"clerk\">窓口職員</option><option value=\"supervisor\">監督者</option></select></p>")
            .Append(Html.Field("password", "初期パスワード（10文字以上・本人に伝える）", "password", required: true, extra: "autocomplete=\"new-password\""))
            .Append("<p><button type=\"submit\">登録する</button></p></form>");
        return Layout.Page(http, "職員管理", body.ToString(), code is null ? StatusCodes.Status200OK : StatusCodes.Status422UnprocessableEntity);
    }

    internal sealed record LoginRequest(string? Id, string? Password)
    {
        /// <summary>Never the password: a record's generated ToString would print it into any log or exception it reaches.</summary>
        public override string ToString() => $"{nameof(LoginRequest)} {{ Id = {Id}, Password = [secret] }}";
    }

    internal sealed record StaffInfo(string Id, string DisplayName, string Role, bool MustChangePassword);

    internal sealed record CsrfToken(string HeaderName, string Token);
}
