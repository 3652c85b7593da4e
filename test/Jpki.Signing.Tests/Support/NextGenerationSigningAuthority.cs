using Jpki.Authority.Ca;

namespace Jpki.Signing.Tests.Support;

/// <summary>The <see cref="SigningAuthority"/> of the next-generation profile: P-384 CAs and a next-generation card (issue 13).</summary>
public sealed class NextGenerationSigningAuthority() : SigningAuthority(AuthoritySettings.ProfileNextGeneration);
