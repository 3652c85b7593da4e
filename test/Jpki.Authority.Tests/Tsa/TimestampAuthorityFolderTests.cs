using System.Collections.Concurrent;
using Jpki.Authority.Ca;
using Jpki.Authority.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Authority.Tests.Tsa;

/// <summary>The TSA of a data folder: created with the authority, serials unique across two runtimes on one folder and across restarts.</summary>
public sealed class TimestampAuthorityFolderTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 3, 0, 0, TimeSpan.Zero));

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task TwoRuntimesOnOneFolder_ThenRestart_SerialsNeverRepeatAndEveryTokenIsAudited()
    {
        await AuthorityFolder.InitializeAsync(_dir.Path, new AuthoritySettings { TestNames = true }, _clock, "test", CancellationToken.None);
        File.WriteAllText(_dir.File("doc.txt"), "doc");
        var query = OpenSsl.Run("ts", "-query", "-data", _dir.File("doc.txt"), "-cert", "-out", _dir.File("q.tsq"));
        Assert.Equal(0, query.ExitCode);
        var request = File.ReadAllBytes(_dir.File("q.tsq"));
        var serials = new ConcurrentBag<long>();

        var first = await AuthorityFolder.OpenAsync(_dir.Path, _clock, CancellationToken.None);
        var second = await AuthorityFolder.OpenAsync(_dir.Path, _clock, CancellationToken.None);
        await using (first)
        await using (second)
        {
            Assert.Equal(first.Timestamps!.Certificate.Thumbprint, second.Timestamps!.Certificate.Thumbprint);
            await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
            {
                var answer = await (i % 2 == 0 ? first : second).Timestamps!.RespondAsync(request, CancellationToken.None);
                Assert.True(answer.Granted, answer.Message);
                serials.Add(answer.Serial!.Value);
            }));
        }

        await using (var restarted = await AuthorityFolder.OpenAsync(_dir.Path, _clock, CancellationToken.None))
        {
            for (var i = 0; i < 5; i++)
            {
                serials.Add((await restarted.Timestamps!.RespondAsync(request, CancellationToken.None)).Serial!.Value);
            }

            var audit = await restarted.Audit.VerifyAsync(CancellationToken.None);
            Assert.True(audit.IsIntact);
        }

        Assert.Equal(45, serials.Distinct().Count());
    }

    [Fact]
    public async Task FolderFromBeforeTheTsa_OpenedTwiceAtOnce_OneTsaIsCreated()
    {
        await AuthorityFolder.InitializeAsync(_dir.Path, new AuthoritySettings { TestNames = true }, _clock, "test", CancellationToken.None);
        Directory.Delete(Path.Combine(AuthorityFolder.PathOf(_dir.Path), "tsa"), recursive: true);

        var opened = await Task.WhenAll(AuthorityFolder.OpenAsync(_dir.Path, _clock, CancellationToken.None), AuthorityFolder.OpenAsync(_dir.Path, _clock, CancellationToken.None));
        try
        {
            Assert.Equal(opened[0].Timestamps!.Certificate.Thumbprint, opened[1].Timestamps!.Certificate.Thumbprint);
            Assert.True(File.Exists(AuthorityFolder.TsaRootPath(_dir.Path)));
            Assert.Empty(Directory.GetDirectories(AuthorityFolder.PathOf(_dir.Path), ".tsa-*"));
        }
        finally
        {
            await opened[0].DisposeAsync();
            await opened[1].DisposeAsync();
        }
    }
}
