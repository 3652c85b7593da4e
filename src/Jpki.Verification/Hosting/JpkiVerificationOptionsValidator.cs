using Jpki.Verification.Login;
using Jpki.Verification.Trust;
using Microsoft.Extensions.Options;

namespace Jpki.Verification.Hosting;

/// <summary>Checks <see cref="JpkiVerificationOptions"/> when the host starts: a mistake stops the start with every problem named, not the first login.</summary>
public sealed class JpkiVerificationOptionsValidator : IValidateOptions<JpkiVerificationOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, JpkiVerificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.TrustedRootFiles.Count == 0)
        {
            failures.Add("JpkiVerification:TrustedRootFiles: name at least one root CA certificate file (the authority's /ca/auth.cer).");
        }

        foreach (var file in options.TrustedRootFiles)
        {
            try
            {
                new TrustStoreBuilder().AddRootsFromFile(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or TrustStoreException)
            {
                failures.Add($"JpkiVerification:TrustedRootFiles: {file}: {e.Message}");
            }
        }

        CheckHttp(options.OcspUri, "OcspUri", failures);
        CheckHttp(options.CrlUri, "CrlUri", failures);
        foreach (var origin in options.LoginOrigins)
        {
            if (LoginOrigin.Normalize(origin) is null)
            {
                failures.Add($"JpkiVerification:LoginOrigins: '{origin}' is not a web origin (scheme://host[:port], no path).");
            }
        }

        if (options.ChallengeLifetime < TimeSpan.FromSeconds(10) || options.ChallengeLifetime > TimeSpan.FromMinutes(10))
        {
            failures.Add("JpkiVerification:ChallengeLifetime must be between 00:00:10 and 00:10:00.");
        }

        if (options.ChallengeStoreCapacity < 1)
        {
            failures.Add("JpkiVerification:ChallengeStoreCapacity must be at least 1.");
        }

        if (options.HttpTimeout <= TimeSpan.Zero)
        {
            failures.Add("JpkiVerification:HttpTimeout must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckHttp(Uri? uri, string name, List<string> failures)
    {
        if (uri is not null && (!uri.IsAbsoluteUri || uri.Scheme is not ("http" or "https")))
        {
            failures.Add($"JpkiVerification:{name}: '{uri}' is not an absolute http(s) address.");
        }
    }
}
