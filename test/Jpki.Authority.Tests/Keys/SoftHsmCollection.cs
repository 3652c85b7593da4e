namespace Jpki.Authority.Tests.Keys;

/// <summary>One SoftHSM2 token per test run: the PKCS#11 library reads its configuration once per load.</summary>
[CollectionDefinition("softhsm")]
public sealed class SoftHsmCollection : ICollectionFixture<SoftHsmToken>;
