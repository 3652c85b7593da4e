using Microsoft.Extensions.Options;

namespace Jpki.Verification.Hosting;

/// <summary>The one <see cref="HttpClient"/> the registered verifier uses for OCSP and CRLs; disposed with the container.</summary>
internal sealed class VerificationHttp : IDisposable
{
    public VerificationHttp(IOptions<JpkiVerificationOptions> options)
    {
        var settings = options.Value;
        Client = new HttpClient { Timeout = settings.HttpTimeout };
        if (settings.VerifierKey is { Length: > 0 } key)
        {
            Client.DefaultRequestHeaders.Add("X-Jpki-Verifier-Key", key);
        }
    }

    public HttpClient Client { get; }

    public void Dispose() => Client.Dispose();
}
