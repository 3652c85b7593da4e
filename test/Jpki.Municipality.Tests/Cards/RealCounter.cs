using Jpki.Card.Client;
using Jpki.Card.Issuer;
using Jpki.Card.Profiles;
using Jpki.Card.Transport;
using Jpki.Card.Virtual;
using Jpki.Core.Identity;
using Jpki.Core.Pins;
using Jpki.Core.Time;
using Jpki.Municipality.Applications;
using Jpki.Municipality.Cards;
using Jpki.Municipality.Hosting;
using Jpki.Municipality.Issuance;
using Jpki.Municipality.Residents;
using Jpki.Municipality.Staff;
using Jpki.Server.Composition;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Municipality.Tests.Cards;

/// <summary>
/// The real counter runtime on a temp data folder (test-environment authority initialised in it, SQLite stores) with
/// virtual card files in <c>cards/</c>. The clock starts on Wednesday 2026-06-10 at 10:00 JST.
/// </summary>
public sealed class RealCounter : IAsyncLifetime
{
    public const string CardPin = "1234";

    public RealCounter(string? postgres = null, bool nextGeneration = false)
    {
        Postgres = postgres;
        NextGeneration = nextGeneration;
    }

    public string? Postgres { get; }

    /// <summary>A next-generation authority (P-384 CAs) and next-generation card files (JPKI-REFERENCE §14).</summary>
    public bool NextGeneration { get; }

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "jpki-counter-real-" + Guid.NewGuid().ToString("N")[..12]);

    public FakeTimeProvider Clock { get; } = new(CounterHarness.Start);

    public CounterRuntime Runtime => _local!.Runtime;

    /// <summary>The data folder's authority the counter issues through (in process).</summary>
    public Jpki.Authority.Ca.AuthorityRuntime Authority => _local!.Authority;

    public StaffAccount Clerk { get; } = StaffAccount.Clerk("clerk1");

    public string CardFolder => Path.Combine(DataDirectory, "cards");

    /// <summary>
    /// The expiry of the residents' cards: 2035-02-17 for today's card; for the next generation the card rule of §14
    /// for a card issued on the clock's first day to a holder born 1980-02-17 (10th birthday + 1 month, 2036-03-17).
    /// </summary>
    public DateOnly CardExpiry => NextGeneration
        ? Jpki.Core.Rules.CardValidity.Compute(new DateOnly(1980, 2, 17), new DateOnly(2026, 5, 1), new DateOnly(2026, 6, 10), CardGeneration.NextGeneration).ExpiresOn
        : new DateOnly(2035, 2, 17);

    private LocalCounter? _local;

    public async Task InitializeAsync()
    {
        if (NextGeneration)
        {
            await Jpki.Authority.Ca.AuthorityFolder.InitializeAsync(
                DataDirectory,
                new Jpki.Authority.Ca.AuthoritySettings { TestNames = true, PublicBaseUrl = "http://127.0.0.1:8080", OpenSignatureRevocationData = true, Profile = Jpki.Authority.Ca.AuthoritySettings.ProfileNextGeneration },
                Clock, "system:counter", default);
        }

        _local = await CounterComposition.OpenLocalAsync(
            new CounterRuntimeOptions { DataDirectory = DataDirectory, UsePcsc = false, PostgresConnectionString = Postgres, UseDevelopmentCardKey = true }, Clock, initializeTestAuthority: true, "http://127.0.0.1:8080", default);
    }

    public async Task DisposeAsync()
    {
        await _local!.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    /// <summary>
    /// Registers resident <paramref name="id"/> (born 1980-02-17) and creates their card file <c>&lt;id&gt;.jpkicard</c>
    /// as delivered: blank JPKI-AP, card PIN set. Returns the card id for the card source.
    /// </summary>
    public async Task<string> AddResidentWithCardAsync(string id, string name = "山田　太郎")
    {
        await Runtime.Store.AddResidentsAsync([new Resident(id, name, "ヤマダ　タロウ", "東京都千代田区千代田１－１", new DateOnly(1980, 2, 17), Sex.Male, false, "H-" + id)], default);
        var number = "OJT" + id.PadLeft(13, '0');
        await Runtime.Store.SaveCardAsync(new ResidentCard(number, id, CardKind.MyNumberCard, CardExpiry), default);
        CreateCardFile(Path.Combine(CardFolder, id + ".jpkicard"), number, id, NextGeneration ? CardProfile.NextGeneration : null, CardExpiry);
        return "file:" + id + ".jpkicard";
    }

    public static void CreateCardFile(string path, string number, string holder, CardProfile? profile = null, DateOnly? expiry = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var key = CardManagementKey.Derive(CardMasterKey.Development(), number);
        using var card = VirtualCard.Create(path, new VirtualCardSpec(number, holder, CardKind.MyNumberCard, expiry ?? new DateOnly(2035, 2, 17)) { Profile = profile }, key);
        using var transport = new InProcessTransport(card);
        new CardIssuerClient(new JpkiCardClient(transport), key, number).SetPin(PinKind.CardPin, CardPin);
    }

    /// <summary>Sets the PUK on resident <paramref name="id"/>'s next-generation card file, as J-LIS would when it makes the card.</summary>
    public void SetPuk(string id, string puk)
    {
        var number = "OJT" + id.PadLeft(13, '0');
        using var key = CardManagementKey.Derive(CardMasterKey.Development(), number);
        using var card = VirtualCard.Open(Path.Combine(CardFolder, id + ".jpkicard"));
        using var transport = new InProcessTransport(card);
        new CardIssuerClient(new JpkiCardClient(transport), key, number).SetPuk(puk);
    }

    public static IssuanceRequest Request(string residentId, string cardPin = CardPin) =>
        new(residentId, true, SecretPin.From(cardPin), SecretPin.From("ABC123"), SecretPin.From("5678"), true, true, null);

    public DateOnly Today => JapanTime.Today(Clock);
}
