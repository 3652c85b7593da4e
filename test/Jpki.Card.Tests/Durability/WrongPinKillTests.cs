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

/// <summary>SIGKILL during a loop of wrong PINs never gives a try back, and the card still locks.</summary>
public sealed class WrongPinKillTests(ITestOutputHelper output)
{
    public static TheoryData<PinKind> WrongPinKinds => new() { PinKind.SignaturePassword, PinKind.AuthenticationPin };

    [Theory]
    [MemberData(nameof(WrongPinKinds))]
    public void VerifyLoop_WrongPinKilled_NeverGivesATryBack(PinKind kind)
    {
        var random = Seeded(output);
        using var card = TestCard.Create();
        var max = PinPolicy.For(kind).MaxTries;
        var kills = 0;
        var run = 0;
        for (; kills < Kills; run++)
        {
            Assert.True(run < MaxRuns, $"only {kills} of {Kills} kills landed in {MaxRuns} runs");
            var before = TriesLeft(card, kind);
            if (before == 0)
            {
                WithIssuer(card, issuer => issuer.ResetRetryCounter(kind));
                before = max;
            }

            card.Eject();
            using var host = FaultHostProcess.Start(["verify", card.Path, Name(kind)], Pin(WrongPin(kind)));
            ReadAnswers(host, random.Next(0, before));
            Jitter(random, 10);
            kills += host.Kill() ? 1 : 0;
            card.Reopen();

            var seen = host.Lines.Skip(1).ToList();
            Assert.All(seen, line => Assert.Matches("^SW (63C[0-9A-F]|6984)$", line));
            var decrements = seen.Count(line => line.StartsWith("SW 63C", StringComparison.Ordinal));
            var after = TriesLeft(card, kind);
            Assert.True(
                after <= before - decrements && after >= before - decrements - 1,
                $"run {run}: {before} tries before, {decrements} wrong-PIN answers seen, {after} tries after the kill");
            AssertNoTempFiles(card);
        }

        output.WriteLine($"{kills} kills landed in {run} runs");

        // And the card still locks: a host that runs to the end sees exactly the remaining tries, then 6984 for good.
        var left = TriesLeft(card, kind);
        card.Eject();
        using (var host = FaultHostProcess.Start(["verify", card.Path, Name(kind)], Pin(WrongPin(kind))))
        {
            while (host.ReadLine() is not null)
            {
            }

            Assert.Equal(left, host.Lines.Count(line => line.StartsWith("SW 63C", StringComparison.Ordinal)));
            Assert.Equal("SW 6984", host.Lines[^1]);
        }

        card.Reopen();
        Assert.Equal(0, TriesLeft(card, kind));
        using var transport = new InProcessTransport(card.Card);
        Assert.True(new JpkiCardClient(transport).Verify(kind, CorrectPin(kind)).Blocked);
    }
}
