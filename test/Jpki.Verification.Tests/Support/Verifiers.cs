using System.Security.Cryptography.X509Certificates;
using Jpki.Verification.Revocation;
using Jpki.Verification.Trust;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Verification.Tests.Support;

/// <summary>Verifiers over the test hierarchy, at <see cref="TestPki.Now"/>.</summary>
public static class Verifiers
{
    public static TrustStore Trust() => new TrustStoreBuilder().AddRoot(TestPki.SignCa).AddRoot(TestPki.SignCa2).AddRoot(TestPki.AuthCa).Build();

    /// <summary>A fresh CRL (no entries) for each CA, valid from a day ago for a week.</summary>
    public static CrlRevocationSource FreshCrls(params (X509Certificate2 Certificate, DateTimeOffset At, X509RevocationReason Reason)[] revokedBySignCa)
    {
        var source = new CrlRevocationSource();
        source.Add(TestPki.Crl(TestPki.SignCa, TestPki.SignCaKey, TestPki.Now.AddDays(-1), TestPki.Now.AddDays(6), revokedBySignCa));
        source.Add(TestPki.Crl(TestPki.SignCa2, TestPki.SignCa2Key, TestPki.Now.AddDays(-1), TestPki.Now.AddDays(6)));
        source.Add(TestPki.Crl(TestPki.AuthCa, TestPki.AuthCaKey, TestPki.Now.AddDays(-1), TestPki.Now.AddDays(6)));
        return source;
    }

    public static JpkiVerifier Create(IRevocationSource? revocation = null, VerifierOptions? options = null, TrustStore? trust = null)
        => new(trust ?? Trust(), revocation is null ? [FreshCrls()] : [revocation], new FakeTimeProvider(TestPki.Now), options);
}
