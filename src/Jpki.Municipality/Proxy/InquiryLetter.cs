namespace Jpki.Municipality.Proxy;

/// <summary>
/// The content of the inquiry letter (照会書) and its answer sheet (回答書), ready for a renderer (PDF comes later).
/// No public format exists (JPKI-REFERENCE §10); this layout is ours.
/// </summary>
/// <param name="Reference">Reference number, printed on letter and answer sheet.</param>
/// <param name="AddresseeName">Applicant's name.</param>
/// <param name="AddresseeAddress">Registered address the letter is mailed to.</param>
/// <param name="ProxyName">Who asked on the applicant's behalf.</param>
/// <param name="RequestedOn">Japan date of visit 1.</param>
/// <param name="AnswerDeadline">Last day to bring the answer.</param>
/// <param name="Instructions">Lines of the letter body (Japanese).</param>
/// <param name="AnswerFields">Fields of the answer sheet: the PIN boxes to be covered with the concealing seal.</param>
public sealed record InquiryLetter(
    string Reference,
    string AddresseeName,
    string AddresseeAddress,
    string ProxyName,
    DateOnly RequestedOn,
    DateOnly AnswerDeadline,
    IReadOnlyList<string> Instructions,
    IReadOnlyList<string> AnswerFields)
{
    /// <summary>Builds the letter of <paramref name="inquiry"/>.</summary>
    public static InquiryLetter From(ProxyInquiry inquiry)
    {
        ArgumentNullException.ThrowIfNull(inquiry);
        return new InquiryLetter(
            inquiry.Reference,
            inquiry.AddresseeName,
            inquiry.AddresseeAddress,
            inquiry.ProxyName,
            inquiry.IssuedOn,
            inquiry.AnswerDeadline,
            [
                $"{inquiry.ProxyName} 様から、あなたの電子証明書の発行について代理人による申請がありました。",
                "申請に心当たりがある場合は、回答書に記入し、暗証番号欄を目隠しシールで覆い、委任状とともに封筒に入れて封をし、代理人に渡してください。",
                $"回答書の提出期限は {inquiry.AnswerDeadline:yyyy年M月d日} です。期限を過ぎると申請は無効になります。",
                "心当たりがない場合は、市民窓口課までご連絡ください。",
            ],
            ["署名用電子証明書のパスワード（英大文字と数字 6〜16桁）", "利用者証明用電子証明書の暗証番号（数字 4桁）", "代替文字の希望（ある場合）"]);
    }
}
