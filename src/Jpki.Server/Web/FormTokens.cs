using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Jpki.Municipality.Storage;
using Jpki.Server.Staff;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace Jpki.Server.Web;

/// <summary>
/// One-time form tokens and post-redirect-get for every state-changing staff page, so that what a clerk does by habit
/// loses no work and repeats nothing:
/// <list type="bullet">
/// <item>each rendered form carries a token (hidden field <see cref="FieldName"/>): a random id, the staff member it was
/// shown to, the form's name and the time, protected by ASP.NET Core data protection;</item>
/// <item>the first request with a token claims it in the counter store (<see cref="ICounterStore.ClaimSubmissionAsync"/>)
/// and runs the action; a success answers 303 See Other to the result page (a reload shows the result, never runs the
/// action again); a refusal re-renders the form with what was typed and the reason;</item>
/// <item>a second request with the same token (double click, F5 on the answer to a POST, Back and submit again, a second
/// server behind the same database) runs nothing: it waits for the first to finish and shows the same result;</item>
/// <item>a token that is missing, damaged, older than <see cref="Lifetime"/>, shown to another staff member, or a stale
/// CSRF token (a colleague logged in on the same terminal, a logout in another tab) gives the same form again, in
/// Japanese, with what was typed and the reason (HTTP 409), and nothing is done.</item>
/// </list>
/// PINs are never put back into a re-rendered form (the callers leave them out), and never stored.
/// </summary>
internal sealed class FormTokens(IDataProtectionProvider protection, IAntiforgery antiforgery, ICounterStore store, TimeProvider clock, IHostApplicationLifetime lifetime)
{
    /// <summary>The hidden form field of the token.</summary>
    public const string FieldName = "__form";

    /// <summary>How long a rendered form can be sent.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    /// <summary>How long a second request waits in this process for the first one with the same token.</summary>
    private static readonly TimeSpan WaitForFirst = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    private readonly IDataProtector _protector = protection.CreateProtector("Jpki.Server.Web.FormTokens.v1");
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _running = new(StringComparer.Ordinal);
    private long _lastPurgeTicks;

    /// <summary>The hidden field with a fresh token for <paramref name="form"/>, shown to the signed-in staff member.</summary>
    public string Field(HttpContext http, string form)
    {
        ArgumentNullException.ThrowIfNull(http);
        var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var staff = Layout.UserId(http.User) ?? string.Empty;
        var ticks = clock.GetUtcNow().UtcTicks.ToString(CultureInfo.InvariantCulture);
        var token = _protector.Protect(string.Join('\n', id, staff, form, ticks));
        return $"<input type=\"hidden\" name=\"{FieldName}\" value=\"{Html.E(token)}\">";
    }

    /// <summary>
    /// Runs <paramref name="action"/> once for the token in <paramref name="values"/> (see the class remarks).
    /// </summary>
    /// <param name="http">The request (a signed-in staff member).</param>
    /// <param name="values">The posted form.</param>
    /// <param name="form">The form's name, as given to <see cref="Field"/>.</param>
    /// <param name="rerender">Renders the form again with <paramref name="values"/> (minus PINs), a message (HTML) and a status.</param>
    /// <param name="action">
    /// The action; gets the submission id (for a result page) and a token that ends only when the server stops — not
    /// when the browser gives up on the request (a double click cancels the first request, whose work must still finish).
    /// </param>
    public async Task<IResult> SubmitAsync(
        HttpContext http,
        IFormCollection values,
        string form,
        Func<string, int, Task<IResult>> rerender,
        Func<string, CancellationToken, Task<FormOutcome>> action)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(rerender);
        ArgumentNullException.ThrowIfNull(action);
        var staff = Layout.UserId(http.User) ?? string.Empty;
        if (!await antiforgery.IsRequestValidAsync(http).ConfigureAwait(false))
        {
            // 400 like every CSRF refusal, but the form again, in Japanese, with what was typed.
            return await rerender(Stale("ログインしている職員が変わったか、別のタブでログアウト・ログインしたため、この画面からは送信できませんでした。"), StatusCodes.Status400BadRequest).ConfigureAwait(false);
        }

        var token = Read(values[FieldName].ToString());
        if (token is null || token.Value.Form != form)
        {
            return await rerender(Stale("この画面の送信情報を確認できませんでした（サーバーの再起動や古い画面の可能性があります）。"), StatusCodes.Status409Conflict).ConfigureAwait(false);
        }

        var (id, shownTo, _, issuedAt) = token.Value;
        if (shownTo != staff)
        {
            return await rerender(Stale($"この画面は別の職員（{shownTo}）のログイン中に表示されたものです。"), StatusCodes.Status409Conflict).ConfigureAwait(false);
        }

        var now = clock.GetUtcNow();
        if (now - issuedAt > Lifetime)
        {
            return await rerender(Stale("画面を表示してから時間が経ちすぎています。"), StatusCodes.Status409Conflict).ConfigureAwait(false);
        }

        await PurgeOccasionallyAsync(now).ConfigureAwait(false);
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_running.TryAdd(id, running))
        {
            // The same token is already being handled in this process (a double click): wait for it, show its result.
            return await RepeatAsync(http, id, rerender).ConfigureAwait(false);
        }

        bool claimed;
        try
        {
            claimed = await store.ClaimSubmissionAsync(new FormSubmission(id, staff, form, now), lifetime.ApplicationStopping).ConfigureAwait(false);
        }
        catch
        {
            Finish(id, running);
            throw;
        }

        if (!claimed)
        {
            // Sent before (a reload, Back and send again) or by another server behind the same database.
            Finish(id, running);
            return await RepeatAsync(http, id, rerender).ConfigureAwait(false);
        }

        try
        {
            var outcome = await action(id, lifetime.ApplicationStopping).ConfigureAwait(false);
            switch (outcome)
            {
                case FormOutcome.Done done:
                    await store.CompleteSubmissionAsync(id, "ok", done.Location, done.Payload, clock.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
                    return SeeOther(done.Location);
                case FormOutcome.Refused refused:
                    await store.CompleteSubmissionAsync(id, refused.Code, null, refused.Message, clock.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
                    return await rerender(Html.Error(refused.Code, refused.Message), StatusCodes.Status422UnprocessableEntity).ConfigureAwait(false);
                default:
                    throw new InvalidOperationException("Unknown form outcome.");
            }
        }
        catch
        {
            // The action failed half-way or was cancelled: the form can be sent again (the domain's workflows are safe to retry).
            await store.ReleaseSubmissionAsync(id, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        finally
        {
            Finish(id, running);
        }
    }

    /// <summary>The submission <paramref name="id"/> of the signed-in staff member, or null (unknown, or another's).</summary>
    public async Task<FormSubmission?> FindAsync(HttpContext http, string id)
    {
        var submission = await store.FindSubmissionAsync(id, http.RequestAborted).ConfigureAwait(false);
        return submission is not null && submission.StaffId == Layout.UserId(http.User) ? submission : null;
    }

    /// <summary>A 303 See Other: the browser follows with GET, and a reload repeats the GET.</summary>
    public static IResult SeeOther(string location) => new SeeOtherResult(location);

    private static string Stale(string reason) =>
        $"<div class=\"error\" role=\"alert\"><strong>送信していません</strong>：{Html.E(reason)}入力内容は残してあります（暗証番号を除く）。確認して、もう一度送信してください。</div>";

    private async Task<IResult> RepeatAsync(HttpContext http, string id, Func<string, int, Task<IResult>> rerender)
    {
        if (_running.TryGetValue(id, out var first))
        {
            // A double click: the first request is still running in this process. Its answer is the one to show.
            await first.Task.WaitAsync(WaitForFirst, http.RequestAborted).ConfigureAwait(false);
        }

        var submission = await store.FindSubmissionAsync(id, http.RequestAborted).ConfigureAwait(false);
        if (submission is null)
        {
            // The first attempt failed and was released: nothing was done, the form can be sent again.
            return await rerender(Stale("同じ画面からの前回の送信は完了しませんでした。"), StatusCodes.Status409Conflict).ConfigureAwait(false);
        }

        if (!submission.Done)
        {
            // Still running on another server (or longer than the wait): the result page refreshes until it is there.
            return SeeOther("/counter/submissions/" + id);
        }

        return submission.Outcome == "ok" && submission.Location is { } location
            ? SeeOther(location)
            : await rerender(Html.Error(submission.Outcome, submission.Payload) + "<p role=\"status\">（同じ送信が2回届きました。1回目の結果を表示しています。）</p>", StatusCodes.Status422UnprocessableEntity).ConfigureAwait(false);
    }

    private void Finish(string id, TaskCompletionSource running)
    {
        _running.TryRemove(new KeyValuePair<string, TaskCompletionSource>(id, running));
        running.TrySetResult();
    }

    private (string Id, string StaffId, string Form, DateTimeOffset IssuedAt)? Read(string token)
    {
        if (token.Length is 0 or > 2048)
        {
            return null;
        }

        try
        {
            var parts = _protector.Unprotect(token).Split('\n');
            return parts.Length == 4 && long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks <= DateTimeOffset.MaxValue.UtcTicks
                ? (parts[0], parts[1], parts[2], new DateTimeOffset(ticks, TimeSpan.Zero))
                : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private async Task PurgeOccasionallyAsync(DateTimeOffset now)
    {
        var last = Interlocked.Read(ref _lastPurgeTicks);
        if (now.UtcTicks - last < TimeSpan.TicksPerHour || Interlocked.CompareExchange(ref _lastPurgeTicks, now.UtcTicks, last) != last)
        {
            return;
        }

        await store.PurgeSubmissionsAsync(now - Retention, CancellationToken.None).ConfigureAwait(false);
    }

    private sealed class SeeOtherResult(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }
}
