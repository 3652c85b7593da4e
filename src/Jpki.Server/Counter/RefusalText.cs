using System.Globalization;
using Jpki.Core.Office;
using Jpki.Core.Rules;
using Jpki.Core.Time;

namespace Jpki.Server.Counter;

/// <summary>
/// The Japanese sentence a clerk reads for each refusal code of the counter (<c>CounterCodes</c>, the Core rules, the
/// PIN policy). The domain's English sentence is kept in the API answer as <c>detail</c>; unknown codes fall back to it.
/// </summary>
internal static class RefusalText
{
    private static readonly Dictionary<string, string> Sentences = new(StringComparer.Ordinal)
    {
        ["office-closed"] = "現在は窓口の受付時間外です。",
        ["identity-not-checked"] = "本人確認書類（顔写真付き）の確認が済んでいません。確認してからチェックを入れてください。",
        ["resident-not-found"] = "その住民は住民基本台帳に登録されていません。",
        ["resident-not-active"] = "この住民の記録は有効ではありません（転出または死亡）。",
        ["card-not-holders"] = "提示されたカードはこの住民のカードとして登録されていません。",
        ["card-not-active"] = "提示されたカードは紛失または返納の届出がされています。",
        ["card-pin-blocked"] = "カードの暗証番号（券面事項入力補助用）がロックされています。先に暗証番号の初期化を行ってください。",
        ["nothing-requested"] = "発行する電子証明書が選ばれていません。",
        ["juki-card-issuance-ended"] = "住基カードへの電子証明書の発行は終了しています。マイナンバーカードの申請を案内してください。",
        ["sign-under-15"] = "15歳未満の方には署名用電子証明書を発行できません（利用者証明用のみ発行できます）。",
        ["sign-under-guardianship"] = "成年被後見人の方には署名用電子証明書を発行できません（利用者証明用のみ発行できます）。",
        ["renewal-too-early"] = "更新は有効期限の3か月前から受け付けます。まだ更新期間ではありません。",
        ["renewal-after-expiry"] = "有効期限が過ぎているため更新ではなく新規発行になります。",
        ["card-expired"] = "カードの有効期限が切れているか、残りが短すぎて電子証明書を発行できません。",
        ["auth-certificate-expired"] = "利用者証明用電子証明書の有効期限が切れています。",
        ["pin-empty"] = "暗証番号（パスワード）が入力されていません。",
        ["pin-too-short"] = "暗証番号（パスワード）の桁数が足りません。署名用は6〜16文字、その他は数字4桁です。",
        ["pin-too-long"] = "暗証番号（パスワード）が長すぎます。署名用は6〜16文字、その他は数字4桁です。",
        ["pin-bad-character"] = "使えない文字が含まれています。署名用は英大文字と数字、その他は数字のみです。",
        ["pin-needs-letter"] = "署名用電子証明書のパスワードには英字を1文字以上含めてください。",
        ["pin-needs-digit"] = "署名用電子証明書のパスワードには数字を1文字以上含めてください。",
        ["charset-bad-choice"] = "選ばれた代替文字は、その文字の候補にありません。",
        ["charset-unmappable"] = "氏名または住所に、電子証明書の文字セットで表せない文字があります。住民記録（カナ表記）を確認してください。",
        ["no-certificate"] = "対象となる有効な電子証明書がありません。",
        ["supervisor-required"] = "第三者からの請求による失効には監督者の権限が必要です。",
        ["change-invalid"] = "異動の内容が不足しているか、現在の登録内容と同じです。",
        ["proxy-reference-invalid"] = "照会番号の形式が正しくありません（16桁・チェックデジット）。入力を確認してください。",
        ["proxy-reference-unknown"] = "その照会番号の照会書はありません。",
        ["proxy-inquiry-closed"] = "この照会書はすでに使用済みか無効です。新たに代理人申請が必要です。",
        ["proxy-same-day"] = "代理人申請では即日交付はできません。照会書の郵送後に改めて来庁してください。",
        ["proxy-answer-late"] = "回答書の提出期限を過ぎています。新たに代理人申請が必要です。",
        ["proxy-seal-broken"] = "目隠しシールがはがされています。回答書は無効となり照会書を閉じました。新たに代理人申請が必要です。",
        ["proxy-address-changed"] = "照会書の郵送後に申請者の住所が変わっています。新たに代理人申請が必要です。",
        ["proxy-documents-missing"] = "申請書と委任状の両方が必要です。",
        ["empty-kana"] = "フリガナは空にできません。",
        ["empty-household"] = "世帯番号は空にできません。",
        ["day-already-closed"] = "この日はすでに日次締めが済んでいます。",
        ["card-not-found"] = "選ばれたカードが見つかりません。カードを挿し直すか一覧を更新してください。",
        ["bad-request"] = "入力内容に誤りがあります。",
        ["card-not-chosen"] = "カードが選ばれていません。読み取り機のカードを選んでください。",
        ["card-pin-not-set"] = "このカードには券面事項入力補助用の暗証番号がまだ設定されていません（未発行のカード）。先に「暗証番号の初期化」で券面事項入力補助用の暗証番号を設定してください。",
        ["card-registered-to-other"] = "このカード番号はほかの住民のカードとして登録されています。カード番号を確認してください。",
        ["bad-card-number"] = "カード番号は英数字とハイフン（-）の1〜32文字です。",
        ["card-details-missing"] = "読み取り機のカードを選ぶか、カード番号・種類・有効期限をすべて入力してください。",
        ["name-too-long"] = "氏名が長すぎて電子証明書に記録できません（100文字まで）。",
        ["address-too-long"] = "住所が長すぎて電子証明書に記録できません（200文字まで）。",
        ["kana-too-long"] = "フリガナが長すぎます（200文字まで）。",
        ["household-too-long"] = "世帯番号が長すぎます（32文字まで）。",
        ["kana-required"] = "氏名の変更には新しい氏名のフリガナが必要です。",
        ["kind-not-chosen"] = "種類を選んでください。",
        ["pin-mismatch"] = "新しいパスワード（暗証番号）と確認用が一致しません。",
        ["proxy-seal-not-stated"] = "回答書の目隠しシールの状態（異常なし／はがされている）を選んでください。照会書はそのままです。",
        ["day-in-future"] = "まだ来ていない日の日次締めはできません。",
        ["file-not-chosen"] = "取り込む CSV ファイルを選んでください。",
        ["card-has-no-puk"] = "このカード（現行のカード）にはPUKがありません。「暗証番号の初期化」で初期化してください。",
        ["puk-not-for-card-pin"] = "PUKで解除できるのは利用者証明用電子証明書の暗証番号と署名用電子証明書のパスワードだけです。券面事項入力補助用の暗証番号は「暗証番号の初期化」で初期化してください。",
        ["puk-format"] = "PUKは数字8桁です（カードと一緒に届いた通知に記載）。カードには送っていないので、回数は減っていません。",
        ["puk-blocked"] = "このカードのPUKはロックされています（誤りの回数が上限に達しました）。「暗証番号の初期化」で初期化してください。",
        ["puk-not-set"] = "このカードにはPUKが設定されていません。「暗証番号の初期化」で初期化してください。",
        ["issuance-unresolved"] = "この住民の前回の発行が途中で止まっており、まだ処理できていません（地方公共団体情報システム機構に接続できないか、別の端末で処理されました）。しばらくしてからもう一度発行してください。",
        ["issuance-card-needed"] = "この住民の前回の発行がカードへの書き込み中に止まっており、そのカードを読み取れません。そのカードを提示してください（紛失した場合は紛失の届出をしてください）。カードの内容に応じて、その電子証明書の発行を完了するか失効させます。",
    };

    /// <summary>Short Japanese names of refusal codes, for the daily report's table.</summary>
    private static readonly Dictionary<string, string> ShortNames = new(StringComparer.Ordinal)
    {
        ["office-closed"] = "受付時間外",
        ["identity-not-checked"] = "本人確認未了",
        ["resident-not-found"] = "住民なし",
        ["resident-not-active"] = "転出・死亡",
        ["card-not-holders"] = "本人のカードでない",
        ["card-not-active"] = "紛失・返納のカード",
        ["card-pin-blocked"] = "暗証番号ロック",
        ["card-pin-wrong"] = "暗証番号誤り",
        ["card-pin-not-set"] = "暗証番号未設定のカード",
        ["card-not-chosen"] = "カード未選択",
        ["card-not-found"] = "カードなし",
        ["nothing-requested"] = "証明書未選択",
        ["juki-card-issuance-ended"] = "住基カード",
        ["sign-under-15"] = "15歳未満（署名用）",
        ["sign-under-guardianship"] = "成年被後見人（署名用）",
        ["renewal-too-early"] = "更新期間前",
        ["card-expired"] = "カードの期限",
        ["charset-bad-choice"] = "代替文字の選択誤り",
        ["charset-unmappable"] = "文字セット外の文字",
        ["no-certificate"] = "対象の証明書なし",
        ["supervisor-required"] = "監督者の権限が必要",
        ["change-invalid"] = "異動の内容不足",
        ["kana-required"] = "フリガナなし",
        ["name-too-long"] = "氏名が長すぎる",
        ["address-too-long"] = "住所が長すぎる",
        ["proxy-reference-invalid"] = "照会番号の誤り",
        ["proxy-reference-unknown"] = "照会書なし",
        ["proxy-inquiry-closed"] = "照会書が無効",
        ["proxy-same-day"] = "即日交付不可",
        ["proxy-answer-late"] = "回答期限切れ",
        ["proxy-seal-broken"] = "目隠しシールはがれ",
        ["proxy-address-changed"] = "住所変更あり",
        ["proxy-documents-missing"] = "書類不足",
        ["card-write-failed"] = "カード書き込み失敗",
        ["card-has-no-puk"] = "PUKのないカード",
        ["puk-not-for-card-pin"] = "PUKの対象外の暗証番号",
        ["puk-format"] = "PUKの形式",
        ["puk-wrong"] = "PUK誤り",
        ["puk-blocked"] = "PUKロック",
        ["puk-not-set"] = "PUK未設定のカード",
        ["issuance-unresolved"] = "前回の発行が未処理",
        ["issuance-card-needed"] = "前回の発行がカード待ち",
    };

    /// <summary>The short Japanese name of <paramref name="code"/> (a PIN format refusal is 暗証番号の形式; else その他).</summary>
    public static string Short(string code) =>
        ShortNames.TryGetValue(code, out var name) ? name : code.StartsWith("pin-", StringComparison.Ordinal) ? "暗証番号の形式" : "その他";

    /// <summary>The Japanese sentence for <paramref name="refusal"/>: its numbers and dates come from its data, never from its English sentence.</summary>
    public static string For(Refusal refusal) => For(refusal.Code, refusal.Message, refusal.Data);

    /// <summary>The Japanese sentence for <paramref name="code"/>, or <paramref name="english"/> when the code is not known.</summary>
    public static string For(string code, string? english, RefusalData? data = null)
    {
        if (code == OfficeHoursVerdict.ClosedCode && data is { NextOpening: { } next })
        {
            // The municipality's own hours and calendar decided it (counter.json): say when it opens next.
            var local = JapanTime.ToJst(next);
            var weekday = "日月火水木金土"[(int)local.DayOfWeek];
            return string.Create(CultureInfo.InvariantCulture, $"現在は窓口の受付時間外です（{ClosedReason(data.ClosedReason)}）。次の受付は{local.Year}年{local.Month}月{local.Day}日（{weekday}）{local.Hour}:{local.Minute:00}からです。");
        }

        if (code == "card-pin-wrong")
        {
            return data is { TriesLeft: { } tries }
                ? string.Create(CultureInfo.InvariantCulture, $"カードの暗証番号が違います（残り {tries} 回）。")
                : "カードの暗証番号が違います。";
        }

        if (code == "puk-wrong")
        {
            return data is { TriesLeft: { } pukTries }
                ? string.Create(CultureInfo.InvariantCulture, $"PUKが違います（PUKの残り {pukTries} 回）。暗証番号はロックされたままです。")
                : "PUKが違います。暗証番号はロックされたままです。";
        }

        if (code == "card-write-failed")
        {
            // Which certificate, and whether it is already revoked, is in the domain's sentence: shown as it is.
            return "カードへの電子証明書の書き込みに失敗しました。発行した電子証明書は、カードにないことを確かめられたものは失効させ、カードを読み取れないものはカードの提示を待ちます（どちらかは括弧内の説明と下の「交付の記録」で確認できます）。カードを挿し直して、もう一度発行してください。"
                + (english is null ? "" : "（" + english + "）");
        }

        return Sentences.TryGetValue(code, out var sentence) ? sentence : english ?? code;
    }

    private static string ClosedReason(OfficeClosedReason? reason) => reason switch
    {
        OfficeClosedReason.NationalHoliday => "祝日",
        OfficeClosedReason.YearEnd => "年末年始",
        OfficeClosedReason.ClosedWeekday => "閉庁日",
        OfficeClosedReason.MunicipalClosure => "臨時閉庁日",
        _ => "受付時間外",
    };
}
