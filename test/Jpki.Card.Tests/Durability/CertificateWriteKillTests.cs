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

/// <summary>SIGKILL during issuer-channel certificate writes leaves each EF holding the old or the new certificate, never part of one.</summary>
public sealed class CertificateWriteKillTests(ITestOutputHelper output)
{
    [Fact]
    public void CertificateWrite_Killed_EfIsOldOrNewCertificateNeverPartial()
    {
        var random = Seeded(output);
        using var card = TestCard.Create();
        var certificates = new[] { ReadEf(card, CardFiles.AuthCertificate), LargeCertificate(1), LargeCertificate(2) };
        var files = certificates.Select((der, i) => WriteTemp(card, $"cert-{i}.der", der)).ToArray();
        var current = certificates[0];
        var kills = 0;
        var run = 0;
        for (; kills < Kills; run++)
        {
            Assert.True(run < MaxRuns, $"only {kills} of {Kills} kills landed in {MaxRuns} runs");
            card.Eject();
            using var host = FaultHostProcess.Start(["write", card.Path, "000A", .. files], MasterKey());
            ReadAnswers(host, random.Next(0, 4));
            Jitter(random, 30);
            kills += host.Kill() ? 1 : 0;
            card.Reopen();

            var seen = host.Lines.Skip(1).Select(line => int.Parse(line["WROTE ".Length..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            var allowed = seen.Count == 0
                ? new[] { current, certificates[0] }
                : [certificates[seen[^1]], certificates[(seen[^1] + 1) % certificates.Length]];
            var content = ReadEf(card, CardFiles.AuthCertificate);
            Assert.True(
                allowed.Any(a => a.AsSpan().SequenceEqual(content)),
                $"run {run}: after {seen.Count} complete writes the EF holds {content.Length} bytes, which is none of the expected certificates ({string.Join(", ", allowed.Select(a => a.Length))} bytes)");
            using var certificate = X509CertificateLoader.LoadCertificate(content);
            Assert.Equal(0x8F, ReadEf(card, CardFiles.Availability)[1]);
            AssertNoTempFiles(card);
            current = content;
        }

        output.WriteLine($"{kills} kills landed in {run} runs");
    }
}
