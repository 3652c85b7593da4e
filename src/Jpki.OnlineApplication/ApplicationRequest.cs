namespace Jpki.OnlineApplication;

/// <summary>
/// The content of one online application as the citizen filled it in. <see cref="RequestDocument"/> turns it into the
/// exact bytes the citizen signs. Who asks is not part of it: the signature certificate's basic 4 info says that.
/// </summary>
/// <param name="RequestId">Random id (base64url, 16 bytes) so that two identical requests are two documents.</param>
/// <param name="Kind">住民票の写し or 印鑑登録証明書.</param>
/// <param name="Copies">Number of copies, 1–10.</param>
/// <param name="Purpose">使用目的, 1–100 characters.</param>
/// <param name="WholeHousehold">住民票: 世帯全員 (true) or 本人のみ (false). Always false for 印鑑登録証明書.</param>
/// <param name="IncludeDomicile">住民票: 本籍・筆頭者を記載する.</param>
/// <param name="IncludeRelationship">住民票: 世帯主・続柄を記載する.</param>
/// <param name="Pickup">窓口で受け取る (true) or 郵送 (false).</param>
/// <param name="DeliveryAddress">郵送先 when <paramref name="Pickup"/> is false; null otherwise.</param>
/// <param name="PreparedAt">When the server prepared the document (JST, seconds).</param>
internal sealed record ApplicationRequest(
    string RequestId,
    RequestKind Kind,
    int Copies,
    string Purpose,
    bool WholeHousehold,
    bool IncludeDomicile,
    bool IncludeRelationship,
    bool Pickup,
    string? DeliveryAddress,
    DateTimeOffset PreparedAt)
{
    public const int MaxCopies = 10;
    public const int MaxTextLength = 100;

    /// <summary>The kind in Japanese.</summary>
    public string KindTitle => TitleOf(Kind);

    public static string TitleOf(RequestKind kind) => kind == RequestKind.ResidenceRecord ? "住民票の写し" : "印鑑登録証明書";
}
