using Jpki.Verification.Hosting;
using Jpki.Verification.Login;
using Jpki.Verification.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Jpki.Verification.Tests.Hosting;

public class AddJpkiVerificationTests
{
    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddJpkiVerification(builder.Configuration.GetSection(JpkiVerificationOptions.SectionName));
        return builder.Build();
    }

    [Fact]
    public async Task StartAsync_BadOptions_FailsNamingEveryProblem()
    {
        using var host = Build(new()
        {
            ["JpkiVerification:LoginOrigins:0"] = "https://www.example.jp/login",
            ["JpkiVerification:ChallengeLifetime"] = "01:00:00",
            ["JpkiVerification:OcspUri"] = "ldap://ocsp.example.jp",
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(error.Failures, f => f.Contains("TrustedRootFiles", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("LoginOrigins", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("ChallengeLifetime", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("OcspUri", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartAsync_GoodOptions_ResolvesALoginVerifierThatIssuesBoundNonces()
    {
        using var dir = new TempDir();
        var root = Path.Combine(dir.Path, "auth-ca.pem");
        File.WriteAllText(root, OpenSsl.Pem("CERTIFICATE", TestPki.AuthCa.RawData));
        using var host = Build(new()
        {
            ["JpkiVerification:TrustedRootFiles:0"] = root,
            ["JpkiVerification:LoginOrigins:0"] = "https://www.example.jp",
            ["JpkiVerification:ChallengeStoreCapacity"] = "1000",
        });

        await host.StartAsync();
        var login = host.Services.GetRequiredService<LoginVerifier>();
        var nonce = await login.IssueChallengeAsync("session");
        var store = Assert.IsType<InMemoryChallengeStore>(host.Services.GetRequiredService<IChallengeStore>());
        await host.StopAsync();

        Assert.Equal(1000, store.Capacity);
        Assert.NotNull(nonce.Session);
        Assert.NotEqual("session", nonce.Session);
    }
}
