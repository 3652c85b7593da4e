using System.Globalization;
using System.Text.RegularExpressions;
using Jpki.Core.Identity;
using Jpki.Core.Pins;
using Jpki.Municipality.Applications;
using Jpki.Municipality.Reports;
using Jpki.Municipality.Residents;

namespace Jpki.Server.Counter;

/// <summary>
/// The 内容 of a journal entry in Japanese for the staff's CSV. The journal stores each entry's details as the domain
/// wrote them (a compact record in English that the daily report and the hash chain depend on, so it is never
/// rewritten); this reads the known shapes and says them in Japanese. A refusal is its clerk's sentence
/// (<see cref="RefusalText"/>); a shape this does not know is given as stored.
/// </summary>
internal static partial class JournalText
{
    public static string Japanese(JournalEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Outcome == JournalEntry.Failed)
        {
            return "障害のため完了しませんでした（詳しくはサーバーのログ）。";
        }

        if (entry.Outcome == "rejected" && entry.Action == CounterActions.Import && ImportRejected().Match(entry.Details) is { Success: true } rejected)
        {
            return $"誤りのある行が {rejected.Groups[1].Value} 行あるため取り込んでいません（最初の誤りは {rejected.Groups[2].Value} 行目）。";
        }

        if (entry.Outcome != JournalEntry.Ok)
        {
            return RefusalText.For(entry.Outcome, null);
        }

        return entry.Action switch
        {
            CounterActions.Issue or CounterActions.ProxyIssue => Issued(entry.Details),
            CounterActions.Import when ImportDone().Match(entry.Details) is { Success: true } done =>
                $"{done.Groups[1].Value}件を取り込みました（文字コード：{(done.Groups[2].Value == nameof(CsvTextEncoding.ShiftJis) ? "Shift_JIS" : "UTF-8")}）。",
            CounterActions.Edit => "フリガナ・成年被後見人・世帯番号を修正しました。",
            CounterActions.CardRegister => "カードを登録しました。",
            CounterActions.ProxyRequest => $"照会番号 {entry.Details}",
            CounterActions.PinReset when Enum.TryParse<PinKind>(entry.Details, out var pin) => CounterPages.PinKindName(pin) + "を初期化しました。",
            CounterActions.PinUnblock when Enum.TryParse<PinKind>(entry.Details, out var unblocked) => CounterPages.PinKindName(unblocked) + "のロックをPUKで解除し、新しく設定しました。",
            CounterActions.Revoke when entry.Details.StartsWith("revoked ", StringComparison.Ordinal) =>
                "失効させた電子証明書のシリアル番号：" + string.Join("、", entry.Details["revoked ".Length..].Split(',', StringSplitOptions.RemoveEmptyEntries)),
            CounterActions.RegistryChange when Change().Match(entry.Details) is { Success: true } change => Changed(change),
            CounterActions.DayClose => $"{entry.Details} の日次締め",
            _ => entry.Details,
        };
    }

    private static string Issued(string details)
    {
        var parts = new List<string>();
        foreach (var certificate in details.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = certificate.Split(':');
            if (fields.Length != 4 || !Enum.TryParse<CertificateKind>(fields[0], out var kind) || !Enum.TryParse<IssuanceMode>(fields[2], out var mode)
                || !DateOnly.TryParseExact(fields[3], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var expires))
            {
                return details;
            }

            parts.Add($"{CounterPages.KindName(kind)}（{CounterPages.ModeName(mode)}、シリアル番号 {fields[1]}、有効期限 {Web.Html.Date(expires)}）");
        }

        return string.Join("、", parts);
    }

    private static string Changed(Match change)
    {
        var kind = Enum.TryParse<ResidentChangeKind>(change.Groups[1].Value, out var k) ? CounterPages.ChangeKindName(k) : change.Groups[1].Value;
        var field = change.Groups[2].Value switch
        {
            "address" => "住所",
            "name" => "氏名",
            "date of birth" => "生年月日",
            "sex" => "性別",
            "deceased" => "死亡",
            "card lost" => "カードの紛失",
            var other => other,
        };
        return $"{kind}（{field}）。電子証明書の失効：{(change.Groups[3].Value == "done" ? "完了" : "処理待ち")}";
    }

    [GeneratedRegex(@"^rejected: (\d+) bad lines, first at line (\d+) \(([^)]*)\)$")]
    private static partial Regex ImportRejected();

    [GeneratedRegex(@"^imported (\d+) \((\w+)\)$")]
    private static partial Regex ImportDone();

    [GeneratedRegex(@"^(\w+): (.*); revocations (done|pending)$")]
    private static partial Regex Change();
}
