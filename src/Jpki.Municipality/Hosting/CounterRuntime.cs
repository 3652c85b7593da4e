using Jpki.Authority.Ca;
using Jpki.Core.Identity;
using Jpki.Municipality.Applications;
using Jpki.Municipality.Cards;
using Jpki.Municipality.Issuance;
using Jpki.Municipality.Proxy;
using Jpki.Municipality.Reports;
using Jpki.Municipality.Residents;
using Jpki.Municipality.Storage;

namespace Jpki.Municipality.Hosting;

/// <summary>
/// Everything the municipal counter needs, opened from a data folder: the counter store (SQLite <c>counter.db</c> or
/// PostgreSQL), the authority (opened from the same folder, or shared with the server), the real charset mapper and
/// office calendar, the card source (virtual card files and PC/SC readers), and the services built on them. Dispose it
/// to close what it opened (never an authority it was given).
/// </summary>
public sealed class CounterRuntime : IAsyncDisposable
{
    private readonly AuthorityRuntime? _ownedAuthority;
    private int _disposed;

    private CounterRuntime(CounterRuntimeOptions options, TimeProvider clock, ICounterStore store, AuthorityRuntime authority, bool ownsAuthority, byte[] masterKey)
    {
        Options = options;
        Clock = clock;
        Store = store;
        Authority = authority;
        _ownedAuthority = ownsAuthority ? authority : null;
        Issuer = new AuthorityCertificateIssuer(authority.Authority, options.Prefecture, options.Municipality, options.AuthorityActor);
        Charset = new JpkiCharsetMapper();
        Office = options.AlwaysOpen ? new AlwaysOpenHours() : new OfficeCalendarHours(new Jpki.Core.Office.OfficeCalendar(options.OfficeHours));
        Counter = new CounterService(store, Issuer, Charset, Office, clock);
        Proxy = new ProxyService(store, Counter, Office, clock);
        Changes = new RegistryChangeService(store, Issuer, clock);
        Residents = new ResidentRegistry(store, clock);
        Journal = new CounterJournal(store, clock);
        Reports = new DailyReportBuilder(store);

        byte[]? Ca(CertificateKind kind) => authority.Authority.CaOf(kind).CertificateDer.Clone() as byte[];
        var folders = options.CardFolders ?? [options.DefaultCardFolder];
        var virtualCards = new VirtualCardSource(folders, masterKey, Ca);
        var readers = options.UsePcsc ? new PcscCardSource(masterKey, LookupCardAsync, Ca) : null;
        Cards = new CompositeCardSource(virtualCards, readers);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(masterKey);
    }

    /// <summary>The settings.</summary>
    public CounterRuntimeOptions Options { get; }

    /// <summary>The only clock.</summary>
    public TimeProvider Clock { get; }

    /// <summary>The counter's database.</summary>
    public ICounterStore Store { get; }

    /// <summary>The authority the counter issues and revokes through.</summary>
    public AuthorityRuntime Authority { get; }

    /// <summary>The issuer port over the authority.</summary>
    public ICertificateIssuer Issuer { get; }

    /// <summary>The JPKI character set mapper.</summary>
    public ICharsetMapper Charset { get; }

    /// <summary>The office calendar.</summary>
    public IOfficeHours Office { get; }

    /// <summary>In-person issuance, renewal, re-issuance, PIN reset, revocation on request.</summary>
    public CounterService Counter { get; }

    /// <summary>Proxy applications (visit 1 with the 照会書, visit 2).</summary>
    public ProxyService Proxy { get; }

    /// <summary>Registry changes that revoke, and their durable revocation tasks.</summary>
    public RegistryChangeService Changes { get; }

    /// <summary>The resident register: CSV import, edits, card registration.</summary>
    public ResidentRegistry Residents { get; }

    /// <summary>The journal.</summary>
    public CounterJournal Journal { get; }

    /// <summary>The daily report.</summary>
    public DailyReportBuilder Reports { get; }

    /// <summary>Cards: virtual card files and PC/SC readers.</summary>
    public CompositeCardSource Cards { get; }

    /// <summary>
    /// Opens the runtime. With <paramref name="authority"/> (the server's, so that its OCSP cache hears of the
    /// counter's revocations at once) the runtime uses it and does not dispose it; without, it opens the data folder's
    /// authority itself (initialising a test-environment one when <see cref="CounterRuntimeOptions.InitializeAuthority"/>).
    /// The counter store is migrated.
    /// </summary>
    /// <exception cref="InvalidOperationException">No authority in the data folder and initialisation is off.</exception>
    public static async Task<CounterRuntime> OpenAsync(CounterRuntimeOptions options, TimeProvider clock, AuthorityRuntime? authority, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.DataDirectory, nameof(options));
        Directory.CreateDirectory(options.DataDirectory);
        options = CounterSettingsFile.ApplyTo(options);
        var masterKey = options.CardMasterKeyFile is null ? CardMasterKey.Development() : CardMasterKey.Read(options.CardMasterKeyFile);
        var store = options.PostgresConnectionString is null
            ? CounterStores.OpenSqlite(Path.Combine(options.DataDirectory, CounterStores.DefaultFileName))
            : CounterStores.OpenPostgres(options.PostgresConnectionString);
        AuthorityRuntime? opened = null;
        try
        {
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
            if (authority is null)
            {
                if (!AuthorityFolder.IsInitialized(options.DataDirectory))
                {
                    if (!options.InitializeAuthority)
                    {
                        throw new InvalidOperationException($"{options.DataDirectory} holds no authority: run `jpki authority init` or `jpki serve` first.");
                    }

                    await AuthorityFolder.InitializeAsync(
                        options.DataDirectory,
                        new AuthoritySettings { TestNames = true, PublicBaseUrl = options.PublicBaseUrl, OpenSignatureRevocationData = true },
                        clock, "system:counter", cancellationToken).ConfigureAwait(false);
                }

                opened = await AuthorityFolder.OpenAsync(options.DataDirectory, clock, cancellationToken).ConfigureAwait(false);
            }

            return new CounterRuntime(options, clock, store, authority ?? opened!, opened is not null, masterKey);
        }
        catch
        {
            if (opened is not null)
            {
                await opened.DisposeAsync().ConfigureAwait(false);
            }

            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Carries out pending revocation tasks (registry changes whose authority call failed) until
    /// <paramref name="cancellationToken"/> is cancelled: a round at once, then every
    /// <see cref="CounterRuntimeOptions.RevocationRetryInterval"/> (on <see cref="Clock"/>). A failing round is reported
    /// to <paramref name="onError"/> and retried next time; the loop never ends on an error.
    /// </summary>
    /// <param name="onRound">Called after each round with the number of tasks still pending (may be null).</param>
    /// <param name="onError">Called with an exception of a failed round (may be null).</param>
    /// <param name="cancellationToken">Stops the loop.</param>
    public async Task RunPendingRevocationsAsync(Action<int>? onRound, Action<Exception>? onError, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var left = await Changes.RetryPendingAsync(cancellationToken).ConfigureAwait(false);
                onRound?.Invoke(left);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // the loop must survive any failure of one round (database or authority down)
            catch (Exception e)
#pragma warning restore CA1031
            {
                onError?.Invoke(e);
            }

            try
            {
                await Task.Delay(Options.RevocationRetryInterval, Clock, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Opens a virtual card file at any path (the CLI's <c>--card FILE</c>).</summary>
    public CardCounterCard OpenCardFile(string path) => Cards.VirtualCards.OpenFile(path);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await Store.DisposeAsync().ConfigureAwait(false);
        if (_ownedAuthority is not null)
        {
            await _ownedAuthority.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<CardInfo?> LookupCardAsync(string serial, CancellationToken cancellationToken)
    {
        var card = await Store.FindCardAsync(serial, cancellationToken).ConfigureAwait(false)
            ?? await Store.FindCardAsync(serial.TrimStart('0'), cancellationToken).ConfigureAwait(false);
        return card is null ? null : new CardInfo(card.CardId, card.Kind, card.ExpiresOn);
    }
}
