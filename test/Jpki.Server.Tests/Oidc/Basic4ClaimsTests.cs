using System.Security.Claims;
using Jpki.Core.Identity;
using Jpki.Core.Time;
using Jpki.Oidc;
using Jpki.Verification.Certificates;
using OpenIddict.Abstractions;

namespace Jpki.Server.Tests.Oidc;

/// <summary>
/// The OIDC basic 4 claims of a certificate whose birth date or sex is partly unknown (issue 12: such signatures are
/// valid now, so the provider must not fail on them): the birth date as far as it is known (Core §5.1 allows "YYYY"),
/// no gender claim for a code other than 1, 2, 9.
/// </summary>
[Trait("Category", "Security")]
public sealed class Basic4ClaimsTests
{
    [Theory]
    [InlineData("319800217", "1980-02-17")]
    [InlineData("319800000", "1980")]
    [InlineData("319800200", "1980")]
    [InlineData("000000000", null)]
    [InlineData("3ABCD0217", null)]
    public void Birthdate_AsFarAsKnown(string written, string? claim)
    {
        var identity = IdentityOf(written, "1");
        Assert.Equal(claim, identity.GetClaim(OpenIddictConstants.Claims.Birthdate));
    }

    [Theory]
    [InlineData("1", "male")]
    [InlineData("2", "female")]
    [InlineData("9", "not-applicable")]
    [InlineData("3", null)]
    public void Gender_OnlyForTheCodesOfTheStandard(string code, string? claim)
    {
        var identity = IdentityOf("319800217", code);
        Assert.Equal(claim, identity.GetClaim(OpenIddictConstants.Claims.Gender));
        Assert.Equal("山田　太郎", identity.GetClaim(OpenIddictConstants.Claims.Name));
    }

    private static ClaimsIdentity IdentityOf(string birth, string sexCode)
    {
        DateOnly? date = EraDate.TryParse(birth, out _, out var parsed) ? parsed : null;
        Sex? sex = sexCode switch { "1" => Sex.Male, "2" => Sex.Female, "9" => Sex.NotApplicable, _ => null };
        var info = new CertifiedBasicFourInfo("山田　太郎", string.Empty, "東京都千代田区千代田１－１", string.Empty, birth, date, birth[0] == '3' ? Era.Showa : Era.Unknown, sexCode, sex);
        var identity = new ClaimsIdentity("test");
        Basic4Claims.Apply(identity, info);
        return identity;
    }
}
