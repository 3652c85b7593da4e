using System.Globalization;
using Jpki.Core.Rules;
using Jpki.Core.Time;
using Jpki.Municipality.Applications;
using Jpki.Municipality.Proxy;
using Jpki.Municipality.Residents;
using Jpki.Server.Errors;
using Jpki.Server.Staff;
using Jpki.Server.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Jpki.Server.Counter;

/// <summary>
/// The JSON API for counter terminals under <c>/api/counter</c> (described in <c>/openapi/v1.json</c>). Every call needs
/// a signed-in staff member; state-changing calls need the <c>X-CSRF-TOKEN</c> header. A refusal is HTTP 422 with
/// <c>{code, message, detail}</c> (message in Japanese for the clerk); a missing role is 403.
/// </summary>
internal static class CounterApi
{
    public static IEndpointRouteBuilder MapCounterApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/counter").RequireAuthorization(StaffPolicies.Clerk).WithTags("counter").CheckArguments();

        api.MapPost("/residents/search", async (CounterJson.SearchBody body, HttpContext http, CounterOperations ops, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(body.Q) && body.Dob is null)
            {
                return Refuse(CounterOperations.BadRequest, "Give q (reference, name or reading) or dob.");
            }

            if (body.Offset is < 0 || body.Limit is < 1 or > 500 || body.Q?.Length > ResidentSearchTerms.MaxLength)
            {
                return Refuse(CounterOperations.BadRequest, $"offset is 0 or more; limit is 1–500; q is at most {ResidentSearchTerms.MaxLength} characters.");
            }

            var query = new ResidentQuery(body.Q, body.Dob, body.Limit ?? 50, body.Offset ?? 0);
            var total = await ops.Web.Store.CountResidentsAsync(query, ct).ConfigureAwait(false);
            var found = await ops.Web.Store.SearchResidentsAsync(query, ct).ConfigureAwait(false);
            http.Response.Headers["X-Total-Count"] = total.ToString(CultureInfo.InvariantCulture);
            return Results.Ok(found.Select(CounterJson.Summary).ToList());
        }).RequireCsrf().WithSummary("Search residents by reference, name or reading (q; variants, widths and case folded: 高橋 finds 髙橋) and/or date of birth (dob); offset/limit page through the results, X-Total-Count holds the true count. A POST, so that names and dates of birth stay out of URLs (access logs, proxies, browser history).");

        api.MapGet("/residents/{id}", async (string id, CounterOperations ops, CancellationToken ct) =>
            await ops.ResidentAsync(id, ct).ConfigureAwait(false) is { } detail ? Results.Ok(detail) : NotFound(id))
            .WithSummary("A resident with cards and certificates (expiry, renewal window opening, state).");

        api.MapPatch("/residents/{id}", async (string id, CounterJson.ResidentEditBody body, HttpContext http, CounterOperations ops, CancellationToken ct) =>
            Answer(await ops.Web.Registry.EditAsync(new ResidentEdit(id, body.NameKana, body.UnderGuardianship, body.HouseholdId), Staff(http), ct).ConfigureAwait(false), CounterJson.Summary))
            .RequireCsrf().WithSummary("Edit the non-revoking fields (reading, guardianship, household).");

        api.MapPost("/residents/import", async (string? encoding, HttpContext http, RegisterImports imports, CancellationToken ct) =>
        {
            // The encoding: the charset of Content-Type (text/csv; charset=shift_jis), else ?encoding=, else detected.
            var charset = Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var type) && type.Charset.HasValue ? type.Charset.Value : null;
            var job = await imports.StartAsync(http.Request.Body, CounterPages.ParseEncoding(charset ?? encoding), Staff(http), ct).ConfigureAwait(false);
            if (http.Request.Headers["Prefer"].Any(p => p?.Contains("respond-async", StringComparison.OrdinalIgnoreCase) == true))
            {
                // RFC 7240: answer at once; the client follows Location for the progress and the result.
                return Results.Accepted("/api/counter/residents/imports/" + job.Id, ImportJobView(job));
            }

            await job.Completion.WaitAsync(ct).ConfigureAwait(false);
            return job.Result is { } result
                ? (result.Accepted ? Results.Ok(ImportView(result)) : ImportRefused(ImportView(result)))
                : Problems.Of(StatusCodes.Status500InternalServerError, "import-failed", "The import failed; nothing was imported.");
        }).RequireCsrf().WithMetadata(new BodyLimit(BodyLimit.CsvImport)).Accepts<string>("text/csv").Produces<CounterJson.ImportView>()
            .WithSummary("Import a resident CSV, streaming (a whole register): all or nothing, every bad line reported with its number in Japanese. UTF-8 or Shift_JIS: charset of Content-Type, or ?encoding=utf-8|shift_jis, else detected. With Prefer: respond-async the answer is 202 with Location of the import's progress.");

        api.MapGet("/residents/imports/{job}", (string job, HttpContext http, RegisterImports imports) =>
            imports.Find(job, Staff(http).Id) is { } found ? Results.Ok(ImportJobView(found)) : Refuse("import-not-found", "No import with that id (imports are kept for a day, for the staff member who started them).", StatusCodes.Status404NotFound))
            .WithSummary("An import's progress (lines and bytes read) and, when done, its result.");

        api.MapGet("/residents/{id}/changes", async (string id, CounterOperations ops, CancellationToken ct) =>
            Results.Ok((await ops.Web.Store.ListChangesAsync(id, ct).ConfigureAwait(false)).Select(c => new CounterJson.ChangeView(c.Id, c.Kind.ToString(), c.At, c.StaffId, c.Summary)).ToList()))
            .WithSummary("Registry change events of a resident.");

        api.MapPost("/residents/{id}/changes", async (string id, CounterJson.ChangeBody body, HttpContext http, CounterOperations ops, CancellationToken ct) =>
        {
            var change = new ResidentChange(body.Kind, id, body.NewAddress, body.NewName, body.NewNameKana, body.NewDateOfBirth, body.NewSex, body.CardId);
            return Answer(await ops.Web.Changes.ApplyAsync(change, Staff(http), ct).ConfigureAwait(false), r => new
            {
                r.Change.Id,
                Kind = r.Change.Kind.ToString(),
                Resident = CounterJson.Summary(r.Resident),
                Revocations = r.Revocations.Select(t => new { t.Kind, t.Reason, t.Status, t.RevokedSerials }).ToList(),
                r.AllRevocationsDone,
            });
        }).RequireCsrf().WithSummary("Apply a registry change (move, name, birth date, sex, death, card loss); revokes as the law says.");

        api.MapPost("/residents/{id}/cards", async (string id, CounterJson.CardBody body, HttpContext http, CounterOperations ops, CancellationToken ct) =>
            Answer(await ops.Web.Registry.RegisterCardAsync(new ResidentCard(body.CardId, id, body.Kind, body.ExpiresOn), Staff(http), ct).ConfigureAwait(false), CounterJson.Card))
            .RequireCsrf().WithSummary("Register a card to a resident.");

        api.MapGet("/residents/{id}/substitutions", async (string id, string? choices, CounterOperations ops, CancellationToken ct) =>
        {
            var parsed = ParseChoices(choices);
            return parsed is null
                ? Refuse(CounterOperations.BadRequest, "choices is a comma-separated list of original=substitute.")
                : Answer(await ops.Web.Counter.PreviewSubstitutionsAsync(id, parsed, ct).ConfigureAwait(false), p => p);
        }).WithSummary("How name and address would appear in the signature certificate, with candidates (choices: 髙=高,…).");

        api.MapGet("/cards", async (CounterOperations ops, CancellationToken ct) => Results.Ok(await ops.Web.Cards.ListAsync(ct).ConfigureAwait(false)))
            .WithSummary("Cards at this terminal (virtual card files, readers).");

        api.MapPost("/issue", async (CounterJson.IssueBody body, HttpContext http, CounterOperations ops, CancellationToken ct) =>
            Answer(await ops.IssueAsync(Staff(http), body, ct).ConfigureAwait(false), r => r))
            .RequireCsrf().WithSummary("In-person issuance: new, renewal (inside the window) or re-issuance, decided per certificate.");

        api.MapPost("/renew", async (CounterJson.IssueBody body, HttpContext http, CounterOperations ops, CancellationToken ct) =>
            Answer(await ops.RenewAsync(Staff(http), body, ct).ConfigureAwait(false), r => r)).RequireCsrf().WithSummary("Renewal: issuance that needs a valid certificate to renew (refused no-certificate otherwise).");

        api.MapPost("/pin-reset", async (CounterJson.PinResetBody body, HttpContext http, CounterOperations ops, CancellationToken ct) =>
            Answer(await ops.ResetPinAsync(Staff(http), body, ct).ConfigureAwait(false), k => new CounterJson.PinReset(k.ToString())))
            .RequireCsrf().WithSummary("Reset a blocked or forgotten PIN after an identity check.");

        api.MapPost("/pin-unblock", async (CounterJson.PinUnblockBody body, HttpContext http, CounterOperations ops, CancellationToken ct) =>
            Answer(await ops.UnblockWithPukAsync(Staff(http), body, ct).ConfigureAwait(false), k => new CounterJson.PinUnblocked(k.ToString(), true)))
            .RequireCsrf().WithSummary("Unblock a next-generation card's authentication PIN or signature password with the holder's PUK and set a new one (puk-wrong carries triesLeft; puk-blocked, puk-not-set and card-has-no-puk point to pin-reset).");

        api.MapPost("/revoke", async (CounterJson.RevokeBody body, HttpContext http, CounterOperations ops, CancellationToken ct) =>
        {
            var outcome = await ops.Web.Counter.RevokeOnRequestAsync(Staff(http), new RevocationRequest(body.ResidentId ?? string.Empty, body.IdentityChecked, body.Kinds ?? [], body.ByThirdParty), ct).ConfigureAwait(false);
            return outcome.Code == CounterCodes.SupervisorRequired
                ? Refuse(outcome.Refusal!, StatusCodes.Status403Forbidden)
                : Answer(outcome, s => new CounterJson.Revoked(s));
        }).RequireCsrf().WithSummary("Revocation on request; at a third party's request a supervisor is needed (403 supervisor-required).");

        api.MapGet("/proxy/requests", async (string? status, CounterOperations ops, CancellationToken ct) =>
        {
            var s = Enum.TryParse<InquiryStatus>(status ?? "Open", ignoreCase: true, out var parsed) ? parsed : InquiryStatus.Open;
            return Results.Ok((await ops.Web.Store.ListInquiriesAsync(s, 200, ct).ConfigureAwait(false)).Select(CounterJson.Inquiry).ToList());
        }).WithSummary("The proxy queue: inquiries by status (open by default), oldest first.");

        api.MapPost("/proxy/requests", async (CounterJson.ProxyRequestBody body, HttpContext http, CounterOperations ops, CancellationToken ct) =>
            Answer(await ops.Web.Proxy.RecordRequestAsync(Staff(http), new ProxyRequest(body.ResidentId ?? string.Empty, body.ProxyName ?? string.Empty, body.ProxyIdDocument ?? string.Empty, body.ProxyIdChecked, body.ApplicationPresent, body.PowerOfAttorneyPresent), ct).ConfigureAwait(false), CounterJson.Inquiry))
            .RequireCsrf().WithSummary("Proxy visit 1: record the request and create the inquiry letter (照会書).");

        api.MapGet("/proxy/requests/{reference}/letter", async (string reference, CounterOperations ops, CancellationToken ct) =>
        {
            var normal = InquiryReference.Normalise(reference);
            var inquiry = normal is null ? null : await ops.Web.Store.FindInquiryAsync(normal, ct).ConfigureAwait(false);
            if (inquiry is null)
            {
                return Refuse(CounterCodes.ProxyReferenceUnknown, "No inquiry has that reference number.", StatusCodes.Status404NotFound);
            }

            var letter = InquiryLetter.From(inquiry);
            return ops.Web.LetterPdf is { } pdf
                ? Results.File(pdf(letter), "application/pdf", $"inquiry-{inquiry.Reference}.pdf")
                : Results.Ok(letter);
        }).Produces(StatusCodes.Status200OK, contentType: "application/pdf").WithSummary("The inquiry letter of a reference: PDF (or its content as JSON when no PDF renderer is configured).");

        api.MapPost("/proxy/visits", async (CounterJson.ProxyVisitBody body, HttpContext http, CounterOperations ops, CancellationToken ct) =>
            Answer(await ops.CompleteProxyAsync(Staff(http), body, ct).ConfigureAwait(false), r => r))
            .RequireCsrf().WithSummary("Proxy visit 2: reference, proxy ID, seal intact, then the issuance.");

        api.MapGet("/journal", async (DateOnly? date, CounterOperations ops, TimeProvider clock, CancellationToken ct) =>
        {
            var day = date ?? JapanTime.Today(clock);
            return Results.Ok(await ops.Web.Store.ListJournalDayAsync(day, ct).ConfigureAwait(false));
        }).WithSummary("The journal of one business day (today by default): what happened that Japan day, plus what happened after the close of a previous day.");

        api.MapGet("/journal/verification", async (CounterOperations ops, CancellationToken ct) =>
            Results.Ok(await ops.Web.Store.VerifyJournalAsync(ct).ConfigureAwait(false)))
            .WithSummary("Walks the journal's hash chain and checks every closed day against its seal.");

        api.MapGet("/reports/daily", async (DateOnly? date, CounterOperations ops, TimeProvider clock, CancellationToken ct) =>
            Results.Ok(await ops.DailyReportAsync(date ?? JapanTime.Today(clock), ct).ConfigureAwait(false)))
            .WithSummary("The daily report (counts per action and outcome, certificates, fees) and its close.");

        api.MapPost("/reports/daily/close", async (DateOnly? date, HttpContext http, CounterOperations ops, TimeProvider clock, CancellationToken ct) =>
            Answer(await ops.CloseDayAsync(Staff(http), date ?? JapanTime.Today(clock), ct).ConfigureAwait(false), c => c))
            .RequireAuthorization(StaffPolicies.Supervisor).RequireCsrf().WithSummary("The daily close (supervisor only; once per day; not a day after today): seals the day — later actions count for the next open day.");

        return endpoints;
    }

    private static CounterJson.ImportView ImportView(ResidentImportResult result) =>
        new(result.Accepted, result.Imported, result.Encoding == CsvTextEncoding.ShiftJis ? "shift_jis" : "utf-8", result.Lines, result.ErrorCount, result.Errors);

    /// <summary>A refused import as problem details: the import report's members (<c>errors</c> with each line's code) as extensions.</summary>
    private static IResult ImportRefused(CounterJson.ImportView view) =>
        Problems.Of(StatusCodes.Status422UnprocessableEntity, "import-refused",
            string.Create(CultureInfo.InvariantCulture, $"{view.ErrorCount} line(s) of the CSV have errors; nothing was imported."),
            new Dictionary<string, object?>
            {
                ["accepted"] = view.Accepted, ["imported"] = view.Imported, ["encoding"] = view.Encoding, ["lines"] = view.Lines,
                ["errorCount"] = view.ErrorCount, ["errors"] = view.Errors,
            });

    private static CounterJson.ImportJobView ImportJobView(RegisterImportJob job) => new(
        job.Id, job.Result is not null ? "done" : job.Failure is not null ? "failed" : "running", job.StartedAt, job.FinishedAt,
        job.TotalBytes, job.Progress.Bytes, job.Progress.Lines, job.Progress.Errors, job.Result is { } result ? ImportView(result) : null);

    internal static Municipality.Staff.StaffAccount Staff(HttpContext http) => StaffClaims.Account(http.User)
        ?? throw new InvalidOperationException("The endpoint is authorised, so a staff member is signed in.");

    internal static IResult Answer<T, TView>(RuleOutcome<T> outcome, Func<T, TView> view) =>
        outcome.IsAllowed ? Results.Ok(view(outcome.Value!)) : Refuse(outcome.Refusal!);

    /// <summary>
    /// A refusal as problem details (422 unless told): <c>detail</c> is the domain's English sentence, <c>message</c> the
    /// clerk's Japanese sentence, and the refusal's data as numbers and instants (<c>triesLeft</c>, <c>nextOpening</c>).
    /// </summary>
    internal static IResult Refuse(Refusal refusal, int status = StatusCodes.Status422UnprocessableEntity) =>
        Problems.Of(status, refusal.Code, refusal.Message, new Dictionary<string, object?>
        {
            ["message"] = RefusalText.For(refusal),
            ["triesLeft"] = refusal.Data?.TriesLeft,
            ["nextOpening"] = refusal.Data?.NextOpening,
        });

    internal static IResult Refuse(string code, string english, int status = StatusCodes.Status422UnprocessableEntity) =>
        Refuse(new Refusal(code, english), status);

    internal static Dictionary<int, string>? ParseChoices(string? text)
    {
        var dictionary = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split('=', 2);
            if (parts.Length != 2)
            {
                return null;
            }

            dictionary[parts[0]] = parts[1];
        }

        return CounterJson.Choices(dictionary);
    }

    private static IResult NotFound(string id) => Refuse(CounterCodes.ResidentNotFound, string.Create(CultureInfo.InvariantCulture, $"No resident {id}."), StatusCodes.Status404NotFound);
}
