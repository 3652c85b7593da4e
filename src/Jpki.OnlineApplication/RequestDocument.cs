using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Jpki.OnlineApplication;

/// <summary>
/// The document a citizen signs: canonical UTF-8 JSON — keys in ordinal order at every level, no insignificant
/// whitespace, non-ASCII characters written as themselves, integers and booleans as JSON literals. The same request
/// always gives the same bytes, and a submitted document is accepted only when re-encoding what it says gives back
/// exactly the submitted bytes (so staff see what was signed, nothing less and nothing more).
/// </summary>
internal static class RequestDocument
{
    /// <summary>The <c>format</c> value of this version of the document.</summary>
    public const string Format = "openjpki-e-application/1";

    /// <summary>Largest document accepted (ours is a few hundred bytes).</summary>
    public const int MaxBytes = 4096;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    public static byte[] Encode(ApplicationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("copies", request.Copies);
            writer.WriteStartObject("delivery");
            if (!request.Pickup)
            {
                writer.WriteString("address", request.DeliveryAddress);
            }

            writer.WriteString("method", request.Pickup ? "pickup" : "mail");
            writer.WriteEndObject();
            writer.WriteString("format", Format);
            writer.WriteStartObject("items");
            if (request.Kind == RequestKind.ResidenceRecord)
            {
                writer.WriteBoolean("domicile", request.IncludeDomicile);
                writer.WriteBoolean("household", request.WholeHousehold);
                writer.WriteBoolean("relationship", request.IncludeRelationship);
            }

            writer.WriteEndObject();
            writer.WriteString("kind", KindCode(request.Kind));
            writer.WriteString("preparedAt", request.PreparedAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
            writer.WriteString("purpose", request.Purpose);
            writer.WriteString("requestId", request.RequestId);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static string KindCode(RequestKind kind) => kind == RequestKind.ResidenceRecord ? "juminhyo" : "inkan";

    public static RequestKind? ParseKind(string? code) => code switch
    {
        "juminhyo" => RequestKind.ResidenceRecord,
        "inkan" => RequestKind.SealCertificate,
        _ => null,
    };

    /// <summary>
    /// Reads a submitted document. Null when it is not exactly the canonical encoding of a valid request (then
    /// <paramref name="error"/> says why, in Japanese).
    /// </summary>
    public static ApplicationRequest? Decode(ReadOnlySpan<byte> document, out string error)
    {
        error = "申請書の形式が正しくありません。";
        if (document.Length is 0 or > MaxBytes)
        {
            return null;
        }

        ApplicationRequest request;
        try
        {
            using var json = JsonDocument.Parse(document.ToArray(), new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 4 });
            var root = json.RootElement;
            if (root.GetProperty("format").GetString() != Format || ParseKind(root.GetProperty("kind").GetString()) is not { } kind)
            {
                return null;
            }

            var items = root.GetProperty("items");
            var delivery = root.GetProperty("delivery");
            var pickup = delivery.GetProperty("method").GetString() switch
            {
                "pickup" => true,
                "mail" => false,
                _ => (bool?)null,
            };
            if (pickup is null)
            {
                return null;
            }

            var isRecord = kind == RequestKind.ResidenceRecord;
            request = new ApplicationRequest(
                root.GetProperty("requestId").GetString() ?? "",
                kind,
                root.GetProperty("copies").GetInt32(),
                root.GetProperty("purpose").GetString() ?? "",
                isRecord && items.GetProperty("household").GetBoolean(),
                isRecord && items.GetProperty("domicile").GetBoolean(),
                isRecord && items.GetProperty("relationship").GetBoolean(),
                pickup.Value,
                pickup.Value ? null : delivery.GetProperty("address").GetString(),
                DateTimeOffset.ParseExact(root.GetProperty("preparedAt").GetString() ?? "", "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }

        if (Validate(request) is { } invalid)
        {
            error = invalid;
            return null;
        }

        if (!Encode(request).AsSpan().SequenceEqual(document))
        {
            error = "申請書が正規の形式（この画面で作成したもの）ではありません。";
            return null;
        }

        return request;
    }

    /// <summary>The <c>requestId</c> of a submitted document when it reads as JSON (the request PDF is made from it), else empty.</summary>
    public static string PeekRequestId(ReadOnlySpan<byte> document)
    {
        try
        {
            var reader = new Utf8JsonReader(document, new JsonReaderOptions { MaxDepth = 4 });
            using var json = JsonDocument.ParseValue(ref reader);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("requestId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() ?? "" : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    /// <summary>Null when the request is acceptable; otherwise what is wrong, in Japanese.</summary>
    public static string? Validate(ApplicationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Copies is < 1 or > ApplicationRequest.MaxCopies)
        {
            return $"通数は1から{ApplicationRequest.MaxCopies}までです。";
        }

        if (!IsText(request.Purpose))
        {
            return $"使用目的を{ApplicationRequest.MaxTextLength}文字以内で入力してください。";
        }

        if (!request.Pickup && !IsText(request.DeliveryAddress))
        {
            return $"郵送先の住所を{ApplicationRequest.MaxTextLength}文字以内で入力してください。";
        }

        if (request.RequestId.Length != 22 || !request.RequestId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return "申請番号が正しくありません。";
        }

        return null;
    }

    /// <summary>The document as a person reads it (one line per item), for the confirmation page and staff.</summary>
    public static IReadOnlyList<(string Label, string Value)> Describe(ApplicationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var lines = new List<(string, string)>
        {
            ("請求する証明書", request.KindTitle),
            ("通数", request.Copies.ToString(CultureInfo.InvariantCulture) + "通"),
            ("使用目的", request.Purpose),
        };
        if (request.Kind == RequestKind.ResidenceRecord)
        {
            lines.Add(("記載する世帯員", request.WholeHousehold ? "世帯全員" : "本人のみ"));
            lines.Add(("本籍・筆頭者", request.IncludeDomicile ? "記載する" : "省略"));
            lines.Add(("世帯主・続柄", request.IncludeRelationship ? "記載する" : "省略"));
        }

        lines.Add(("受け取り方法", request.Pickup ? "窓口で受け取る" : "郵送"));
        if (!request.Pickup)
        {
            lines.Add(("郵送先", request.DeliveryAddress ?? ""));
        }

        lines.Add(("作成日時", request.PreparedAt.ToString("yyyy年M月d日 H時mm分", CultureInfo.InvariantCulture)));
        lines.Add(("申請ID", request.RequestId));
        return lines;
    }

    private static bool IsText(string? text)
        => text is { Length: > 0 and <= ApplicationRequest.MaxTextLength }
           && text.Trim().Length == text.Length
           && !text.Any(char.IsControl)
           && text.Normalize(NormalizationForm.FormC) == text;
}
