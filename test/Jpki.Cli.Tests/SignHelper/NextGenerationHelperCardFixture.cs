namespace Jpki.Cli.Tests.SignHelper;

/// <summary>A next-generation virtual card (ECDSA P-384) dev-issued by a next-generation authority (<c>--profile nextgen</c>).</summary>
public sealed class NextGenerationHelperCardFixture : HelperCardFixture
{
    protected override string? Profile => "nextgen";
}
