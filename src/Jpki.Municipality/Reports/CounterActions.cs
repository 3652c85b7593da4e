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

    /// <summary>The daily close (日次締め) by a supervisor.</summary>
    public const string DayClose = "day.close";
}
