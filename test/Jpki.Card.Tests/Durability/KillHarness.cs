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

namespace Jpki.Card.Tests.Durability;

/// <summary>
/// Shared parts of the kill tests. Each runs test/Jpki.Card.FaultHost as a child process that loops one card operation on
/// a virtual card file and prints one line per card answer; the test SIGKILLs it at a random moment (after a random number
/// of answers plus a random delay), reopens the card file and checks invariants. Each scenario needs <see cref="Kills"/>
/// kills that landed while the host was still working. The seed is printed; JPKI_FAULT_SEED replays the same choices
/// (the exact kill moments still depend on scheduling).
/// </summary>
internal static class KillHarness
{
    public const int Kills = 20;
    public const int MaxRuns = 200;

    public static Random Seeded(ITestOutputHelper output)
    {
        var seed = Environment.GetEnvironmentVariable("JPKI_FAULT_SEED") is { Length: > 0 } text
            ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        output.WriteLine($"seed {seed} (JPKI_FAULT_SEED={seed} replays it)");
        return new Random(seed);
    }

    /// <summary>Reads up to <paramref name="count"/> answers; fewer if the host exits first.</summary>
    public static void ReadAnswers(FaultHostProcess host, int count)
    {
        for (var i = 0; i < count && host.ReadLine() is not null; i++)
        {
        }
    }

    /// <summary>Moves the kill to a random point inside the next operation. Not a synchronisation: any delay is correct.</summary>
    public static void Jitter(Random random, int maxMilliseconds) => Thread.Sleep(random.Next(0, maxMilliseconds + 1));

    public static int TriesLeft(TestCard card, PinKind kind)
    {
        using var transport = new InProcessTransport(card.Card);
        return new JpkiCardClient(transport).GetTriesLeft(kind);
    }

    public static void WithIssuer(TestCard card, Action<CardIssuerClient> action)
    {
        using var transport = new InProcessTransport(card.Card);
        using var key = TestCard.ManagementKey();
        action(new CardIssuerClient(new JpkiCardClient(transport), key, TestCard.CardNumber));
    }

    public static byte[] ReadEf(TestCard card, ushort fid)
    {
        using var transport = new InProcessTransport(card.Card);
        var client = new JpkiCardClient(transport);
        client.SelectApplication(CardApplication.Jpki);
        client.SelectFile(fid);
        var content = new List<byte>();
        while (true)
        {
            var response = client.ReadBinary(content.Count, 256);
            if (response.StatusWord == StatusWords.WrongOffset)
            {
                return [.. content];
            }

            JpkiCardClient.Check(response, "READ BINARY");
            content.AddRange(response.Data.Span);
            if (response.Data.Length < 256)
            {
                return [.. content];
            }
        }
    }

    public static string ModulusHash(TestCard card)
    {
        RSAParameters key = default;
        WithIssuer(card, issuer => key = issuer.ReadPublicKey(CertificateKind.Authentication).ToRsaParameters());
        return Convert.ToHexString(SHA256.HashData(key.Modulus!));
    }

    public static void AssertKeySigns(TestCard card)
    {
        RSAParameters key = default;
        WithIssuer(card, issuer => key = issuer.ReadPublicKey(CertificateKind.Authentication).ToRsaParameters());
        using var transport = new InProcessTransport(card.Card);
        var client = new JpkiCardClient(transport);
        Assert.True(client.Verify(PinKind.AuthenticationPin, TestCard.AuthPin).Verified);
        var data = "card durability"u8.ToArray();
        var signature = client.SignSha256(CertificateKind.Authentication, data);
        using var rsa = RSA.Create(key);
        Assert.True(rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    /// <summary>A self-signed certificate padded to several UPDATE BINARY chunks, different for each <paramref name="variant"/>.</summary>
    public static byte[] LargeCertificate(int variant)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN=OpenJpki durability test {variant}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509Extension("1.3.6.1.4.1.55555.1", [0x04, 0x82, 0x04, 0x00, .. new byte[1024 * variant - 4]], critical: false));
        using var certificate = request.CreateSelfSigned(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));
        return certificate.RawData;
    }

    public static string WriteTemp(TestCard card, string name, byte[] content)
    {
        var path = Path.Combine(card.Directory, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    public static void AssertNoTempFiles(TestCard card) =>
        Assert.Empty(Directory.GetFiles(card.Directory, "*.tmp"));

    public static Dictionary<string, string> Pin(string pin) => new() { ["FAULTHOST_PIN"] = pin };

    public static Dictionary<string, string> MasterKey() => new() { ["FAULTHOST_MASTER_KEY"] = Convert.ToHexString(TestCard.MasterKey) };

    public static string Name(PinKind kind) => kind switch
    {
        PinKind.AuthenticationPin => "auth",
        PinKind.SignaturePassword => "sign",
        _ => "card",
    };

    public static string WrongPin(PinKind kind) => kind == PinKind.SignaturePassword ? "WRONG99" : "9999";

    public static string CorrectPin(PinKind kind) => kind == PinKind.SignaturePassword ? TestCard.SignPassword : TestCard.AuthPin;
}
