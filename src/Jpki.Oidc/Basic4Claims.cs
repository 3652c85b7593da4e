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
        // A partly unknown birth date (EYYYYMMDD with 00s) is given as far as known: the year alone (Core §5.1 allows
        // "YYYY"), or not at all; another sex code than 1, 2, 9 gives no gender claim.
        if (info.DateOfBirth is { } born)
        {
            identity.SetClaim(Claims.Birthdate, born.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
        else if (info.DateOfBirthText is { Length: 9 } text && text.AsSpan(1, 4).IndexOfAnyExceptInRange('0', '9') < 0 && text.AsSpan(1, 4) is not "0000")
        {
            identity.SetClaim(Claims.Birthdate, text.Substring(1, 4));
        }

        if (info.Sex is { } sex)
        {
            identity.SetClaim(Claims.Gender, sex switch { Sex.Male => "male", Sex.Female => "female", _ => "not-applicable" });
        }
    }
}
