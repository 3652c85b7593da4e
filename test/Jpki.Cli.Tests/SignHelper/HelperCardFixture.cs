namespace Jpki.Cli.Tests.SignHelper;

/// <summary>One dev-issued virtual card (signature password ABC123) for the helper tests; each test signs with its own copy.</summary>
public sealed class HelperCardFixture : IAsyncLifetime
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("jpki-sign-helper-");

    public string Template => Path.Combine(_directory.FullName, "template.jpkicard");

    public string NewCopy()
    {
        var path = Path.Combine(_directory.FullName, Guid.NewGuid().ToString("N") + ".jpkicard");
        File.Copy(Template, path);
        return path;
    }

    public async Task InitializeAsync()
    {
        Assert.Equal(0, (await CliRunner.RunAsync("card", "new", "--out", Template, "--number", "HELPER1")).ExitCode);
        Environment.SetEnvironmentVariable("JPKI_HELPERTEST_AUTH", "1234");
        Environment.SetEnvironmentVariable("JPKI_HELPERTEST_SIGN", "ABC123");
        Environment.SetEnvironmentVariable("JPKI_HELPERTEST_CARD", "5678");
        var issued = await CliRunner.RunAsync(
            "card", "dev-issue", "--card", Template, "--data", Path.Combine(_directory.FullName, "jpki-data"),
            "--auth-pin-env", "JPKI_HELPERTEST_AUTH", "--sign-password-env", "JPKI_HELPERTEST_SIGN", "--card-pin-env", "JPKI_HELPERTEST_CARD");
        Assert.True(issued.ExitCode == 0, issued.Stderr);
    }

    public Task DisposeAsync()
    {
        _directory.Delete(recursive: true);
        return Task.CompletedTask;
    }
}
