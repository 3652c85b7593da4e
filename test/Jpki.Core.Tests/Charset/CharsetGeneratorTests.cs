using System.Diagnostics;

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
        var start = new ProcessStartInfo("python3")
        {
            ArgumentList = { Path.Combine(root, "tools", "charset", "generate.py"), "--out", _temp },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = root,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Fail($"python3 is needed to run the charset generator: apt-get install python3 ({e.Message})");
            return;
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"generate.py failed: {await stderr}");
        }

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
