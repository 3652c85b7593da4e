using System.CommandLine;
using Jpki.Card.Applications;
using Jpki.Card.Client;
using Jpki.Cli.Output;
using Jpki.Core.Pins;

namespace Jpki.Cli.Commands.Card;

/// <summary><c>jpki card info</c>: token, certificates present, PIN tries left.</summary>
internal static class CardInfoCommand
{
    public static Command Create(CliContext context)
    {
        var connection = new CardConnection();
        var command = new Command("info", "Show the card's token info, which certificates are present, and the tries left of each PIN (no PIN needed).");
        connection.AddTo(command);
        command.SetAction(parse => CardClientRunner.Run(context, parse, connection, (client, json) =>
        {
            var token = client.ReadTokenInfo();
            client.SelectFile(CardFiles.Availability);
            var availability = client.ReadCurrent(3);
            var present = new
            {
                // EF 0008, not a read of EF 000A: on smartphone tokens the auth certificate needs the PIN.
                auth = availability.Length > 1 && availability[1] != 0,
                sign = availability.Length > 0 && availability[0] != 0,
                authCa = client.ReadCertificate(CertificateSlot.AuthenticationCa) is not null,
                signCa = client.ReadCertificate(CertificateSlot.SignatureCa) is not null,
            };
            var tries = new
            {
                auth = client.GetTriesLeft(PinKind.AuthenticationPin),
                sign = client.GetTriesLeft(PinKind.SignaturePassword),
                card = TryCardPin(client),
            };
            var payload = new
            {
                transport = client.Transport.Name,
                atr = Convert.ToHexString(client.Transport.Atr.Span),
                label = TokenInfo.ReadLabel(token),
                serial = TokenInfo.ReadSerial(token),
                certificates = present,
                triesLeft = tries,
            };
            return CommandResult.Write(context, json, payload, w =>
            {
                w.WriteLine($"Card:          {payload.transport} (ATR {payload.atr})");
                w.WriteLine($"Token:         {payload.label}, serial {payload.serial}");
                w.WriteLine($"Certificates:  auth {Yes(present.auth)}, sign {Yes(present.sign)}, auth CA {Yes(present.authCa)}, sign CA {Yes(present.signCa)}");
                w.WriteLine($"Tries left:    auth PIN {tries.auth}/3, signature password {tries.sign}/5, card PIN {(tries.card is { } c ? $"{c}/3" : "n/a")}");
            });
        }));
        return command;
    }

    private static string Yes(bool value) => value ? "yes" : "no";

    private static int? TryCardPin(JpkiCardClient client)
    {
        try
        {
            return client.GetTriesLeft(PinKind.CardPin);
        }
        catch (CardStatusException)
        {
            return null; // a card without the text AP (e.g. a smartphone token)
        }
    }
}
