using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Cli.Tests.Commands.Authority;

/// <summary>
/// <c>jpki authority backup|restore</c> (docs/operations.md): the disaster case — a backup, then more issuances,
/// revocations and CRLs, the folder lost, the backup restored. openssl is the judge of the CRL numbers (a relying party
/// must never see one again or going back); <c>audit verify</c> of the restored chain and registry; the revocation made
/// after the backup comes back from the published CRL. Damaged backups and occupied folders are refused with nothing written.
/// </summary>
public sealed class AuthorityBackupCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "jpki-cli-backup-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 1, 0, 0, TimeSpan.Zero));

    public AuthorityBackupCommandTests() => Directory.CreateDirectory(_root);

    private string Data => Path.Combine(_root, "data");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task RestoreAfterLoss_CrlNumbersOnlyGoForward_ChainVerifies_LaterRevocationReapplied()
    {
        Assert.Equal(0, (await CliRunner.RunAsync(_clock, "authority", "init", "--data", Data, "--test-names")).ExitCode);
        var first = await IssueAsync("C1");
        var early = await CrlAsync("early.crl");

        var backup = Path.Combine(_root, "authority.backup");
        var (code, stdout, stderr) = await CliRunner.RunAsync(_clock, "authority", "backup", "--data", Data, "--out", backup, "--json");
        Assert.True(code == 0, stdout + stderr);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(backup));
        }

        // After the backup: another issuance, a revocation, several CRLs — then the folder is lost.
        _clock.Advance(TimeSpan.FromMinutes(5));
        var second = await IssueAsync("C2");
        Assert.Equal(0, (await CliRunner.RunAsync(_clock, "authority", "revoke", "--data", Data, "--serial", first, "--reason", "key-compromise")).ExitCode);
        await CrlAsync("a.crl");
        await CrlAsync("b.crl");
        var lastPublished = await CrlAsync("last.crl");
        Assert.True(lastPublished > early);
        Directory.Move(Data, Path.Combine(_root, "lost"));

        _clock.Advance(TimeSpan.FromSeconds(30));
        (code, stdout, stderr) = await CliRunner.RunAsync(_clock, "authority", "restore", "--data", Data, "--from", backup, "--published-crl", Path.Combine(_root, "last.crl"), "--json");
        Assert.True(code == 0, stdout + stderr);
        Assert.Equal(1, JsonDocument.Parse(stdout).RootElement.GetProperty("revocationsReapplied").GetInt32());

        // openssl reads the numbers: the first CRL after the restore goes past everything published before it.
        var afterRestore = await CrlAsync("restored.crl");
        Assert.True(afterRestore > lastPublished, $"CRL number {afterRestore} after the restore, {lastPublished} published before");
        var (_, entries, _) = OpenSsl.Run("crl", "-inform", "DER", "-in", Path.Combine(_root, "restored.crl"), "-noout", "-text");
        Assert.Contains(first, entries.Replace(":", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);

        var (verify, verifyOut, verifyErr) = await CliRunner.RunAsync(_clock, "authority", "audit", "verify", "--data", Data, "--json");
        Assert.True(verify == 0, verifyOut + verifyErr);
        var (show, _, _) = await CliRunner.RunAsync(_clock, "authority", "show", "--data", Data, "--serial", second);
        Assert.Equal(1, show);
    }

    [Fact]
    public async Task Restore_DamagedBackup_OrOccupiedFolder_IsRefusedAndWritesNothing()
    {
        Assert.Equal(0, (await CliRunner.RunAsync(_clock, "authority", "init", "--data", Data, "--test-names")).ExitCode);
        await IssueAsync("C1");
        var backup = Path.Combine(_root, "authority.backup");
        Assert.Equal(0, (await CliRunner.RunAsync(_clock, "authority", "backup", "--data", Data, "--out", backup)).ExitCode);
        Assert.Equal(2, (await CliRunner.RunAsync(_clock, "authority", "backup", "--data", Data, "--out", backup)).ExitCode);

        var (occupied, _, occupiedErr) = await CliRunner.RunAsync(_clock, "authority", "restore", "--data", Data, "--from", backup);
        Assert.Equal(2, occupied);
        Assert.Contains("--replace", occupiedErr, StringComparison.Ordinal);

        // One byte of the registry changed inside an otherwise well-formed archive.
        var damaged = Path.Combine(_root, "damaged.backup");
        await RewriteAsync(backup, damaged, "data/registry.db");
        var target = Path.Combine(_root, "restored");
        var (code, _, stderr) = await CliRunner.RunAsync(_clock, "authority", "restore", "--data", target, "--from", damaged);
        Assert.Equal(2, code);
        Assert.Contains("registry.db", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any());
        Assert.Empty(Directory.EnumerateDirectories(_root, ".restored.restoring-*"));

        var garbage = Path.Combine(_root, "garbage.backup");
        await File.WriteAllBytesAsync(garbage, RandomNumberGenerator.GetBytes(4096));
        (code, _, stderr) = await CliRunner.RunAsync(_clock, "authority", "restore", "--data", target, "--from", garbage);
        Assert.Equal(2, code);
        Assert.Contains("Nothing was restored", stderr, StringComparison.Ordinal);

        // --replace moves the folder aside and restores.
        var (replaced, replacedOut, replacedErr) = await CliRunner.RunAsync(_clock, "authority", "restore", "--data", Data, "--from", backup, "--replace", "--json");
        Assert.True(replaced == 0, replacedOut + replacedErr);
        Assert.True(Directory.Exists(JsonDocument.Parse(replacedOut).RootElement.GetProperty("movedAside").GetString()));
    }

    private async Task<string> IssueAsync(string card)
    {
        using var rsa = RSA.Create(2048);
        var key = Path.Combine(_root, card + ".pub.pem");
        await File.WriteAllTextAsync(key, rsa.ExportSubjectPublicKeyInfoPem());
        var (code, stdout, stderr) = await CliRunner.RunAsync(_clock, "authority", "issue", "--json", "--data", Data, "--kind", "auth", "--public-key", key, "--card-id", card, "--holder-id", "H-" + card, "--expiry", "2031-02-17");
        Assert.True(code == 0, stdout + stderr);
        return JsonDocument.Parse(stdout).RootElement.GetProperty("serial").GetString()!;
    }

    /// <summary>Publishes an auth CRL to <paramref name="name"/>; returns its number as openssl reads it.</summary>
    private async Task<long> CrlAsync(string name)
    {
        var path = Path.Combine(_root, name);
        var (code, stdout, stderr) = await CliRunner.RunAsync(_clock, "authority", "crl", "--data", Data, "--kind", "auth", "--out", path);
        Assert.True(code == 0, stdout + stderr);
        var (exit, output, error) = OpenSsl.Run("crl", "-inform", "DER", "-in", path, "-noout", "-crlnumber");
        Assert.True(exit == 0, error);
        var hex = output.Trim().Split('=')[1];
        return Convert.ToInt64(hex, 16);
    }

    private static async Task RewriteAsync(string from, string to, string damagedEntry)
    {
        await using var input = new GZipStream(File.OpenRead(from), CompressionMode.Decompress);
        await using var reader = new TarReader(input);
        await using var output = new GZipStream(File.Create(to), CompressionLevel.Fastest);
        await using var writer = new TarWriter(output, TarEntryFormat.Pax);
        while (await reader.GetNextEntryAsync(copyData: true) is { } entry)
        {
            if (entry.Name == damagedEntry)
            {
                var bytes = new MemoryStream();
                await entry.DataStream!.CopyToAsync(bytes);
                var content = bytes.ToArray();
                content[^100] ^= 0x01;
                entry.DataStream = new MemoryStream(content);
            }

            await writer.WriteEntryAsync(entry);
        }
    }
}
