using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using Jpki.Core.Identity;
using Jpki.Verification.Login;
using Jpki.Verification.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Verification.Tests.Login;

/// <summary>
/// Login decisions are counted by outcome (<c>jpki.verification.logins</c>, docs/operations.md): an accepted login as
/// <c>accepted</c>, a refused one by its verdict code — what an operator alerts on (a burst of replays, of revoked cards).
/// </summary>
public class LoginTelemetryTests
{
    [Fact]
    public async Task AcceptedAndReplayedLogins_AreCountedByOutcome_WithoutTheCertificate()
    {
        var outcomes = new ConcurrentBag<string>();
        var values = new ConcurrentBag<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == VerificationTelemetry.Name && instrument.Name == "jpki.verification.logins")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var (key, value) in tags)
            {
                values.Add(value?.ToString() ?? string.Empty);
                if (key == "outcome")
                {
                    outcomes.Add((string)value!);
                }
            }
        });
        listener.Start();

        var login = new LoginVerifier(Verifiers.Create(), new InMemoryChallengeStore(), new FakeTimeProvider(TestPki.Now));
        var challenge = await login.IssueChallengeAsync();
        var signature = TestPki.SubjectKey.SignHash(SHA256.HashData(challenge.Challenge.Span), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var certificate = TestPki.Issue(new TestPki.Ee { Kind = CertificateKind.Authentication, Serial = 0x3103 });
        Assert.Equal(VerdictCode.Valid, (await login.VerifyAsync(challenge.Id, signature, certificate)).Verdict.Code);
        Assert.Equal(VerdictCode.ChallengeRejected, (await login.VerifyAsync(challenge.Id, signature, certificate)).Verdict.Code);

        Assert.Contains("accepted", outcomes);
        Assert.Contains(Verdict.CodeOf(VerdictCode.ChallengeRejected), outcomes);
        Assert.DoesNotContain(values, v => v.Contains(certificate.SerialNumber, StringComparison.OrdinalIgnoreCase));
    }
}
