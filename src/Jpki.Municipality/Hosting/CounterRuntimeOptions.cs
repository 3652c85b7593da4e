namespace Jpki.Municipality.Hosting;

/// <summary>Settings of the counter runtime: where its data lives and who the municipality is.</summary>
public sealed record CounterRuntimeOptions
{
    /// <summary>The counter's data folder (<c>counter.db</c>, <c>cards/</c>); in one-process deployments shared with the authority (<c>authority/</c>).</summary>
    public required string DataDirectory { get; init; }

    /// <summary>A PostgreSQL connection string for the counter store; null (default) = SQLite <c>counter.db</c> in the data folder.</summary>
    public string? PostgresConnectionString { get; init; }

    /// <summary>Romanised prefecture for the signature certificate's subject DN. Default <c>Tokyo-to</c> (the embedded demo).</summary>
    public string Prefecture { get; init; } = "Tokyo-to";

    /// <summary>Romanised municipality for the signature certificate's subject DN. Default <c>Chiyoda-ku</c> (the embedded demo).</summary>
    public string Municipality { get; init; } = "Chiyoda-ku";

    /// <summary>Folders holding virtual card files; default <c>&lt;data&gt;/cards</c>.</summary>
    public IReadOnlyList<string>? CardFolders { get; init; }

    /// <summary>List and open cards in PC/SC readers too. Default true (no readers when pcscd is not running).</summary>
    public bool UsePcsc { get; init; } = true;

    /// <summary>
    /// File with the card-management master key (64+ hex characters or 32+ raw bytes). Without it the runtime refuses
    /// to open, unless <see cref="UseDevelopmentCardKey"/> is set.
    /// </summary>
    public string? CardMasterKeyFile { get; init; }

    /// <summary>
    /// Without <see cref="CardMasterKeyFile"/>: use the PUBLIC development key (<c>jpki card new</c>'s default; sandbox
    /// mode — cards issued with it are for testing only). Default false: no silent insecure default.
    /// </summary>
    public bool UseDevelopmentCardKey { get; init; }

    /// <summary>How long <see cref="CounterRuntime.RunPendingRevocationsAsync"/> waits between rounds. Default 30 s.</summary>
    public TimeSpan RevocationRetryInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long an issuance that stopped half-way must be untouched before the background worker resolves it (revokes its
    /// certificate): long enough for any issuance in progress in another process to finish. Default 2 minutes. The next
    /// issuance for the same resident resolves it at once.
    /// </summary>
    public TimeSpan IssuanceRecoveryGrace { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>This municipality's office hours and calendar. Default 08:30–17:00 on working days (national holidays and 29 Dec–3 Jan closed).</summary>
    public Jpki.Core.Office.OfficeHoursOptions OfficeHours { get; init; } = Jpki.Core.Office.OfficeHoursOptions.Default;

    /// <summary>
    /// Sandbox only: accept applications at any hour on any day (<see cref="Issuance.AlwaysOpenHours"/>), so a developer
    /// can use the counter in the evening. Default false. Set by <c>counter.json</c> (<c>sandbox.alwaysOpen</c>) or
    /// <c>JPKI_COUNTER_ALWAYS_OPEN=1</c>.
    /// </summary>
    public bool AlwaysOpen { get; init; }

    /// <summary>
    /// Test seam: awaited at each <see cref="Applications.IssuanceStep"/> of every certificate's issue-then-write-card
    /// workflow, with the certificate's kind. Null (default) in every deployment. Tests stop an issuance there (an
    /// <see cref="OperationCanceledException"/> unwinds it with no clean-up, as a killed process would; a pause lets another
    /// process SIGKILL this one) to check that recovery decides right at each point.
    /// </summary>
    public Func<Applications.IssuanceStep, Jpki.Core.Identity.CertificateKind, CancellationToken, Task>? IssuanceStepHook { get; init; }

    /// <summary>The folder of virtual card files used by default.</summary>
    public string DefaultCardFolder => Path.Combine(DataDirectory, "cards");
}
