using Jpki.Server.Web;

namespace Jpki.Server.Tests.Security;

/// <summary>
/// A form posted after the staff session ended is kept as a draft (FormDrafts, an encrypted cookie) without its secret
/// fields: no PIN, PUK, password or token may ever reach the clerk's browser again.
/// </summary>
[Trait("Category", "Security")]
public sealed class FormValuesSecretTests
{
    [Theory]
    [InlineData("puk")]
    [InlineData("PUK")]
    [InlineData("newPin")]
    [InlineData("pin")]
    [InlineData("signaturePassword")]
    [InlineData("current")]
    [InlineData("new")]
    [InlineData("confirm")]
    public void IsSecret_SecretFields_NeverKept(string name) => Assert.True(FormValues.IsSecret(name));

    [Theory]
    [InlineData("card")]
    [InlineData("kind")]
    [InlineData("identity")]
    [InlineData("name")]
    public void IsSecret_OrdinaryFields_Kept(string name) => Assert.False(FormValues.IsSecret(name));
}
