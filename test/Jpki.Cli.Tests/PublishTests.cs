using System.Buffers.Binary;
using System.Diagnostics;
using System.Text.Json;

namespace Jpki.Cli.Tests;

/// <summary>
/// <c>jpki</c> (and with it <c>jpki card</c>, <c>jpki sign</c> and the sign helper) publishes for the three platforms
/// citizens' readers are on: <c>dotnet publish -r win-x64 | osx-arm64 | linux-x64</c>, framework-dependent, each with
/// its native app host. The PC/SC binding is chosen at run time, so Jpki.Card.dll is the same file in all three.
/// Framework-dependent and without rebuilding the libraries (<c>--no-dependencies</c>: the solution is built first) to
/// keep the test short; the runtime and app-host packs come from the NuGet feed.
/// </summary>
public sealed class PublishTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("jpki-publish-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task Publish_WinX64_OsxArm64_LinuxX64_EachWithItsAppHostAndTheSameCardAssembly()
    {
        var outputs = new Dictionary<string, string>();
        foreach (var rid in new[] { "linux-x64", "win-x64", "osx-arm64" })
        {
            outputs[rid] = await PublishAsync(rid);
        }

        // linux-x64: ELF x86-64; it runs here.
        AssertElfX64(Path.Combine(outputs["linux-x64"], "jpki"));
        var help = await RunAsync(Path.Combine(outputs["linux-x64"], "jpki"), "card", "--help");
        Assert.True(help.ExitCode == 0, help.Output);
        Assert.Contains("readers", help.Output, StringComparison.Ordinal);

        // win-x64: a PE32+ console executable for AMD64.
        AssertPeX64(Path.Combine(outputs["win-x64"], "jpki.exe"));

        // osx-arm64: a 64-bit Mach-O for arm64.
        AssertMachOArm64(Path.Combine(outputs["osx-arm64"], "jpki"));

        foreach (var (rid, output) in outputs)
        {
            using var deps = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "jpki.deps.json")));
            Assert.Equal($".NETCoreApp,Version=v10.0/{rid}", deps.RootElement.GetProperty("runtimeTarget").GetProperty("name").GetString());
            Assert.True(File.Exists(Path.Combine(output, "jpki.dll")), rid);
        }

        var card = outputs.Values.Select(o => File.ReadAllBytes(Path.Combine(o, "Jpki.Card.dll"))).ToList();
        Assert.All(card, bytes => Assert.Equal(card[0], bytes));
    }

    private async Task<string> PublishAsync(string rid)
    {
        var output = Path.Combine(_directory.FullName, rid);
        var project = Path.Combine(JpkiProcess.RepositoryRoot, "src", "Jpki.Cli", "Jpki.Cli.csproj");
        var result = await RunAsync(
            JpkiProcess.Dotnet,
            "publish", project, "-c", JpkiProcess.Configuration, "-r", rid, "--self-contained", "false", "--no-dependencies",
            "-p:RunAnalyzers=false", // the solution build already ran them; here they would only triple the compile time
            "-o", output, "-nologo", "-v", "q");
        Assert.True(result.ExitCode == 0, $"dotnet publish -r {rid} failed:\n{result.Output}");
        return output;
    }

    private static void AssertElfX64(string path)
    {
        var header = File.ReadAllBytes(path).AsSpan(0, 20);
        Assert.True(header[..4].SequenceEqual("\u007fELF"u8), "not an ELF file");
        Assert.Equal(2, header[4]); // ELFCLASS64
        Assert.Equal(62, BinaryPrimitives.ReadUInt16LittleEndian(header[18..])); // EM_X86_64
    }

    private static void AssertPeX64(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.AsSpan(0, 2).SequenceEqual("MZ"u8), "not a PE file");
        var pe = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(0x3C));
        Assert.True(bytes.AsSpan(pe, 4).SequenceEqual("PE\0\0"u8), "no PE signature");
        Assert.Equal(0x8664, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(pe + 4))); // IMAGE_FILE_MACHINE_AMD64
        Assert.Equal(0x20B, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(pe + 24))); // PE32+
        Assert.Equal(3, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(pe + 24 + 68))); // IMAGE_SUBSYSTEM_WINDOWS_CUI
    }

    private static void AssertMachOArm64(string path)
    {
        var header = File.ReadAllBytes(path).AsSpan(0, 8);
        Assert.Equal(0xFEEDFACFu, BinaryPrimitives.ReadUInt32LittleEndian(header)); // MH_MAGIC_64
        Assert.Equal(0x0100000Cu, BinaryPrimitives.ReadUInt32LittleEndian(header[4..])); // CPU_TYPE_ARM64
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        if (Path.IsPathRooted(JpkiProcess.Dotnet))
        {
            start.Environment["DOTNET_ROOT"] = Path.GetDirectoryName(JpkiProcess.Dotnet); // where the app host finds the runtime
        }
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{Path.GetFileName(file)} {string.Join(' ', args.Take(2))} did not finish within 15 min.");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
