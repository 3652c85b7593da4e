namespace Jpki.Municipality.Reports;

/// <summary>The stable action verbs of the journal.</summary>
public static class CounterActions
{
    /// <summary>In-person issuance (new, renewal or re-issuance).</summary>
    public const string Issue = "issue";

    /// <summary>Issuance at the second proxy visit.</summary>
    public const string ProxyIssue = "proxy.issue";

    /// <summary>First proxy visit: request recorded, inquiry created.</summary>
    public const string ProxyRequest = "proxy.request";

    /// <summary>PIN reset.</summary>
    public const string PinReset = "pin.reset";

    /// <summary>A next-generation card's PIN unblocked with the holder's PUK and set anew (RESET RETRY COUNTER on the card).</summary>
    public const string PinUnblock = "pin.puk-unblock";

    /// <summary>Revocation on the holder's request.</summary>
    public const string Revoke = "revoke";

    /// <summary>A registry change (異動).</summary>
    public const string RegistryChange = "registry.change";

    /// <summary>Resident CSV import.</summary>
    public const string Import = "registry.import";

    /// <summary>Resident edit (non-revoking fields).</summary>
    public const string Edit = "registry.edit";

    /// <summary>Card registered to a resident.</summary>
    public const string CardRegister = "card.register";

    /// <summary>The daily close (日次締め).</summary>
    public const string DayClose = "day.close";

    /// <summary>
    /// An issuance that stopped half-way was resolved: its certificate, not on the card, revoked (unspecified), or the
    /// authority's refusal recorded (details say which, and who resolved it).
    /// </summary>
    public const string IssueRecovered = "issue.recovered";

    /// <summary>The Japanese name of <paramref name="action"/> for reports and CSV files (the code itself when unknown).</summary>
    public static string JapaneseName(string action) => action switch
    {
        Issue => "電子証明書の発行・更新",
        ProxyIssue => "代理人への交付",
        ProxyRequest => "代理人申請の受付（照会書）",
        PinReset => "暗証番号の初期化",
        PinUnblock => "PUKによる暗証番号のロック解除",
        Revoke => "電子証明書の失効（申請）",
        RegistryChange => "異動の届出",
        Import => "住民データの取込",
        Edit => "記載事項の修正",
        CardRegister => "カードの登録",
        DayClose => "日次締め",
        IssueRecovered => "書き込めなかった電子証明書の失効",
        _ => action,
    };
}
