using Jpki.Core.Storage;
using System.Collections.Concurrent;
using Jpki.Core.Identity;
using Jpki.Municipality.Applications;
using Jpki.Municipality.Cards;
using Jpki.Municipality.Issuance;
using Jpki.Municipality.Proxy;
using Jpki.Municipality.Reports;
using Jpki.Municipality.Residents;
using Jpki.Municipality.Storage;
using Microsoft.Extensions.Logging;

namespace Jpki.Municipality.Hosting;

/// <summary>
/// Everything the municipal counter needs, opened from a data folder: the counter store (SQLite <c>counter.db</c> or
/// PostgreSQL), the real charset mapper and office calendar, the card source (virtual card files and PC/SC readers),
/// and the services built on them — over an <see cref="ICertificateIssuer"/> the composition root chooses (an
/// in-process authority, or a remote one over the authority API). Dispose it to close the store; the issuer is the
/// caller's.
/// </summary>
public sealed class CounterRuntime : IAsyncDisposable
{
    private readonly ConcurrentDictionary<CertificateKind, byte[]> _caCertificates = new();
    private readonly DeferredLogger _logger = new();
    private readonly DeferredLogger _cardLogger = new();
    private int _disposed;

    private CounterRuntime(CounterRuntimeOptions options, TimeProvider clock, ICounterStore store, ICertificateIssuer issuer, byte[] masterKey)
    {
        Options = options;
        Clock = clock;
        Store = store;
        Issuer = issuer;
        Charset = new JpkiCharsetMapper();
        Office = options.AlwaysOpen ? new AlwaysOpenHours() : new OfficeCalendarHours(new Jpki.Core.Office.OfficeCalendar(options.OfficeHours));
        if (options.CardFolders is null)
        {
            // The counter's own card folder: virtual cards hold keys and My Numbers (docs/security.md, "Files").
            PrivateFiles.CreateFolder(options.DefaultCardFolder);
        }

        var folders = options.CardFolders ?? [options.DefaultCardFolder];
        var virtualCards = new VirtualCardSource(folders, masterKey, Ca, _cardLogger);
        var readers = options.UsePcsc ? new PcscCardSource(masterKey, LookupCardAsync, Ca) : null;
        Cards = new CompositeCardSource(virtualCards, readers);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(masterKey);

        Recovery = new IssuanceRecovery(store, Issuer, clock, _logger) { Grace = options.IssuanceRecoveryGrace, Cards = Cards };
        Counter = new CounterService(store, Issuer, Charset, Office, clock, new MunicipalityNames(options.Prefecture, options.Municipality), Recovery, _logger)
        {
            StepHook = options.IssuanceStepHook,
        };
        Proxy = new ProxyService(store, Counter, Office, clock, _logger);
        Changes = new RegistryChangeService(store, Issuer, clock, _logger);
        Residents = new ResidentRegistry(store, clock, _logger);
        Journal = new CounterJournal(store, clock, _logger);
        Reports = new DailyReportBuilder(store);
    }

    /// <summary>The settings.</summary>
    public CounterRuntimeOptions Options { get; }

    /// <summary>True when the cards are reached with the public development card-management key (sandbox mode).</summary>
    public bool UsesDevelopmentCardKey => Options.CardMasterKeyFile is null;

    /// <summary>The only clock.</summary>
    public TimeProvider Clock { get; }

    /// <summary>The counter's database.</summary>
    public ICounterStore Store { get; }

    /// <summary>The authority, in the contract's terms (in-process or remote).</summary>
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

    /// <summary>Resolves issuances that stopped half-way (card write failed, process killed); shared with <see cref="Counter"/>.</summary>
    public IssuanceRecovery Recovery { get; }

    /// <summary>The resident register: CSV import, edits, card registration.</summary>
    public ResidentRegistry Residents { get; }

    /// <summary>The journal.</summary>
    public CounterJournal Journal { get; }

    /// <summary>The daily report.</summary>
    public DailyReportBuilder Reports { get; }

    /// <summary>Cards: virtual card files and PC/SC readers.</summary>
    public CompositeCardSource Cards { get; }

    /// <summary>
    /// Sends the counter's workflow logs (events 3110–3120, category <c>Jpki.Municipality.Counter</c>) and its virtual
    /// cards' PIN lock-outs (2101–2106, <c>Jpki.Card</c>) to <paramref name="loggers"/>: a host's, once it exists. Until
    /// called the runtime logs nowhere.
    /// </summary>
    public void UseLogging(ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        _logger.Use(loggers.CreateLogger("Jpki.Municipality.Counter"));
        _cardLogger.Use(loggers.CreateLogger("Jpki.Card"));
    }

    /// <summary>
    /// Opens the runtime over <paramref name="issuer"/> (the caller keeps it) and migrates the counter store. The CA
    /// certificates written onto cards are fetched from the issuer now when it answers, else at the first card opened.
    /// </summary>
    public static async Task<CounterRuntime> OpenAsync(CounterRuntimeOptions options, TimeProvider clock, ICertificateIssuer issuer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.DataDirectory, nameof(options));
        PrivateFiles.CreateFolder(options.DataDirectory);
        options = CounterSettingsFile.ApplyTo(options);
        var masterKey = options.CardMasterKeyFile is not null ? CardMasterKey.Read(options.CardMasterKeyFile)
            : options.UseDevelopmentCardKey ? CardMasterKey.Development()
            : throw new InvalidDataException("No card-management master key: set CardMasterKeyFile (jpki serve --card-master-key-file FILE, $JPKI_CARD_MASTER_KEY_FILE); the public development key is for sandbox mode only.");
        var store = options.PostgresConnectionString is null
            ? CounterStores.OpenSqlite(Path.Combine(options.DataDirectory, CounterStores.DefaultFileName))
            : CounterStores.OpenPostgres(options.PostgresConnectionString);
        try
        {
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
            var runtime = new CounterRuntime(options, clock, store, issuer, masterKey);
            await runtime.TryLoadCaCertificatesAsync(cancellationToken).ConfigureAwait(false);
            return runtime;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Carries out pending revocation tasks (registry changes whose authority call failed) and resolves issuances that
    /// stopped half-way and are untouched for <see cref="CounterRuntimeOptions.IssuanceRecoveryGrace"/> (their certificates
    /// revoked, <see cref="IssuanceRecovery"/>) until
    /// <paramref name="cancellationToken"/> is cancelled: a round at once, then every
    /// <see cref="CounterRuntimeOptions.RevocationRetryInterval"/> (on <see cref="Clock"/>). A failing round is reported
    /// to <paramref name="onError"/> and retried next time; the loop never ends on an error.
    /// </summary>
    /// <param name="onRound">Called after each round with the number of tasks and issuances still pending (may be null).</param>
    /// <param name="onError">Called with an exception of a failed round (may be null).</param>
    /// <param name="cancellationToken">Stops the loop.</param>
    public async Task RunPendingRevocationsAsync(Action<int>? onRound, Action<Exception>? onError, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var left = await Changes.RetryPendingAsync(cancellationToken).ConfigureAwait(false)
                    + await Recovery.ResolveStaleAsync(cancellationToken).ConfigureAwait(false);
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
    }

    private async Task TryLoadCaCertificatesAsync(CancellationToken cancellationToken)
    {
        foreach (var kind in new[] { CertificateKind.Signature, CertificateKind.Authentication })
        {
            try
            {
                _caCertificates[kind] = await Issuer.GetCaCertificateAsync(kind, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException)
            {
                // A remote authority that is not up yet: fetched again when the first card is opened.
            }
        }
    }

    /// <summary>
    /// The CA certificate written next to an issued certificate. A card is never written without it: when the authority
    /// cannot be asked, opening the card fails with <c>authority-unreachable</c>.
    /// </summary>
    private byte[] Ca(CertificateKind kind)
    {
        if (_caCertificates.TryGetValue(kind, out var der))
        {
            return der;
        }

        try
        {
            // The card sources ask synchronously, once per kind and process; the answer is cached.
            der = Issuer.GetCaCertificateAsync(kind, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (HttpRequestException e)
        {
            throw new CounterCardException("authority-unreachable", "The authority did not answer for its CA certificate; the card cannot be prepared now.", e);
        }

        return _caCertificates.GetOrAdd(kind, der);
    }

    private async Task<CardInfo?> LookupCardAsync(string serial, CancellationToken cancellationToken)
    {
        var card = await Store.FindCardAsync(serial, cancellationToken).ConfigureAwait(false)
            ?? await Store.FindCardAsync(serial.TrimStart('0'), cancellationToken).ConfigureAwait(false);
        return card is null ? null : new CardInfo(card.CardId, card.Kind, card.ExpiresOn);
    }
}
