namespace Jpki.Server.Tests.Browser;

/// <summary>One Chromium for every browser test class in this assembly (start-up costs about a second).</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<Chromium>
{
    public const string Name = "Chromium";
}
