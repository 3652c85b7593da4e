using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Jpki.Server.Counter;

/// <summary>
/// What a clerk searched for (a name, a reading, a date of birth) never goes into a URL: URLs reach the server's and a
/// proxy's request logs and the shared terminal's browser history. The search form posts; the result page's address carries
/// the terms encrypted and authenticated with the deployment's data-protection keys (so any server of the deployment can
/// show the page, a reload and Back work, and paging keeps the terms), valid for a staff session's 8 hours.
/// </summary>
internal static class ResidentSearchTerms
{
    /// <summary>The longest search text (a name and address field is shorter than this).</summary>
    public const int MaxLength = 200;

    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    /// <summary>The terms sealed for <c>/counter?s=</c>.</summary>
    public static string Seal(HttpContext http, string? q, string? dob)
    {
        var expires = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow() + Lifetime;
        return Protector(http).Protect(JsonSerializer.Serialize(new Terms(q, dob, expires)));
    }

    /// <summary>The terms of a sealed value, or null when it is not ours, was altered or has expired.</summary>
    public static (string? Q, string? Dob)? Open(HttpContext http, string? sealedTerms)
    {
        if (string.IsNullOrEmpty(sealedTerms) || sealedTerms.Length > 4096)
        {
            return null;
        }

        try
        {
            var terms = JsonSerializer.Deserialize<Terms>(Protector(http).Unprotect(sealedTerms));
            var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
            return terms is null || terms.Expires <= now ? null : (terms.Q, terms.Dob);
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or JsonException)
        {
            return null;
        }
    }

    private static IDataProtector Protector(HttpContext http) =>
        http.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector("Jpki.Server.Counter.Search.v1");

    private sealed record Terms(string? Q, string? Dob, DateTimeOffset Expires);
}
