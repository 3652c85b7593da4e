using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Core.Identity;
using Jpki.Verification.Login;
using Jpki.Verification.PostgreSql;
using Jpki.Verification.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Jpki.Verification.Tests.Login;

/// <summary>
/// The PostgreSQL nonce store against a real PostgreSQL 15: two relying-party processes (two verifiers, two data
/// sources) on one database — a nonce issued by one is answered at the other, exactly once, and not after its lifetime.
/// </summary>
[Trait("Category", "Security")]
public sealed class PostgresChallengeStoreTests : IClassFixture<PostgresServer>, IAsyncLifetime
{
    private const string Origin = "https://login.example.jp";
    private const string Session = "browser-session";

    private readonly PostgresServer _postgres;
    private readonly FakeTimeProvider _clock = new(TestPki.Now);
    private NpgsqlDataSource _first = null!;
    private NpgsqlDataSource _second = null!;

    public PostgresChallengeStoreTests(PostgresServer postgres) => _postgres = postgres;

    public async Task InitializeAsync()
    {
        var connection = await _postgres.CreateSchemaAsync();
        _first = NpgsqlDataSource.Create(connection);
        _second = NpgsqlDataSource.Create(connection);
        await new PostgresChallengeStore(_first).MigrateAsync();
        await new PostgresChallengeStore(_second).MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
    }

    private LoginVerifier Verifier(NpgsqlDataSource source)
        => new(Verifiers.Create(), new PostgresChallengeStore(source), _clock, options: new LoginOptions { Origins = [Origin] });

    private static LoginToken CardToken(string nonce)
    {
        var certificate = TestPki.Issue(new TestPki.Ee { Kind = CertificateKind.Authentication, Serial = 0x3003 });
        var signature = TestPki.SubjectKey.SignData(LoginOrigin.SignedData(Origin, nonce), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return new LoginToken(Origin, nonce, certificate.RawData, signature);
    }

    [Fact]
    public async Task IssuedByOneProcess_AnsweredAtTheOther_ThenReplayRefusedAtBoth()
    {
        var a = Verifier(_first);
        var b = Verifier(_second);
        var nonce = await a.IssueChallengeAsync(Session);
        var token = CardToken(nonce.Id);

        var atB = await b.VerifyTokenAsync(token, Session);
        var replayAtA = await a.VerifyTokenAsync(token, Session);
        var replayAtB = await b.VerifyTokenAsync(token, Session);

        Assert.Equal(VerdictCode.Valid, atB.Verdict.Code);
        Assert.Equal(VerdictCode.ChallengeRejected, replayAtA.Verdict.Code);
        Assert.Equal(VerdictCode.ChallengeRejected, replayAtB.Verdict.Code);
    }

    [Fact]
    public async Task SessionAndLifetime_KeptAcrossProcesses()
    {
        var a = Verifier(_first);
        var b = Verifier(_second);
        var foreign = await a.IssueChallengeAsync("another-browser");
        var late = await a.IssueChallengeAsync(Session);

        var wrongSession = await b.VerifyTokenAsync(CardToken(foreign.Id), Session);
        _clock.Advance(TimeSpan.FromSeconds(121));
        var expired = await b.VerifyTokenAsync(CardToken(late.Id), Session);

        Assert.Equal(VerdictCode.WrongSession, wrongSession.Verdict.Code);
        Assert.Equal(VerdictCode.ChallengeExpired, expired.Verdict.Code);
    }

    [Fact]
    public async Task SixteenConcurrentAnswersFromTwoProcesses_ExactlyOneAccepted()
    {
        var verifiers = new[] { Verifier(_first), Verifier(_second) };
        var nonce = await verifiers[0].IssueChallengeAsync(Session);
        var token = CardToken(nonce.Id);

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => verifiers[i % 2].VerifyTokenAsync(token, Session))));

        Assert.Equal(1, results.Count(r => r.IsValid));
        Assert.All(results.Where(r => !r.IsValid), r => Assert.Equal(VerdictCode.ChallengeRejected, r.Verdict.Code));
    }

    [Fact]
    public async Task TryAddAsync_ExpiredRowsDeletedByLaterAdds()
    {
        var store = new PostgresChallengeStore(_first);
        for (var i = 0; i < 10; i++)
        {
            Assert.True(await store.TryAddAsync(new LoginChallenge($"old{i}", new byte[32], TestPki.Now, TestPki.Now.AddSeconds(120)), default));
        }

        Assert.False(await store.TryAddAsync(new LoginChallenge("old0", new byte[32], TestPki.Now, TestPki.Now.AddSeconds(120)), default));
        await store.TryAddAsync(new LoginChallenge("new", new byte[32], TestPki.Now.AddMinutes(5), TestPki.Now.AddMinutes(7)), default);

        await using var count = _first.CreateCommand("SELECT count(*) FROM jpki_login_challenges");
        Assert.Equal(1L, (long)(await count.ExecuteScalarAsync())!);
    }
}
