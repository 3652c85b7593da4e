using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Jpki.Card.Client;
using Jpki.Card.Issuer;
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

namespace Jpki.Benchmarks;

/// <summary>
/// A full in-person issuance at the counter, end to end, as <c>jpki counter issue</c> does it: the counter runtime on a
/// data folder (SQLite counter.db, the embedded software-key authority with its SQLite registry), a fresh delivered
/// virtual card file per operation opened through the card source, card PIN VERIFY, two RSA-2048 key pairs generated
/// ON THE CARD, both certificates signed and registered, certificate + CA EFs written, PINs set, journal written.
/// Every file write is fsynced (card file, SQLite synchronous=FULL).
/// </summary>
/// <remarks>
/// In process (no generated project to build: on the shared, loaded machine that build alone timed out), 2 warm-up and
/// 10 measured iterations of one operation each.
/// </remarks>
[Config(typeof(CounterIssuanceConfig))]
public class CounterIssuanceBenchmarks
{
    private readonly StaffAccount _clerk = StaffAccount.Clerk("bench");
    private string _directory = "";
    private Jpki.Server.Composition.LocalCounter? _local;
    private CounterRuntime? _runtime;
    private int _next;
    private string _cardId = "";
    private string _residentId = "";

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("jpki-bench-counter-").FullName;
        _local = Jpki.Server.Composition.CounterComposition.OpenLocalAsync(
            new CounterRuntimeOptions { DataDirectory = _directory, UsePcsc = false, UseDevelopmentCardKey = true }, new OfficeClock(), initializeTestAuthority: true, "http://127.0.0.1:8080", CancellationToken.None).GetAwaiter().GetResult();
        _runtime = _local.Runtime;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _local!.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>A new resident and their delivered card (card PIN set, JPKI-AP blank) — not measured.</summary>
    [IterationSetup]
    public void NewResidentAndCard()
    {
        _next++;
        _residentId = "B" + _next.ToString(CultureInfo.InvariantCulture);
        var number = "OJB" + _next.ToString("D13", CultureInfo.InvariantCulture);
        var store = _runtime!.Store;
        store.AddResidentsAsync([new Resident(_residentId, "山田　太郎", "ヤマダ　タロウ", "東京都千代田区千代田１－１", new DateOnly(1980, 2, 17), Sex.Male, false, "H")], default).GetAwaiter().GetResult();
        store.SaveCardAsync(new ResidentCard(number, _residentId, CardKind.MyNumberCard, new DateOnly(2035, 2, 17)), default).GetAwaiter().GetResult();
        Directory.CreateDirectory(_runtime.Options.DefaultCardFolder);
        var file = _residentId + ".jpkicard";
        using (var key = CardManagementKey.Derive(CardMasterKey.Development(), number))
        using (var card = VirtualCard.Create(Path.Combine(_runtime.Options.DefaultCardFolder, file), new VirtualCardSpec(number, _residentId, CardKind.MyNumberCard, new DateOnly(2035, 2, 17)), key))
        using (var transport = new InProcessTransport(card))
        {
            new CardIssuerClient(new JpkiCardClient(transport), key, number).SetPin(PinKind.CardPin, "1234");
        }

        _cardId = "file:" + file;
    }

    [Benchmark(Description = "in-person issuance, both certificates, keys generated on a virtual card")]
    public async Task<int> IssueBoth()
    {
        using var card = await _runtime!.Cards.OpenAsync(_cardId, default).ConfigureAwait(false);
        var outcome = await _runtime.Counter.IssueAsync(
            _clerk, card, new IssuanceRequest(_residentId, true, SecretPin.From("1234"), SecretPin.From("ABC123"), SecretPin.From("5678")), default).ConfigureAwait(false);
        return outcome.IsAllowed ? outcome.Value!.Certificates.Count : throw new InvalidOperationException(outcome.Code);
    }

    private sealed class CounterIssuanceConfig : ManualConfig
    {
        public CounterIssuanceConfig() => AddJob(Job.Dry
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(10).WithInvocationCount(1).WithUnrollFactor(1)
            .WithStrategy(RunStrategy.Monitoring));
    }

    /// <summary>Wednesday 2026-06-10 10:00 JST, always: the office is open.</summary>
    private sealed class OfficeClock : TimeProvider
    {
        private static readonly DateTimeOffset Now = JapanTime.At(new DateOnly(2026, 6, 10), new TimeOnly(10, 0));

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
