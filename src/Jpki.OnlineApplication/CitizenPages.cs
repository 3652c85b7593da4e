using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Jpki.Core.Time;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;

namespace Jpki.OnlineApplication;

/// <summary>
/// The citizen's pages: choose the certificate, fill in the request, see and download the exact document to sign,
/// then upload the detached <c>.p7s</c> (from <c>jpki sign</c>) or have the local signing helper sign it.
/// </summary>
internal static class CitizenPages
{
    /// <summary>Largest signature upload: a detached CMS or XAdES is a few KB, a signed request PDF (with its /Contents room) about 60 KB.</summary>
    private const int MaxSignatureBytes = 128 * 1024;
    private const long MaxSubmitBytes = 256 * 1024;

    /// <summary>How long a prepared document may be signed and submitted.</summary>
    private static readonly TimeSpan DraftLifetime = TimeSpan.FromDays(7);
    private static readonly TimeSpan PreparedSkew = TimeSpan.FromMinutes(5);

    public static IEndpointRouteBuilder MapCitizenPages(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/e-application/", Choose);
        endpoints.MapGet("/e-application/new", (string? kind) => RequestDocument.ParseKind(kind) is { } k ? Form(k, null) : Results.Redirect("/e-application/"));
        endpoints.MapPost("/e-application/prepare", PrepareAsync);
        endpoints.MapPost("/e-application/submit", SubmitAsync).WithMetadata(new SubmitSizeLimit(MaxSubmitBytes));
        endpoints.MapGet(Html.StylePath, (HttpContext http) => Asset(http, Html.Style, "text/css; charset=utf-8")).ExcludeFromDescription();
        endpoints.MapGet(Html.SignScriptPath, (HttpContext http) => Asset(http, SignScript, "text/javascript; charset=utf-8")).ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>
    /// The signing page's script: sends the request to the citizen's local helper in the format chosen — request.json for a
    /// CMS (<c>format=cades</c>) or a detached XML signature naming request.json (<c>format=xades</c>), request.pdf for a
    /// signed PDF (<c>format=pades</c>) — then submits the signature (or the signed PDF) it answers.
    /// </summary>
    private const string SignScript = """
            const helperQueries = {
              cades: 'format=cades',
              xades: 'format=xades&placement=detached&name=request.json',
              pades: 'format=pades',
            };
            const formatNames = { cades: 'CMS署名', xades: 'XML署名', pades: 'PDF署名' };
            function base64Bytes(text) { return Uint8Array.from(atob(text), c => c.charCodeAt(0)); }
            document.getElementById('helper-sign').addEventListener('click', async () => {
              const status = document.getElementById('helper-status');
              const chosen = document.querySelector('input[name="helper-format"]:checked');
              const format = chosen && helperQueries[chosen.value] ? chosen.value : 'cades';
              status.className = '';
              status.textContent = 'ローカル署名ヘルパーに送信しました（' + formatNames[format] + '）。ヘルパーの画面で内容を確認し、パスワードを入力してください…';
              const pdfLink = document.getElementById('download-pdf').getAttribute('href');
              const bytes = format === 'pades'
                ? base64Bytes(pdfLink.substring(pdfLink.indexOf(',') + 1))
                : base64Bytes(document.getElementById('document-field').value);
              let response;
              try {
                response = await fetch(document.getElementById('helper-sign').dataset.helper + '?' + helperQueries[format], { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: bytes });
              } catch (e) {
                status.className = 'ng';
                status.textContent = 'ローカル署名ヘルパーに接続できません（起動していないか、この市のページからの接続が許可されていません）。jpki sign-helper を起動するか、方法1の署名ファイルのアップロードをご利用ください。';
                return;
              }
              if (!response.ok) {
                let message = 'ヘルパーが署名できませんでした。';
                try { const problem = await response.json(); message += ' ' + problem.message; } catch (e) { }
                status.className = 'ng';
                status.textContent = message;
                return;
              }
              const signature = new Uint8Array(await response.arrayBuffer());
              let binary = '';
              signature.forEach(b => binary += String.fromCharCode(b));
              document.getElementById('signature-base64').value = btoa(binary);
              status.textContent = '署名を受け取りました。送信しています…';
              document.getElementById('submit-form').submit();
            });
            """;

    private static IResult Asset(HttpContext http, string content, string type)
    {
        http.Response.Headers.CacheControl = "public, max-age=3600";
        return Results.Text(content, type);
    }

    private static IResult Choose()
    {
        var body = """
            <p>マイナンバーカードの署名用電子証明書で署名して、証明書の交付を請求できます。</p>
            <ul>
            <li><a class="button" id="kind-juminhyo" href="/e-application/new?kind=juminhyo">住民票の写しを請求する</a></li>
            <li><a class="button" id="kind-inkan" href="/e-application/new?kind=inkan">印鑑登録証明書を請求する</a></li>
            </ul>
            <p class="muted">申請者の氏名・住所・生年月日は、署名用電子証明書に記録された内容を使います。署名には
            <code>jpki sign</code>（カードとICカードリーダー）またはローカル署名ヘルパー <code>jpki sign-helper</code> を使います。
            パスワードはこのウェブページには入力しません。</p>
            """;
        return Html.Page("電子申請", body);
    }

    private static IResult Form(RequestKind kind, string? error)
    {
        var html = new StringBuilder();
        if (error is not null)
        {
            html.Append("<p class=\"ng\" id=\"form-error\">").Append(Html.E(error)).Append("</p>");
        }

        html.Append("<form method=\"post\" action=\"/e-application/prepare\" id=\"request-form\">")
            .Append("<input type=\"hidden\" name=\"kind\" value=\"").Append(RequestDocument.KindCode(kind)).Append("\">")
            .Append("<fieldset><legend>請求内容</legend>")
            .Append("<label>通数 <select name=\"copies\" id=\"copies\">");
        for (var i = 1; i <= ApplicationRequest.MaxCopies; i++)
        {
            html.Append(CultureInfo.InvariantCulture, $"<option value=\"{i}\">{i}通</option>");
        }

        html.Append("</select></label>")
            .Append("<label>使用目的 <input type=\"text\" name=\"purpose\" id=\"purpose\" maxlength=\"100\" required placeholder=\"例: 就職先への提出\"></label>")
            .Append("</fieldset>");
        if (kind == RequestKind.ResidenceRecord)
        {
            html.Append("""
                <fieldset><legend>記載事項</legend>
                <label><input type="radio" name="scope" value="self" id="scope-self" checked> 本人のみ</label>
                <label><input type="radio" name="scope" value="household" id="scope-household"> 世帯全員</label>
                <label><input type="checkbox" name="domicile" value="1" id="domicile"> 本籍・筆頭者を記載する</label>
                <label><input type="checkbox" name="relationship" value="1" id="relationship"> 世帯主・続柄を記載する</label>
                <p class="muted">マイナンバー（個人番号）の記載はオンラインでは請求できません。</p>
                </fieldset>
                """);
        }

        html.Append("""
            <fieldset><legend>受け取り方法</legend>
            <label><input type="radio" name="delivery" value="mail" id="delivery-mail" checked> 郵送</label>
            <label>郵送先 <input type="text" name="address" id="address" maxlength="100" placeholder="住民登録地以外に送る場合は、その住所"></label>
            <label><input type="radio" name="delivery" value="pickup" id="delivery-pickup"> 市民窓口課で受け取る</label>
            </fieldset>
            <button type="submit" id="prepare">申請書を作成する</button>
            </form>
            """);
        return Html.Page(ApplicationRequest.TitleOf(kind) + "の交付請求", html.ToString(), error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    private static async Task<IResult> PrepareAsync(HttpRequest http, TimeProvider clock, OnlineApplicationOptions options, CancellationToken cancellationToken)
    {
        if (!http.HasFormContentType || http.ContentLength is > 16 * 1024)
        {
            return Results.Problem("Send the form as application/x-www-form-urlencoded, at most 16 KB.", statusCode: StatusCodes.Status400BadRequest,
                extensions: new Dictionary<string, object?> { ["code"] = "bad-form" });
        }

        var form = await http.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        if (RequestDocument.ParseKind(form["kind"]) is not { } kind)
        {
            return Results.Redirect("/e-application/");
        }

        if (!int.TryParse(form["copies"], NumberStyles.None, CultureInfo.InvariantCulture, out var copies))
        {
            return Form(kind, "通数を選んでください。");
        }

        var pickup = form["delivery"] == "pickup";
        var address = ((string?)form["address"])?.Trim();
        var request = new ApplicationRequest(
            Base64Url(RandomNumberGenerator.GetBytes(16)),
            kind,
            copies,
            (((string?)form["purpose"]) ?? "").Trim().Normalize(NormalizationForm.FormC),
            kind == RequestKind.ResidenceRecord && form["scope"] == "household",
            kind == RequestKind.ResidenceRecord && form["domicile"] == "1",
            kind == RequestKind.ResidenceRecord && form["relationship"] == "1",
            pickup,
            pickup ? null : string.IsNullOrEmpty(address) ? "住民登録地" : address.Normalize(NormalizationForm.FormC),
            TruncateToSeconds(JapanTime.ToJst(clock.GetUtcNow())));
        if (RequestDocument.Validate(request) is { } invalid)
        {
            return Form(kind, invalid);
        }

        var document = RequestDocument.Encode(request);
        var documentBase64 = Convert.ToBase64String(document);
        var html = new StringBuilder();
        html.Append("<p>次の内容の申請書を作成しました。内容を確認し、<strong>このファイルのまま</strong>署名してください。</p>");
        Html.Table(html, RequestDocument.Describe(request), "summary");
        html.Append("<h2>署名する申請書（request.json）</h2>")
            .Append("<pre id=\"document\">").Append(Html.E(Encoding.UTF8.GetString(document))).Append("</pre>")
            .Append("<p class=\"muted\">SHA-256: <code id=\"document-sha256\">").Append(Convert.ToHexString(SHA256.HashData(document))).Append("</code></p>")
            .Append("<p><a class=\"button\" id=\"download\" download=\"request.json\" href=\"data:application/json;base64,").Append(documentBase64).Append("\">申請書をダウンロード</a>")
            .Append(" <a class=\"button\" id=\"download-pdf\" download=\"request.pdf\" href=\"data:application/pdf;base64,").Append(Convert.ToBase64String(RequestPdf.Create(document, request.RequestId))).Append("\">PDFでダウンロード（request.pdf）</a></p>")
            .Append("<form method=\"post\" action=\"/e-application/submit\" enctype=\"multipart/form-data\" id=\"submit-form\">")
            .Append("<input type=\"hidden\" name=\"document\" id=\"document-field\" value=\"").Append(documentBase64).Append("\">")
            .Append("<input type=\"hidden\" name=\"signatureBase64\" id=\"signature-base64\" value=\"\">")
            .Append("<h2>方法1: 署名ファイルをアップロード</h2>")
            .Append("<p>カードリーダーで <code>jpki sign --reader \"リーダー名\" --in request.json --out request.json.p7s</code> を実行し、できた <code>request.json.p7s</code> を選んでください。")
            .Append("XML署名（<code>jpki sign --format xades --placement detached --in request.json --out request.json.xml</code>）や、PDFの署名（<code>jpki sign --format pades --in request.pdf --out request.signed.pdf</code>）も受け付けます。</p>")
            .Append("<label>署名ファイル（.p7s / .xml / 署名したPDF） <input type=\"file\" name=\"signature\" id=\"signature-file\" accept=\".p7s,.xml,.pdf,application/pkcs7-signature,application/xml,application/pdf\"></label>")
            .Append("<button type=\"submit\" id=\"submit-upload\">署名して申請する</button>")
            .Append("<h2>方法2: ローカル署名ヘルパーで署名</h2>")
            .Append("<p>お使いのパソコンで <code>jpki sign-helper</code> を起動してから押してください。署名用パスワードは<strong>ヘルパーの画面</strong>で入力します（このページには入力しません）。</p>")
            .Append("<fieldset id=\"helper-formats\"><legend>署名の形式</legend>")
            .Append("<label><input type=\"radio\" name=\"helper-format\" value=\"cades\" id=\"helper-format-cades\" checked> CMS署名（request.json に対する .p7s）</label>")
            .Append("<label><input type=\"radio\" name=\"helper-format\" value=\"xades\" id=\"helper-format-xades\"> XML署名（XAdES、request.json に対する分離署名）</label>")
            .Append("<label><input type=\"radio\" name=\"helper-format\" value=\"pades\" id=\"helper-format-pades\"> PDF署名（PAdES、request.pdf に署名）</label>")
            .Append("</fieldset>")
            .Append("<button type=\"button\" id=\"helper-sign\" data-helper=\"").Append(Html.E(new Uri(options.HelperUrl, "/sign").AbsoluteUri)).Append("\">ローカル署名ヘルパーで署名する</button>")
            .Append("<p id=\"helper-status\" aria-live=\"polite\"></p>")
            .Append("</form>");
        return Html.Page("申請書の確認と署名", html.ToString(), scriptPath: Html.SignScriptPath);
    }

    private static async Task<IResult> SubmitAsync(
        HttpRequest http, TimeProvider clock, SignedRequestVerifier verifier, IApplicationStore store, CancellationToken cancellationToken)
    {
        if (http.ContentLength is > MaxSubmitBytes || !http.HasFormContentType)
        {
            return Refused(verifier, "too-large", "送信内容が大きすぎるか、形式が正しくありません。", null, StatusCodes.Status413PayloadTooLarge);
        }

        var features = http.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (features is { IsReadOnly: false })
        {
            features.MaxRequestBodySize = MaxSubmitBytes;
        }

        IFormCollection form;
        try
        {
            form = await http.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = MaxSubmitBytes, ValueLengthLimit = MaxSignatureBytes * 2 }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
        {
            // A body over the limit (sent without Content-Length) is 413 like one announced too large, not 400: Kestrel's
            // body limit and the multipart reader's length limits ("… limit N exceeded.") trip at the same size, either first.
            var tooLarge = e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
                || (e is InvalidDataException && e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase));
            return Refused(verifier, tooLarge ? "too-large" : "bad-form", "送信内容が大きすぎるか、形式が正しくありません。", null, tooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest);
        }

        var document = FromBase64(form["document"]);
        if (document is null || document.Length is 0 or > RequestDocument.MaxBytes)
        {
            return Refused(verifier, "no-document", "申請書が送信されていません。最初からやり直してください。", null, StatusCodes.Status400BadRequest);
        }

        byte[]? signature = null;
        if (form.Files.GetFile("signature") is { Length: > 0 } file)
        {
            if (file.Length > MaxSignatureBytes)
            {
                return Refused(verifier, "signature-too-large", "署名ファイルが大きすぎます。", null, StatusCodes.Status400BadRequest);
            }

            using var buffer = new MemoryStream((int)file.Length);
            await file.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            signature = buffer.ToArray();
        }
        else if (FromBase64(form["signatureBase64"]) is { Length: > 0 and <= MaxSignatureBytes } fromHelper)
        {
            signature = fromHelper;
        }

        if (signature is null)
        {
            return Refused(verifier, "no-signature", "署名ファイル（.p7s）を選ぶか、ローカル署名ヘルパーで署名してください。", null, StatusCodes.Status400BadRequest);
        }

        Log.Received(verifier.Logger, SignedRequestVerifier.FormatOf(signature), signature.Length);
        var result = await verifier.VerifyAsync(signature, document, RequestDocument.PeekRequestId(document), cancellationToken).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return Refused(verifier, result.Verdict.MachineCode, VerdictText.Explain(result.Verdict), result.Verdict, StatusCodes.Status422UnprocessableEntity);
        }

        if (RequestDocument.Decode(document, out var formatError) is not { } request)
        {
            return Refused(verifier, "bad-request-document", formatError, null, StatusCodes.Status422UnprocessableEntity);
        }

        var now = clock.GetUtcNow();
        if (request.PreparedAt > now + PreparedSkew || request.PreparedAt < now - DraftLifetime)
        {
            return Refused(verifier, "draft-expired", $"申請書の有効期限（作成から{DraftLifetime.Days}日）が過ぎています。申請書を作り直して署名してください。", null, StatusCodes.Status422UnprocessableEntity);
        }

        if (result.BasicFourInfo is not { } person || result.SignerCertificate is not { } signer)
        {
            return Refused(verifier, "no-basic-four-info", "署名用電子証明書に基本4情報がありません。", null, StatusCodes.Status422UnprocessableEntity);
        }

        if (person.DateOfBirth is not { } born || person.Sex is not { } sex)
        {
            // A valid signature whose certificate records a partly unknown birth date or another sex code: the register
            // match needs both, so a clerk takes it at the counter instead.
            return Refused(verifier, "partial-birth-date-or-sex", "署名用電子証明書の生年月日または性別の一部が不明のため、オンラインでは受け付けられません。窓口で申請してください。", null, StatusCodes.Status422UnprocessableEntity);
        }

        // Kept at B-LTA (signature and archive/document time-stamps, certificates and revocation data embedded), so a
        // clerk can re-verify it after the certificate expired or was revoked.
        if (await verifier.ArchiveAsync(result.Format, signature, document, cancellationToken).ConfigureAwait(false) is not { } archived)
        {
            return Refused(verifier, "archive-failed", "署名を長期保存の形式（B-LTA: タイムスタンプと失効情報の付与）にできませんでした。しばらくしてからもう一度送信してください。", null, StatusCodes.Status503ServiceUnavailable, "archive-failed");
        }

        var application = new StoredApplication(
            ReceiptNumbers.New(now),
            now,
            request.Kind,
            document,
            Convert.ToHexString(SHA256.HashData(document)),
            archived,
            result.Verdict.MachineCode,
            result.Verdict.Message,
            result.VerifiedAt,
            signer.Subject,
            signer.SerialNumber,
            person.Name,
            person.NameSubstitutions,
            person.Address,
            person.AddressSubstitutions,
            born,
            (int)sex,
            SignatureFormat: result.Format);
        if (!await store.AddAsync(application, cancellationToken).ConfigureAwait(false))
        {
            return Refused(verifier, "duplicate", "この申請書はすでに受け付けています（同じ申請書は二度受け付けません）。", null, StatusCodes.Status409Conflict);
        }

        Log.Accepted(verifier.Logger, application.Receipt, request.Kind.ToString(), result.Format, signer.SerialNumber);
        var html = new StringBuilder();
        html.Append("<div class=\"ok\" id=\"accepted\"><p>署名を確認し、申請を受け付けました。</p>")
            .Append("<p>受付番号: <strong id=\"receipt\">").Append(Html.E(application.Receipt)).Append("</strong></p>")
            .Append("<p class=\"muted\">お問い合わせの際は受付番号をお伝えください。</p></div>");
        html.Append("<h2>申請者（署名用電子証明書の記載）</h2>");
        Html.Table(html, [("氏名", person.Name), ("住所", person.Address), ("生年月日", born.ToString("yyyy年M月d日", CultureInfo.InvariantCulture))], "applicant");
        html.Append("<h2>申請内容</h2>");
        Html.Table(html, RequestDocument.Describe(request));
        return Html.Page("申請を受け付けました", html.ToString());
    }

    private static IResult Refused(SignedRequestVerifier verifier, string code, string explanation, Jpki.Verification.Verdict? verdict, int status, string? problem = null)
    {
        Log.Refused(verifier.Logger, code, status);
        return Refused(explanation, verdict, status, problem);
    }

    private static IResult Refused(string explanation, Jpki.Verification.Verdict? verdict, int status, string? problem = null)
    {
        var html = new StringBuilder();
        html.Append("<div class=\"ng\" id=\"refused\">");
        if (verdict is not null)
        {
            html.Append("<p><strong id=\"refusal-title\">").Append(Html.E(VerdictText.Title(verdict.Code))).Append("</strong></p>");
        }

        html.Append("<p id=\"refusal-reason\">").Append(Html.E(explanation)).Append("</p>");
        if (verdict is not null)
        {
            html.Append("<p class=\"muted\">判定コード: <code id=\"verdict-code\">").Append(Html.E(verdict.MachineCode)).Append("</code></p>");
        }
        else if (problem is not null)
        {
            html.Append("<p class=\"muted\">判定コード: <code id=\"verdict-code\">").Append(Html.E(problem)).Append("</code></p>");
        }

        html.Append("</div><p><a href=\"/e-application/\">最初からやり直す</a></p>");
        return Html.Page("申請を受け付けられませんでした", html.ToString(), status);
    }

    private static byte[]? FromBase64(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset t) => new(t.Ticks - (t.Ticks % TimeSpan.TicksPerSecond), t.Offset);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The upload's own body limit (a signature and the document), read by the host's body-limit check.</summary>
    private sealed class SubmitSizeLimit(long bytes) : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize { get; } = bytes;
    }
}
