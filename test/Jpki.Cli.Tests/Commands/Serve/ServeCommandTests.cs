namespace Jpki.Cli.Tests.Commands.Serve;

public sealed class ServeCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("jpki-serve-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Serve_MissingTlsCertificate_ExitsWithBadInputNamingTheFile()
    {
        var missing = Path.Combine(_folder, "no-such-cert.pem");

        var (code, _, stderr) = await CliRunner.RunAsync("serve", "--data", Path.Combine(_folder, "data"), "--urls", "https://127.0.0.1:0", "--tls-cert", missing);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("no-such-cert.pem", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_TlsFileThatIsNotPem_ExitsWithBadInput()
    {
        var garbage = Path.Combine(_folder, "garbage.pem");
        await File.WriteAllTextAsync(garbage, "not a certificate");

        var (code, _, stderr) = await CliRunner.RunAsync("serve", "--data", Path.Combine(_folder, "data"), "--urls", "https://127.0.0.1:0", "--tls-cert", garbage);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("PEM", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_PortInUse_Exit2WithAClearLineAndNoStackTrace()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;

        var (code, _, stderr) = await CliRunner.RunAsync("serve", "--data", Path.Combine(_folder, "data"), "--urls", $"http://127.0.0.1:{port}");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains($"cannot listen on http://127.0.0.1:{port}", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_DataFolderThatIsAFile_Exit2WithAClearLineAndNoStackTrace()
    {
        var file = Path.Combine(_folder, "not-a-folder");
        await File.WriteAllTextAsync(file, "x");

        var (code, _, stderr) = await CliRunner.RunAsync("serve", "--data", file, "--urls", "http://127.0.0.1:0");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("cannot open the data folder", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("proxy.example.jp")]
    [InlineData("10.0.0.0/40")]
    public async Task Serve_TrustedProxyThatIsNoAddress_Exit2WithAClearLine(string proxy)
    {
        var (code, _, stderr) = await CliRunner.RunAsync("serve", "--data", Path.Combine(_folder, "data"), "--urls", "http://127.0.0.1:0", "--trusted-proxy", proxy);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--trusted-proxy", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_folder, "data")), "nothing created before the options are checked");
    }

    [Theory]
    [InlineData("counter without an authority", new[] { "--role", "counter" }, "--authority")]
    [InlineData("counter without a key", new[] { "--role", "counter", "--authority", "http://127.0.0.1:9" }, "registration-authority key")]
    [InlineData("authority URL for another role", new[] { "--authority", "http://127.0.0.1:9" }, "--role counter only")]
    [InlineData("unknown role", new[] { "--role", "verifier" }, "verifier")]
    public async Task Serve_RoleOptionsThatDoNotFit_Exit2WithAClearLineAndNothingCreated(string what, string[] options, string expected)
    {
        var (code, _, stderr) = await CliRunner.RunAsync(["serve", "--data", Path.Combine(_folder, "data"), "--urls", "http://127.0.0.1:0", .. options]);

        Assert.True(code == ExitCodes.BadInput, what + ": " + stderr);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_folder, "data")), what + ": nothing created before the options are checked");
    }

    [Fact]
    public async Task Serve_Help_NamesTheRolesAndTheAuthorityOptions()
    {
        var (code, stdout, _) = await CliRunner.RunAsync("serve", "--help");

        Assert.Equal(ExitCodes.Ok, code);
        foreach (var option in new[] { "--role", "--authority", "--ra-key-file", "JPKI_RA_KEY" })
        {
            Assert.Contains(option, stdout, StringComparison.Ordinal);
        }
    }
}
