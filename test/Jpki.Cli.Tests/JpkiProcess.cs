using System.Diagnostics;

namespace Jpki.Cli.Tests;

/// <summary>Runs the built <c>jpki</c> (src/Jpki.Cli/bin/&lt;configuration&gt;/&lt;tfm&gt;/jpki.dll) as its own process.</summary>
internal static class JpkiProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Runs jpki with <paramref name="args"/> and the extra <paramref name="environment"/>; fails the test after 60 s.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var dotnet = Environment.ProcessPath is { } current && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start jpki.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            Assert.Fail($"jpki {string.Join(' ', args.Take(2))} did not finish within 60 s.");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    private static string Dll
    {
        get
        {
            var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var repository = testBin.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
            var dll = Path.Combine(repository, "src", "Jpki.Cli", "bin", testBin.Parent!.Name, testBin.Name, "jpki.dll");
            if (!File.Exists(dll))
            {
                Assert.Fail($"{dll} is missing: build src/Jpki.Cli (building Jpki.Cli.Tests or OpenJpki.slnx builds it).");
            }

            return dll;
        }
    }
}
