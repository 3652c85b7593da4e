namespace Jpki.Card.Tests.Interop;

/// <summary>The interop tests share one pcscd and never run in parallel (only one pcscd per machine).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PcscdCollection : ICollectionFixture<PcscdFixture>
{
    public const string Name = "pcscd";
}
