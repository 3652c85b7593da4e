using Jpki.Verification.Hosting;
using Jpki.Verification.Login;
using Jpki.Verification.Revocation;
using Jpki.Verification.Trust;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the JPKI relying-party services.</summary>
public static class JpkiVerificationServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="Jpki.Verification.JpkiVerifier"/>, <see cref="LoginVerifier"/> and an
    /// <see cref="InMemoryChallengeStore"/> (unless an <see cref="IChallengeStore"/> is registered already, e.g. the
    /// PostgreSQL one) as singletons, with <see cref="JpkiVerificationOptions"/> bound from
    /// <paramref name="configuration"/> and validated when the host starts. Revocation: OCSP at
    /// <see cref="JpkiVerificationOptions.OcspUri"/> first, then the CRL (fail closed). Time: the registered
    /// <see cref="TimeProvider"/>, else the system clock.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section with the options (e.g. <c>builder.Configuration.GetSection("JpkiVerification")</c>); null to configure in code only.</param>
    /// <param name="configure">Changes applied after binding; may be null.</param>
    public static IServiceCollection AddJpkiVerification(this IServiceCollection services, IConfiguration? configuration = null, Action<JpkiVerificationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<JpkiVerificationOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration);
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JpkiVerificationOptions>, JpkiVerificationOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<VerificationHttp>();
        services.TryAddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<JpkiVerificationOptions>>().Value;
            var clock = sp.GetRequiredService<TimeProvider>();
            var http = sp.GetRequiredService<VerificationHttp>().Client;
            var trust = new TrustStoreBuilder();
            foreach (var pin in settings.TrustedRootPins)
            {
                trust.PinJlisFingerprint(pin);
            }

            foreach (var file in settings.TrustedRootFiles)
            {
                trust.AddRootsFromFile(file);
            }

            var sources = new List<IRevocationSource>();
            if (settings.OcspUri is { } ocsp)
            {
                sources.Add(new OcspRevocationSource(http, clock, new OcspOptions { ResponderUri = ocsp }));
            }

            sources.Add(new CrlRevocationSource(http, new CrlSourceOptions { DownloadUri = settings.CrlUri }));
            return new Jpki.Verification.JpkiVerifier(trust.Build(), sources, clock, new Jpki.Verification.VerifierOptions
            {
                UnsafeSkipRevocationCheck = settings.UnsafeSkipRevocationCheck,
                Path = new() { AllowTestPolicy = settings.AllowTestPolicy },
            }, sp.GetService<ILogger<Jpki.Verification.JpkiVerifier>>());
        });
        services.TryAddSingleton<IChallengeStore>(sp => new InMemoryChallengeStore(sp.GetRequiredService<IOptions<JpkiVerificationOptions>>().Value.ChallengeStoreCapacity));
        services.TryAddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<JpkiVerificationOptions>>().Value;
            return new LoginVerifier(
                sp.GetRequiredService<Jpki.Verification.JpkiVerifier>(),
                sp.GetRequiredService<IChallengeStore>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetService<ICertificateLinkage>(),
                new LoginOptions { ChallengeLifetime = settings.ChallengeLifetime, Origins = [.. settings.LoginOrigins] },
                sp.GetService<ILogger<LoginVerifier>>());
        });
        return services;
    }
}
