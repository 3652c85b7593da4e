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
}
