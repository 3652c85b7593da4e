using Jpki.Core.Identity;
using Jpki.Core.Time;
using Jpki.Municipality.Applications;
using Jpki.Municipality.Issuance;
using Jpki.Municipality.Proxy;
using Jpki.Municipality.Reports;
using Jpki.Municipality.Residents;
using Jpki.Municipality.Staff;
using Jpki.Municipality.Storage;
using Jpki.Municipality.Tests.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Municipality.Tests;

/// <summary>
/// A counter on a fresh SQLite file with fake card, authority, charset and office. The clock starts on Wednesday
/// 2026-06-10 at 10:00 JST.
/// </summary>
public sealed class CounterHarness : IAsyncLifetime
{
    public static readonly DateTimeOffset Start = JapanTime.At(new DateOnly(2026, 6, 10), new TimeOnly(10, 0));

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "jpki-counter-" + Guid.NewGuid().ToString("N")[..12]);

    private readonly Func<Task<ICounterStore>>? _open;

    /// <summary>A harness on a fresh SQLite file, or on the store <paramref name="open"/> gives.</summary>
    public CounterHarness(Func<Task<ICounterStore>>? open = null)
    {
        _open = open;
        Issuer = new FakeIssuer(Clock);
    }

    public FakeTimeProvider Clock { get; } = new(Start);

    public FakeIssuer Issuer { get; }

    public FakeOffice Office { get; } = new();

    public ICounterStore Store { get; private set; } = null!;

    public CounterService Counter { get; private set; } = null!;

    public ProxyService Proxy { get; private set; } = null!;

    public RegistryChangeService Changes { get; private set; } = null!;

    public ResidentRegistry Registry { get; private set; } = null!;

    public StaffAccount Clerk { get; } = StaffAccount.Clerk("clerk1");

    public StaffAccount Supervisor { get; } = StaffAccount.Supervisor("super1");

    public DateOnly Today => JapanTime.Today(Clock);

    public async Task InitializeAsync()
    {
        Store = _open is null ? CounterStores.OpenSqlite(Path.Combine(_directory, CounterStores.DefaultFileName)) : await _open();
        await Store.MigrateAsync(default);
        Counter = new CounterService(Store, Issuer, new FakeCharset(), Office, Clock);
        Proxy = new ProxyService(Store, Counter, Office, Clock);
        Changes = new RegistryChangeService(Store, Issuer, Clock);
        Registry = new ResidentRegistry(Store, Clock);
    }

    /// <summary>
    /// Closes the SQLite store and opens the same file again, as a restart after a kill does (nothing in flight is
    /// waited for); returns the reopened store. The services still point at the closed one.
    /// </summary>
    public async Task<ICounterStore> ReopenAsync()
    {
        if (_open is not null)
        {
            throw new InvalidOperationException("Reopen is for the SQLite harness.");
        }

        await Store.DisposeAsync();
        Store = CounterStores.OpenSqlite(Path.Combine(_directory, CounterStores.DefaultFileName));
        await Store.MigrateAsync(default);
        return Store;
    }

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    /// <summary>Registers a resident with a valid My Number card and returns the card.</summary>
    public async Task<FakeCard> AddResidentAsync(
        string id, string name = "山田　太郎", DateOnly? birth = null, bool guardianship = false,
        CardKind cardKind = CardKind.MyNumberCard, DateOnly? cardExpiry = null)
    {
        await Store.AddResidentsAsync([new Resident(id, name, "ヤマダ　タロウ", "東京都千代田区千代田１－１", birth ?? new DateOnly(1980, 2, 17), Sex.Male, guardianship, "H-" + id)], default);
        var info = new CardInfo("C-" + id, cardKind, cardExpiry ?? new DateOnly(2035, 2, 17));
        await Store.SaveCardAsync(new ResidentCard(info.CardId, id, info.Kind, info.ExpiresOn), default);
        return new FakeCard(info);
    }

    public static IssuanceRequest Request(string residentId, string cardPin = "1234", string? sign = "ABC123", string? auth = "5678", bool includeSign = true, bool includeAuth = true, bool identity = true, IReadOnlyDictionary<int, string>? choices = null)
        => new(residentId, identity, SecretPin.From(cardPin), sign is null ? null : SecretPin.From(sign), auth is null ? null : SecretPin.From(auth), includeSign, includeAuth, choices);

    public Task<Jpki.Core.Rules.RuleOutcome<IssuanceReceipt>> IssueAsync(FakeCard card, IssuanceRequest request) =>
        Counter.IssueAsync(Clerk, card, request, default);

    public Task<IReadOnlyList<JournalEntry>> JournalAsync() =>
        Store.ListJournalAsync(DateTimeOffset.MinValue.AddDays(1), DateTimeOffset.MaxValue.AddDays(-1), default);
}
