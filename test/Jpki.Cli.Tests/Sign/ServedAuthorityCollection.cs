namespace Jpki.Cli.Tests.Sign;

/// <summary>The tests that share one <see cref="ServedAuthority"/> (one <c>jpki serve</c> process), run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class ServedAuthorityCollection : ICollectionFixture<ServedAuthority>
{
    public const string Name = "served authority";
}
