namespace Jpki.Cli.Tests.SignHelper;

/// <summary>
/// One dev-issued virtual card (signature password ABC123) for the helper tests; each test signs with its own copy.
/// A derived fixture picks the authority's profile (a next-generation P-384 card).
/// </summary>
public class HelperCardFixture : IAsyncLifetime
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("jpki-sign-helper-");

    public string Template => Path.Combine(_directory.FullName, "template.jpkicard");

    /// <summary>The authority's signature CA as PEM: the one root openssl, xmlsec1 and certutil are told to trust.</summary>
    public string SignCaPem => Path.Combine(_directory.FullName, "sign-ca.pem");

    /// <summary>A fresh folder for one test's files.</summary>
    public string NewFolder() => Directory.CreateDirectory(Path.Combine(_directory.FullName, Guid.NewGuid().ToString("N"))).FullName;

    /// <summary>The profile of the authority and the card (<c>jpki</c>, or <c>nextgen</c> for P-384).</summary>
    protected virtual string? Profile => null;

    public string NewCopy()
    {
        var path = Path.Combine(_directory.FullName, Guid.NewGuid().ToString("N") + ".jpkicard");
        File.Copy(Template, path);
        return path;
    }

    public async Task InitializeAsync()
    {
        var data = Path.Combine(_directory.FullName, "jpki-data");
        if (Profile is { } profile)
        {
            var init = await CliRunner.RunAsync("authority", "init", "--data", data, "--test-names", "--profile", profile);
            Assert.True(init.ExitCode == 0, init.Stderr);
        }

        string[] cardProfile = Profile is null ? [] : ["--profile", Profile];
        Assert.Equal(0, (await CliRunner.RunAsync(["card", "new", "--out", Template, "--number", "HELPER1", .. cardProfile])).ExitCode);
        await CliRunner.DevIssueAsync(Template, data, "JPKI_HELPERTEST");
        await File.WriteAllTextAsync(SignCaPem, OpenSsl.Pem("CERTIFICATE", await File.ReadAllBytesAsync(Path.Combine(data, "authority", "sign-ca.cer"))));
    }

    public Task DisposeAsync()
    {
        _directory.Delete(recursive: true);
        return Task.CompletedTask;
    }
}
