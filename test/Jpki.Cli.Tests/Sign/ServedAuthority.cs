using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Jpki.Cli.Tests.Sign;

/// <summary>
/// A test authority (<c>authority init --open-sign-revocation</c>, its certificates pointing at a free loopback port), a
/// virtual card dev-issued by it (signature password ABC123), and <c>jpki serve</c> on that port as its own process: the
/// real <c>/tsa</c>, <c>/ocsp</c> and <c>/crl</c> that B-T, B-LT and B-LTA signatures are made with.
/// </summary>
public sealed class ServedAuthority : IAsyncLifetime
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("jpki-cli-served-");
    private Process? _serve;

    public Uri Base { get; private set; } = new("http://127.0.0.1/");

    public Uri Tsa => new(Base, "/tsa");

    public string Data => File("jpki-data");

    public string Template => File("template.jpkicard");

    /// <summary>The card's signature CA (PEM), the one root a verifier trusts.</summary>
    public string SignCaPem => File("sign-ca.pem");

    /// <summary>The TSA's root certificate (DER), for <c>--chain</c> and <c>--tsa-trust</c>.</summary>
    public string TsaRoot => Path.Combine(Data, "authority", "tsa", "tsa-root.cer");

    public string SignCa => Path.Combine(Data, "authority", "sign-ca.cer");

    public string File(string name) => Path.Combine(_directory.FullName, name);

    /// <summary>A copy of the card, so each test spends its own password tries.</summary>
    public string NewCard()
    {
        var path = File(Guid.NewGuid().ToString("N") + ".jpkicard");
        System.IO.File.Copy(Template, path);
        return path;
    }

    public async Task InitializeAsync()
    {
        var port = FreePort();
        Base = new Uri($"http://127.0.0.1:{port}/");
        var init = await CliRunner.RunAsync("authority", "init", "--data", Data, "--test-names", "--open-sign-revocation", "--base-url", $"http://127.0.0.1:{port}");
        Assert.True(init.ExitCode == 0, init.Stderr);
        Assert.Equal(0, (await CliRunner.RunAsync("card", "new", "--out", Template, "--number", "SERVED1")).ExitCode);
        await CliRunner.DevIssueAsync(Template, Data, "JPKI_SERVEDTEST");
        await System.IO.File.WriteAllTextAsync(SignCaPem, OpenSsl.Pem("CERTIFICATE", await System.IO.File.ReadAllBytesAsync(SignCa)));

        _serve = Process.Start(JpkiProcess.StartInfo(["serve", "--data", Data, "--urls", $"http://127.0.0.1:{port}"])) ?? throw new InvalidOperationException("jpki serve did not start.");
        _serve.StandardInput.Close();
        _serve.OutputDataReceived += (_, _) => { };
        _serve.ErrorDataReceived += (_, _) => { };
        _serve.BeginOutputReadLine();
        _serve.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var watch = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(_serve.HasExited, $"jpki serve exited with {(_serve.HasExited ? _serve.ExitCode : 0)}.");
            try
            {
                using var health = await http.GetAsync(new Uri(Base, "/healthz"));
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(90), "jpki serve did not answer /healthz within 90 s.");
            await Task.Delay(TimeSpan.FromMilliseconds(300));
        }
    }

    public async Task DisposeAsync()
    {
        if (_serve is { HasExited: false })
        {
            _serve.Kill(entireProcessTree: true);
            await _serve.WaitForExitAsync();
        }

        _serve?.Dispose();
        _directory.Delete(recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
