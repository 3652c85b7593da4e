using Jpki.Testing;

namespace Jpki.Core.Tests.Charset;

/// <summary>
/// The embedded tables must be exactly what tools/charset/generate.py makes from Debian's unicode-data package:
/// nobody edits them by hand. Needs python3 and the Debian package unicode-data.
/// </summary>
public sealed class CharsetGeneratorTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("jpki-charset-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public async Task Generator_Rerun_ProducesTheCommittedFilesByteForByte()
    {
        Assert.True(
            File.Exists("/usr/share/unicode/Unihan_Variants.txt.bz2") || File.Exists("/usr/share/unicode/Unihan.zip"),
            "The Unihan database is missing: apt-get install unicode-data");
        var root = RepositoryRoot();
        var (exit, _, error) = await ExternalTool.RunAsync(
            "python3", "python3", [Path.Combine(root, "tools", "charset", "generate.py"), "--out", _temp], workingDirectory: root);
        Assert.True(exit == 0, $"generate.py failed: {error}");

        foreach (var name in new[] { "repertoire.tsv", "substitutes.tsv" })
        {
            var committed = await File.ReadAllBytesAsync(Path.Combine(root, "src", "Jpki.Core", "Charset", "Data", name));
            var generated = await File.ReadAllBytesAsync(Path.Combine(_temp, name));
            Assert.True(
                committed.AsSpan().SequenceEqual(generated),
                $"{name} differs from the generator's output: run `python3 tools/charset/generate.py` and commit the result.");
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OpenJpki.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("OpenJpki.slnx not found above " + AppContext.BaseDirectory);
    }
}
