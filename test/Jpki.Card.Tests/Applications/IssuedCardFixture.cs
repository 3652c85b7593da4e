namespace Jpki.Card.Tests.Applications;

/// <summary>One dev-issued card shared by a test class (issuing generates four RSA keys). Tests reset it first.</summary>
public sealed class IssuedCardFixture : IDisposable
{
    public TestCard Card { get; } = TestCard.Create();

    public void Dispose() => Card.Dispose();
}
