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

/// <summary>SIGKILL during key generation leaves the old key or a complete new one that signs.</summary>
public sealed class KeyGenerationKillTests(ITestOutputHelper output)
{
    [Fact]
    public void KeyGeneration_Killed_KeyIsOldOrNewAndSigns()
    {
        var random = Seeded(output);
        using var card = TestCard.Create();
        var current = ModulusHash(card);
        var everSeen = new HashSet<string> { current };
        var kills = 0;
        var run = 0;
        for (; kills < Kills; run++)
        {
            Assert.True(run < MaxRuns, $"only {kills} of {Kills} kills landed in {MaxRuns} runs");
            card.Eject();
            using var host = FaultHostProcess.Start(["generate", card.Path, "auth"], MasterKey());
            ReadAnswers(host, random.Next(0, 2));
            Jitter(random, 150);
            kills += host.Kill() ? 1 : 0;
            card.Reopen();

            var seen = host.Lines.Skip(1).Select(line => line["KEY ".Length..]).ToList();
            var last = seen.Count == 0 ? current : seen[^1];
            everSeen.UnionWith(seen);
            var after = ModulusHash(card);

            // The last key seen, or one generated after it whose answer was not seen; never an older one.
            Assert.True(after == last || !everSeen.Contains(after), $"run {run}: the card went back to an older key");
            AssertKeySigns(card);
            AssertNoTempFiles(card);
            everSeen.Add(after);
            current = after;
        }

        output.WriteLine($"{kills} kills landed in {run} runs");
    }
}
