using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Card.Apdu;
using Jpki.Card.Applications;
using Jpki.Card.Client;
using Jpki.Card.Issuer;
using Jpki.Card.Transport;
using Jpki.Core.Identity;
using Jpki.Core.Pins;
using Xunit.Abstractions;

using static Jpki.Card.Tests.Durability.KillHarness;

namespace Jpki.Card.Tests.Durability;

/// <summary>SIGKILL during a loop of correct PINs costs at most the attempt in flight; the reset to the maximum is durable.</summary>
public sealed class CorrectPinKillTests(ITestOutputHelper output)
{
    [Fact]
    public void VerifyLoop_CorrectPinKilled_CostsAtMostTheAttemptInFlight()
    {
        var random = Seeded(output);
        const PinKind kind = PinKind.SignaturePassword;
        var max = PinPolicy.For(kind).MaxTries;
        using var card = TestCard.Create();
        var kills = 0;
        var run = 0;
        for (; kills < Kills; run++)
        {
            Assert.True(run < MaxRuns, $"only {kills} of {Kills} kills landed in {MaxRuns} runs");
            var start = TriesLeft(card, kind);
            if (start == max && random.Next(2) == 0)
            {
                // Start some runs from a lower count: the correct PIN must bring it back to the maximum, durably.
                using var transport = new InProcessTransport(card.Card);
                var client = new JpkiCardClient(transport);
                for (var wrong = random.Next(1, max - 1); wrong > 0; wrong--)
                {
                    Assert.False(client.Verify(kind, WrongPin(kind)).Verified);
                }

                start = TriesLeft(card, kind);
            }

            card.Eject();
            using var host = FaultHostProcess.Start(["verify", card.Path, Name(kind)], Pin(CorrectPin(kind)));
            ReadAnswers(host, random.Next(0, 4));
            Jitter(random, 20);
            kills += host.Kill() ? 1 : 0;
            card.Reopen();

            var seen = host.Lines.Skip(1).ToList();
            Assert.All(seen, line => Assert.Equal("SW 9000", line));
            var after = TriesLeft(card, kind);
            var allowed = seen.Count > 0 ? new[] { max - 1, max } : [start - 1, start, max];
            Assert.True(
                allowed.Contains(after),
                $"run {run}: {start} tries before, {seen.Count} successes seen, {after} tries after the kill (allowed: {string.Join(", ", allowed)})");
            AssertNoTempFiles(card);
        }

        output.WriteLine($"{kills} kills landed in {run} runs");
    }
}
