using System.Globalization;
using System.Text;
using Jpki.Municipality.Residents;
using Jpki.Server.Errors;
using Jpki.Server.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Jpki.Server.Counter;

/// <summary>
/// The register import page: a whole municipality's CSV (UTF-8 or Shift_JIS, detected or chosen), uploaded and imported
/// in the background with its progress on a page of its own (it refreshes itself), then the result: the count, or every
/// bad line with its number and a Japanese sentence (the first 1,000 on the page, all of them as a CSV file).
/// </summary>
internal static partial class CounterPages
{
    private const int ErrorsOnPage = 1_000;

    private static readonly (string Value, string Label)[] Encodings =
        [("auto", "自動判定（UTF-8 でなければ Shift_JIS）"), ("utf-8", "UTF-8"), ("shift_jis", "Shift_JIS（CP932・Windows の日本語）")];

    private static void MapImport(RouteGroupBuilder pages)
    {
        pages.MapGet("/import", (HttpContext http) => ImportPage(http, FormValues.Empty, null, StatusCodes.Status200OK));
        pages.MapPost("/import", async (HttpContext http, RegisterImports imports) =>
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
            var values = FormValues.From(form);
            return await Tokens(http).SubmitAsync(http, form, "import",
                (message, status) => Task.FromResult(ImportPage(http, values, message, status)),
                async (_, ct) =>
                {
                    if (form.Files.GetFile("file") is not { Length: > 0 } file)
                    {
                        return new FormOutcome.Refused("file-not-chosen", "取り込む CSV ファイルを選んでください。");
                    }

                    await using var stream = file.OpenReadStream();
                    var job = await imports.StartAsync(stream, ParseEncoding(values["encoding"]), CounterApi.Staff(http), ct).ConfigureAwait(false);
                    return new FormOutcome.Done("/counter/import/" + job.Id);
                }).ConfigureAwait(false);
        }).WithMetadata(new BodyLimit(BodyLimit.CsvImport)).WithFormOptions(multipartBodyLengthLimit: BodyLimit.CsvImport);
        pages.MapGet("/import/{job}", (string job, HttpContext http, RegisterImports imports) => ImportJobPage(http, imports.Find(job, Layout.UserId(http.User) ?? string.Empty)));
        pages.MapGet("/import/{job}/errors.csv", (string job, HttpContext http, RegisterImports imports) =>
        {
            var found = imports.Find(job, Layout.UserId(http.User) ?? string.Empty);
            if (found?.Result is not { } result)
            {
                return ImportJobPage(http, found);
            }

            var csv = new StringBuilder("行,コード,内容\r\n");
            foreach (var e in result.Errors)
            {
                csv.Append(e.Line.ToString(CultureInfo.InvariantCulture)).Append(',').Append(CsvField(e.Code)).Append(',').Append(CsvField(e.Message)).Append("\r\n");
            }

            return Results.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray(), "text/csv; charset=utf-8", $"取込エラー-{job}.csv");
        });
    }

    internal static CsvTextEncoding ParseEncoding(string? text) => text?.Trim().ToUpperInvariant() switch
    {
        "UTF-8" or "UTF8" => CsvTextEncoding.Utf8,
        "SHIFT_JIS" or "SHIFT-JIS" or "SJIS" or "CP932" or "WINDOWS-31J" or "MS932" => CsvTextEncoding.ShiftJis,
        _ => CsvTextEncoding.Auto,
    };

    internal static string EncodingName(CsvTextEncoding encoding) => encoding == CsvTextEncoding.ShiftJis ? "Shift_JIS（CP932）" : "UTF-8";

    private static IResult ImportPage(HttpContext http, FormValues values, string? message, int status)
    {
        var body = new StringBuilder(message ?? string.Empty);
        if (message is not null)
        {
            body.Append("<p>ファイルはもう一度選んでください（ブラウザーはファイルの選択を引き継ぎません）。</p>");
        }

        body.Append("<p>1行目は見出し行 <code>").Append(Html.E(ResidentCsv.Header)).Append("</code> または <code>").Append(Html.E(ResidentCsv.JapaneseHeader))
            .Append("</code>、改行は LF・CRLF のどちらでも構いません。誤りのある行が一つでもあれば何も取り込みません（誤りはすべて行番号付きで表示します）。</p>")
            .Append(FormStart(http, "/counter/import", "import", "enctype=\"multipart/form-data\""))
            .Append(Html.Field("file", "CSVファイル", "file", required: true, extra: "accept=\".csv,text/csv\""))
            .Append(Html.Radios("encoding", "文字コード", Encodings, values.Get("encoding") ?? "auto"))
            .Append("<p><button type=\"submit\">取り込む</button></p></form>");
        return Layout.Page(http, "住民データの取込", body.ToString(), status);
    }

    private static IResult ImportJobPage(HttpContext http, RegisterImportJob? job)
    {
        if (job is null)
        {
            return Layout.Page(http, "取込が見つかりません", "<p>この取込は見つかりません（1日以上前のもの、別の職員のもの、またはサーバーの再起動で中断されたものです。中断された取込では何も取り込まれていません）。</p><p><a href=\"/counter/import\">住民データの取込へ</a></p>", StatusCodes.Status404NotFound);
        }

        var body = new StringBuilder();
        if (job.Result is null && job.Failure is null)
        {
            var p = job.Progress;
            body.Append("<p role=\"status\">取込中です：").Append(Count(p.Lines)).Append("行を読み込みました（")
                .Append(Megabytes(p.Bytes)).Append(" / ").Append(Megabytes(job.TotalBytes)).Append("）。この画面は自動的に更新されます。</p>")
                .Append("<p><label for=\"progress\">進み具合</label><br><progress id=\"progress\" max=\"").Append(Math.Max(1, job.TotalBytes).ToString(CultureInfo.InvariantCulture))
                .Append("\" value=\"").Append(p.Bytes.ToString(CultureInfo.InvariantCulture)).Append("\"></progress></p>");
            return Layout.Page(http, "住民データの取込（取込中）", body.ToString(), refreshSeconds: 1);
        }

        var seconds = ((job.FinishedAt ?? job.StartedAt) - job.StartedAt).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        if (job.Failure is not null)
        {
            body.Append(Html.Error("import-failed", "取込の途中でエラーが発生しました。何も取り込まれていません。もう一度取り込んでください。"));
        }
        else if (job.Result is { Accepted: true } ok)
        {
            body.Append(Html.Notice($"{Count(ok.Imported)}件を取り込みました（文字コード：{EncodingName(ok.Encoding)}、{Count(ok.Lines)}行、{seconds}秒）。"));
        }
        else
        {
            var rejected = job.Result!;
            body.Append(Html.Error("rejected", $"取り込めませんでした。誤りのある行が {Count(rejected.ErrorCount)} 行あります。何も取り込んでいません（文字コード：{EncodingName(rejected.Encoding)}、{Count(rejected.Lines)}行）。"))
                .Append($"<p><a href=\"/counter/import/{job.Id}/errors.csv\">誤りのある行の一覧（CSV）をダウンロード</a>")
                .Append(rejected.ErrorCount > ErrorsOnPage ? $"　（この画面には最初の {Count(ErrorsOnPage)} 行を表示しています）" : string.Empty).Append("</p>")
                .Append(Html.Table(["行", "内容"], rejected.Errors.Take(ErrorsOnPage).Select(e => (IEnumerable<string>)
                    [Count(e.Line), Html.E(e.Message) + $" <code>{Html.E(e.Code)}</code>"]), "誤りのある行"));
        }

        body.Append("<p><a href=\"/counter/import\">住民データの取込へ</a>　<a href=\"/counter\">住民検索へ</a></p>");
        return Layout.Page(http, "住民データの取込（結果）", body.ToString());
    }

    private static string Megabytes(long bytes) => (bytes / 1024d / 1024d).ToString("0.0", CultureInfo.InvariantCulture) + " MB";

    internal static string CsvField(string? value) =>
        value is null ? string.Empty : value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
