using System.Diagnostics;

namespace Jpki.Cli.Tests;

/// <summary>The built jpki (src/Jpki.Cli/bin/&lt;configuration&gt;/&lt;tfm&gt;/jpki.dll) run as its own process, as a user runs it.</summary>
internal static class JpkiProcess
{
    /// <summary>The repository root (the folder holding OpenJpki.slnx).</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "OpenJpki.slnx")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException("OpenJpki.slnx not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>The configuration the tests were built in (Debug or Release).</summary>
    public static string Configuration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    /// <summary>The dotnet host running the tests.</summary>
    public static string Dotnet => Environment.ProcessPath is { } current && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";

    public static string Dll
    {
        get
        {
            var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var dll = Path.Combine(RepositoryRoot, "src", "Jpki.Cli", "bin", testBin.Parent!.Name, testBin.Name, "jpki.dll");
            if (!File.Exists(dll))
            {
                Assert.Fail($"{dll} is missing: build src/Jpki.Cli (building Jpki.Cli.Tests or OpenJpki.slnx builds it).");
            }

            return dll;
        }
    }

    /// <summary>A start description for <c>jpki</c> with <paramref name="args"/> (output redirected).</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(Dotnet)
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

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return start;
    }

    /// <summary>Runs <c>jpki</c> to completion (bounded by <paramref name="timeout"/>).</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        IReadOnlyDictionary<string, string> environment, TimeSpan timeout, params string[] args)
    {
        using var process = Process.Start(StartInfo(args, environment)) ?? throw new InvalidOperationException("Could not start jpki.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"jpki {string.Join(' ', args.Take(2))} did not finish within {timeout.TotalSeconds:F0} s.");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
