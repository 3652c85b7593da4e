using System.Diagnostics;

namespace Jpki.Server.Tests.Oidc;

/// <summary>
/// The openid-client relying party (<c>Oidc/openid-client/rp.mjs</c>) as a node process: dependencies installed with
/// <c>npm ci</c> from the committed lock file (once per run), started on a free port, stopped by its PID. Missing node or
/// npm is a failure that names the Debian packages.
/// </summary>
internal sealed class NodeRelyingParty : IAsyncDisposable
{
    private static readonly SemaphoreSlim Install = new(1, 1);
    private static bool _installed;

    private readonly Process _process;

    private NodeRelyingParty(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public string RedirectUri => BaseUrl + "/callback";

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Oidc", "openid-client");

    public static async Task<NodeRelyingParty> StartAsync(string issuer, string clientId, string secret, int port)
    {
        await EnsureInstalledAsync();
        var info = new ProcessStartInfo("node") { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "rp.mjs", issuer, clientId, secret, port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(argument);
        }

        var process = Start(info);
        var stderr = process.StandardError.ReadToEndAsync();
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(120));
        if (line != "listening")
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"openid-client relying party did not start: {line} {await stderr}");
        }

        return new NodeRelyingParty(process, port);
    }

    private static async Task EnsureInstalledAsync()
    {
        await Install.WaitAsync();
        try
        {
            if (_installed)
            {
                return;
            }

            var info = new ProcessStartInfo("npm") { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { "ci", "--no-audit", "--no-fund", "--ignore-scripts" })
            {
                info.ArgumentList.Add(argument);
            }

            using var npm = Start(info);
            var output = npm.StandardOutput.ReadToEndAsync();
            var error = npm.StandardError.ReadToEndAsync();
            await npm.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
            if (npm.ExitCode != 0)
            {
                throw new InvalidOperationException($"npm ci failed in {Folder} (exit {npm.ExitCode}): {await output} {await error}");
            }

            _installed = true;
        }
        finally
        {
            Install.Release();
        }
    }

    private static Process Start(ProcessStartInfo info)
    {
        try
        {
            return Process.Start(info) ?? throw new InvalidOperationException($"{info.FileName} did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{info.FileName} is not installed: install the Debian packages nodejs and npm (apt-get install -y nodejs npm).", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
