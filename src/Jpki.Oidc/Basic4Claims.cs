using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Jpki.Core.Identity;
using Jpki.Verification.Certificates;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Jpki.Oidc;

/// <summary>The basic 4 info as OpenID Connect standard claims (Core §5.1): <c>name</c>, <c>address</c> (formatted, country JP), <c>birthdate</c> (YYYY-MM-DD), <c>gender</c>.</summary>
internal static class Basic4Claims
{
    /// <summary>The items the consent screen names, in order.</summary>
    public static readonly IReadOnlyList<string> JapaneseItems = ["氏名", "住所", "生年月日", "性別"];

    /// <summary>The claim types, in the same order.</summary>
    public static readonly IReadOnlyList<string> Types = [Claims.Name, Claims.Address, Claims.Birthdate, Claims.Gender];

    public static void Apply(ClaimsIdentity identity, CertifiedBasicFourInfo info)
    {
        identity.SetClaim(Claims.Name, info.Name);
        identity.SetClaim(Claims.Address, JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["formatted"] = info.Address, ["country"] = "JP" }));
        identity.SetClaim(Claims.Birthdate, info.DateOfBirth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        identity.SetClaim(Claims.Gender, info.Sex switch { Sex.Male => "male", Sex.Female => "female", _ => "not-applicable" });
    }
}
