using System.Globalization;
using Jpki.Core.Time;
using Jpki.Verification;

namespace Jpki.OnlineApplication;

/// <summary>A verification verdict told to a citizen or a clerk in Japanese (the library's English sentence is kept for staff).</summary>
internal static class VerdictText
{
    public static string Title(VerdictCode code) => code switch
    {
        VerdictCode.Valid => "署名は有効です",
        VerdictCode.Revoked => "電子証明書が失効しています",
        VerdictCode.Expired => "電子証明書の有効期間が過ぎています",
        VerdictCode.NotYetValid => "電子証明書の有効期間がまだ始まっていません",
        VerdictCode.ContentTampered => "申請書が署名後に改ざんされています",
        VerdictCode.BadSignature => "署名が正しくありません",
        VerdictCode.Untrusted => "信頼できない認証局の電子証明書です",
        VerdictCode.WrongKind => "署名用電子証明書ではありません",
        VerdictCode.NoRevocationData => "失効情報を確認できません",
        VerdictCode.Malformed => "署名ファイルの形式が正しくありません",
        _ => "署名を確認できません",
    };

    /// <summary>The sentence for the citizen: what happened and what to do.</summary>
    public static string Explain(Verdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return verdict.Code switch
        {
            VerdictCode.Valid => "署名と署名用電子証明書を確認しました。",
            VerdictCode.Revoked => $"この署名用電子証明書は{When(verdict.RevokedAt)}に失効しています（失効理由: {Reason(verdict.RevocationReason)}）。"
                + "住所や氏名の変更などで失効した場合は、窓口で新しい署名用電子証明書の発行を受けてから申請してください。",
            VerdictCode.Expired => "署名用電子証明書の有効期間が満了しています。窓口で更新してから申請してください。",
            VerdictCode.NotYetValid => "署名用電子証明書の有効期間の開始前です。",
            VerdictCode.ContentTampered => "署名した申請書と送信された申請書が一致しません（1文字でも変わると一致しません）。この画面で作成した申請書にそのまま署名してください。",
            VerdictCode.BadSignature => "署名の値が電子証明書の鍵で検証できません。署名ファイルを作り直してください。",
            VerdictCode.Untrusted => "この市が信頼する認証局（公的個人認証サービス）が発行した電子証明書ではありません。",
            VerdictCode.WrongKind => "利用者証明用電子証明書など、署名用電子証明書以外で署名されています。署名用電子証明書（6〜16文字のパスワード）で署名してください。",
            VerdictCode.NoRevocationData => "電子証明書の失効情報（CRL/OCSP）を確認できないため、受け付けられません。時間をおいて再度お試しください。",
            VerdictCode.Malformed => "署名ファイル（.p7s）として読み取れません。jpki sign で作成した分離署名ファイルを選択してください。",
            _ => "署名を確認できません。",
        };
    }

    public static string Reason(RevocationReason? reason) => reason switch
    {
        RevocationReason.KeyCompromise => "鍵の危殆化・カードの紛失",
        RevocationReason.AffiliationChanged => "記載事項（住所・氏名等）の変更",
        RevocationReason.Superseded => "新しい電子証明書の発行",
        RevocationReason.CessationOfOperation => "利用の終了（死亡等）",
        RevocationReason.CaCompromise => "認証局の危殆化",
        RevocationReason.CertificateHold => "一時停止",
        RevocationReason.PrivilegeWithdrawn => "資格の取消し",
        null => "不明",
        _ => "申出による失効",
    };

    public static string When(DateTimeOffset? at)
        => at is { } t ? JapanTime.ToJst(t).ToString("yyyy年M月d日 H時mm分", CultureInfo.InvariantCulture) : "（日時不明）";
}
