using System.Diagnostics;

namespace Jpki.Card.Tests.Durability;

/// <summary>
/// test/Jpki.Card.FaultHost run as a child process: read its lines one at a time (bounded waits), then SIGKILL it and
/// collect every line it printed before it died.
/// </summary>
internal sealed class FaultHostProcess : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;

    private FaultHostProcess(Process process) => _process = process;

    /// <summary>Lines read so far (the first is "READY").</summary>
    public List<string> Lines { get; } = [];

    /// <summary>The built harness next to this test assembly: test/Jpki.Card.FaultHost/bin/&lt;configuration&gt;/&lt;tfm&gt;/.</summary>
    public static string DllPath
    {
        get
        {
            var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var tfm = testBin.Name;
            var configuration = testBin.Parent!.Name;
            var testRoot = testBin.Parent!.Parent!.Parent!.Parent!.FullName;
            var dll = Path.Combine(testRoot, "Jpki.Card.FaultHost", "bin", configuration, tfm, "Jpki.Card.FaultHost.dll");
            if (!File.Exists(dll))
            {
                Assert.Fail($"{dll} is missing: build test/Jpki.Card.FaultHost (building Jpki.Card.Tests or OpenJpki.slnx builds it).");
            }

            return dll;
        }
    }

    public static FaultHostProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var dotnet = Environment.ProcessPath is { } current && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true, // kept open: the host exits when it closes (this process ended)
            UseShellExecute = false,
        };
        start.ArgumentList.Add(DllPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the fault host.");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        var host = new FaultHostProcess(process);
        if (host.ReadLine() != "READY")
        {
            Assert.Fail($"The fault host did not start: {string.Join(" | ", host.Lines)}");
        }

        return host;
    }

    /// <summary>The next line, or null at the end of the output (the host exited). Fails the test after 60 s.</summary>
    public string? ReadLine()
    {
        var read = _process.StandardOutput.ReadLineAsync();
        if (!read.Wait(Timeout))
        {
            Assert.Fail("The fault host printed nothing for 60 s.");
        }

        if (read.Result is { } line)
        {
            Lines.Add(line);
        }

        return read.Result;
    }

    /// <summary>
    /// SIGKILLs the host, waits for it to die and reads what it printed before. Returns true when the kill landed (exit by
    /// SIGKILL, 128 + 9), false when the host had already exited on its own.
    /// </summary>
    public bool Kill()
    {
        _process.Kill(); // SIGKILL on Unix
        if (!_process.WaitForExit(Timeout))
        {
            Assert.Fail("The fault host did not die within 60 s of SIGKILL.");
        }

        while (ReadLine() is not null)
        {
        }

        return _process.ExitCode == 128 + 9;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(Timeout);
        }

        _process.Dispose();
    }
}
