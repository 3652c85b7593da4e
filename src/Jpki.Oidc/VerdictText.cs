using Jpki.Verification;

namespace Jpki.Oidc;

/// <summary>Login verdicts in Japanese, for the citizen.</summary>
internal static class VerdictText
{
    public static string Japanese(Verdict verdict) => verdict.Code switch
    {
        VerdictCode.WrongOrigin => "カードは別のサイトのために署名しました。別のサイトに中継された可能性があります。",
        VerdictCode.WrongSession => "このログイン要求は別のブラウザのものです。このブラウザでやり直してください。",
        VerdictCode.ChallengeExpired => "時間切れです。もう一度ログインしてください。",
        VerdictCode.ChallengeRejected => "このログイン要求は使用済みか不明です。もう一度ログインしてください。",
        VerdictCode.WrongKind => "この電子証明書はこの手続きには使えません（ログインには利用者証明用電子証明書を使います）。",
        VerdictCode.Revoked => "電子証明書は失効しています。市区町村の窓口で手続きしてください。",
        VerdictCode.Expired => "電子証明書の有効期限が切れています。市区町村の窓口で更新してください。",
        VerdictCode.NotYetValid => "電子証明書はまだ有効ではありません。",
        VerdictCode.NoRevocationData => "電子証明書の失効情報を確認できません。しばらくしてからやり直してください。",
        VerdictCode.Untrusted => "この電子証明書は信頼できる認証局のものではありません。",
        VerdictCode.BadSignature => "署名を検証できません。",
        _ => "ログイン用トークンを読み取れません。",
    } + " (" + verdict.MachineCode + ")";
}
