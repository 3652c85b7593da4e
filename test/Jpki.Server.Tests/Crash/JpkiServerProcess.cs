using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Jpki.Server.Tests.Crash;

/// <summary>
/// <c>jpki serve</c> as a child process (the built CLI, <c>dotnet src/Jpki.Cli/bin/&lt;config&gt;/&lt;tfm&gt;/jpki.dll</c>) on a
/// data folder and a fixed loopback port, killed with SIGKILL and started again on the same folder. Output goes to a
/// log kept for failure messages. Disposing kills the process if it still runs.
/// </summary>
internal sealed class JpkiServerProcess : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly string _dataDirectory;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly StringBuilder _log = new();
    private readonly HttpClient _probe = new() { Timeout = TimeSpan.FromSeconds(5) };
    private Process? _process;

    private readonly IReadOnlyList<string> _arguments;
    private readonly bool _urlsFromSettings;

    /// <param name="arguments">More <c>jpki serve</c> options (e.g. <c>--public-url</c>).</param>
    /// <param name="urlsFromSettings">Pass no <c>--urls</c>: the server's settings (appsettings.json) name <paramref name="port"/>.</param>
    public JpkiServerProcess(string dataDirectory, int port, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string>? arguments = null, bool urlsFromSettings = false)
    {
        _urlsFromSettings = urlsFromSettings;
        _dataDirectory = dataDirectory;
        _environment = environment;
        _arguments = arguments ?? [];
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri BaseAddress { get; }

    /// <summary>How many times the process was started.</summary>
    public int Starts { get; private set; }

    /// <summary>The path of the built CLI matching this test assembly's configuration and framework.</summary>
    public static string CliPath
    {
        get
        {
            var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var framework = output.Name;
            var configuration = output.Parent!.Name;
            var root = output;
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "OpenJpki.slnx")))
            {
                root = root.Parent;
            }

            var path = root is null ? null : Path.Combine(root.FullName, "src", "Jpki.Cli", "bin", configuration, framework, "jpki.dll");
            if (path is null || !File.Exists(path))
            {
                throw new InvalidOperationException(
                    $"The jpki CLI is not built ({path ?? "no OpenJpki.slnx above " + output.FullName}): run `dotnet build src/Jpki.Cli -c {configuration}` first.");
            }

            return path;
        }
    }

    /// <summary>A free loopback port (the server binds it again after each kill).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The last lines of the server's output, for failure messages (the server never logs secrets).</summary>
    public string LogTail
    {
        get
        {
            lock (_log)
            {
                var text = _log.ToString();
                return text.Length <= 4000 ? text : text[^4000..];
            }
        }
    }

    /// <summary>Whether the server is running (started and not killed).</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>
    /// The index in the server's output, since its latest start, of the last line containing <paramref name="text"/>; -1 when
    /// none. Compare two indexes to know which of two messages came last.
    /// </summary>
    public int LastIndexSinceStart(string text)
    {
        lock (_log)
        {
            var all = _log.ToString();
            var start = all.LastIndexOf("--- start ", StringComparison.Ordinal);
            var found = all.LastIndexOf(text, StringComparison.Ordinal);
            return found >= Math.Max(start, 0) ? found : -1;
        }
    }

    /// <summary>Starts the server and waits until <c>/healthz</c> answers 200.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_process is { HasExited: false })
        {
            throw new InvalidOperationException("The server is already running.");
        }

        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (_urlsFromSettings ? new[] { CliPath, "serve", "--data", _dataDirectory } : [CliPath, "serve", "--data", _dataDirectory, "--urls", BaseAddress.ToString().TrimEnd('/')]).Concat(_arguments))
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in _environment)
        {
            info.Environment[name] = value;
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        // About a third less start-up CPU (21 starts per run); the server's behaviour does not depend on it.
        info.Environment["DOTNET_TieredPGO"] = "0";
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        Append($"--- start {Starts + 1}");
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        Starts++;

        var watch = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                throw new InvalidOperationException($"jpki serve exited with {process.ExitCode} during start {Starts}:\n{LogTail}");
            }

            try
            {
                using var response = await _probe.GetAsync(new Uri(BaseAddress, "/healthz"), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The probe timed out: a loaded machine.
            }

            if (watch.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"jpki serve did not answer /healthz within {StartTimeout.TotalSeconds:F0} s (start {Starts}):\n{LogTail}");
            }

            // Polling a readiness condition: the child gives no other signal.
            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>Kills the process with SIGKILL (Process.Kill on Linux) and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        if (_process is null)
        {
            return;
        }

        try
        {
            _process.Kill(entireProcessTree: false);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        Append($"--- killed (exit {_process.ExitCode})");
        _process.Dispose();
        _process = null;
    }

    public void Dispose()
    {
        if (_process is not null)
        {
            try
            {
                _process.Kill(entireProcessTree: false);
                _process.WaitForExit(10_000);
            }
            catch (InvalidOperationException)
            {
            }

            _process.Dispose();
            _process = null;
        }

        _probe.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
