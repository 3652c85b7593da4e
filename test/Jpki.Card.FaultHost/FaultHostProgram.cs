using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Jpki.Card.Apdu;
using Jpki.Card.Client;
using Jpki.Card.Issuer;
using Jpki.Card.Transport;
using Jpki.Card.Virtual;
using Jpki.Core.Identity;
using Jpki.Core.Pins;

namespace Jpki.Card.FaultHost;

/// <summary>
/// Loops one card operation on a virtual card file until it is killed, printing one line per card answer (stdout is
/// flushed after each line), so the killing test knows exactly which answers were seen. Secrets come from environment
/// variables, never from the command line: <c>FAULTHOST_PIN</c> and <c>FAULTHOST_MASTER_KEY</c> (hex).
/// <code>
/// verify   &lt;card&gt; &lt;auth|sign|card&gt;           VERIFY FAULTHOST_PIN until the card answers 6984: "SW 9000", "SW 63C2", ...
/// write    &lt;card&gt; &lt;fid hex&gt; &lt;file&gt;...       write the files in turn to the EF: "WROTE i"
/// generate &lt;card&gt; &lt;auth|sign&gt;                regenerate the key pair: "KEY &lt;SHA-256 of the modulus, hex&gt;"
/// </code>
/// The first line is "READY" once the card is open (its lock taken). The host never outlives its test: it exits when its
/// standard input reaches end of file (the test process closed it or died) and after <see cref="MaxLifetimeMs"/> at most.
/// </summary>
internal static class FaultHostProgram
{
    private const long MaxLifetimeMs = 120_000;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var watchdog = new Thread(() =>
        {
            // A write to a closed pipe does not fail in .NET, so the parent's death is noticed on stdin instead.
            Console.In.ReadToEnd();
            Environment.Exit(3);
        })
        { IsBackground = true };
        watchdog.Start();
        var deadline = Environment.TickCount64 + MaxLifetimeMs;

        if (args.Length < 3)
        {
            stderr.WriteLine("usage: Jpki.Card.FaultHost verify|write|generate <card> ...");
            return 2;
        }

        using var card = VirtualCard.Open(args[1]);
        using var transport = new InProcessTransport(card);
        var client = new JpkiCardClient(transport);
        stdout.WriteLine("READY");
        stdout.Flush();
        switch (args[0])
        {
            case "verify":
                return VerifyLoop(client, PinKindOf(args[2]), stdout, deadline);
            case "write":
                return WriteLoop(Issuer(client, card.CardNumber), ushort.Parse(args[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture), args[3..], stdout, deadline);
            case "generate":
                return GenerateLoop(Issuer(client, card.CardNumber), args[2] == "sign" ? CertificateKind.Signature : CertificateKind.Authentication, stdout, deadline);
            default:
                stderr.WriteLine($"unknown mode {args[0]}");
                return 2;
        }
    }

    private static int VerifyLoop(JpkiCardClient client, PinKind kind, TextWriter stdout, long deadline)
    {
        var pin = Encoding.ASCII.GetBytes(Environment.GetEnvironmentVariable("FAULTHOST_PIN") ?? throw new InvalidOperationException("FAULTHOST_PIN is not set."));
        var verify = CommandApdu.Encode(0x00, 0x20, 0x00, 0x80, pin);
        client.SelectPin(kind);
        while (Environment.TickCount64 < deadline)
        {
            var response = client.Send(verify);
            stdout.WriteLine($"SW {response.StatusWord:X4}");
            stdout.Flush();
            if (response.StatusWord == StatusWords.PinBlocked)
            {
                return 0;
            }
        }

        return 4;
    }

    private static int WriteLoop(CardIssuerClient issuer, ushort fid, string[] files, TextWriter stdout, long deadline)
    {
        var contents = files.Select(File.ReadAllBytes).ToArray();
        for (var i = 0; Environment.TickCount64 < deadline; i = (i + 1) % contents.Length)
        {
            issuer.WriteFile(Card.Applications.CardApplication.Jpki, fid, contents[i]);
            stdout.WriteLine($"WROTE {i}");
            stdout.Flush();
        }

        return 4;
    }

    private static int GenerateLoop(CardIssuerClient issuer, CertificateKind kind, TextWriter stdout, long deadline)
    {
        while (Environment.TickCount64 < deadline)
        {
            var key = issuer.GenerateKeyPair(kind);
            stdout.WriteLine($"KEY {Convert.ToHexString(SHA256.HashData(key.Answer.Span))}");
            stdout.Flush();
        }

        return 4;
    }

    private static CardIssuerClient Issuer(JpkiCardClient client, string cardNumber)
    {
        var master = Convert.FromHexString(Environment.GetEnvironmentVariable("FAULTHOST_MASTER_KEY") ?? throw new InvalidOperationException("FAULTHOST_MASTER_KEY is not set."));
        return new CardIssuerClient(client, CardManagementKey.Derive(master, cardNumber), cardNumber);
    }

    private static PinKind PinKindOf(string name) => name switch
    {
        "auth" => PinKind.AuthenticationPin,
        "sign" => PinKind.SignaturePassword,
        "card" => PinKind.CardPin,
        _ => throw new ArgumentException($"unknown PIN kind {name}", nameof(name)),
    };
}
