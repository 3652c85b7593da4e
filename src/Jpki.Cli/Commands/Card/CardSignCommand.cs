using Jpki.Authority.Contracts;
using System.CommandLine;
using Jpki.Cli.Output;
using Jpki.Core.Identity;
using Jpki.Core.Pins;

namespace Jpki.Cli.Commands.Card;

/// <summary><c>jpki card sign</c>: sha256WithRSAEncryption (RSA card) or ecdsa-with-SHA384 (next-generation card) of a file.</summary>
internal static class CardSignCommand
{
    public static Command Create(CliContext context)
    {
        var connection = new CardConnection();
        var which = new Option<string>("--which") { Description = "sign (signature key, password) or auth (authentication key, 4-digit PIN).", Required = true };
        which.AcceptOnlyFromAmong([.. WireNames.KindNames]);
        var input = new Option<FileInfo>("--in") { Description = "The file to sign.", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "Write the signature here (RSA: the 256-byte PKCS#1 v1.5 value; P-384: X9.62 DER, as openssl dgst -verify takes it); default: base64 on stdout." };
        var pin = new PinInput("pin", "PIN");
        var command = new Command("sign", "Sign a file on the card: RSA-2048 cards get SHA-256 as a DigestInfo and pad with PKCS#1 v1.5; next-generation P-384 cards get SHA-384 and answer ECDSA (written as X9.62 DER).");
        connection.AddTo(command);
        command.Options.Add(which);
        command.Options.Add(input);
        command.Options.Add(output);
        pin.AddTo(command);
        command.SetAction(parse =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            WireNames.TryParseKind(parse.GetValue(which), out var kind);
            byte[] data;
            try
            {
                data = File.ReadAllBytes(parse.GetValue(input)!.FullName);
            }
            catch (IOException e)
            {
                return CommandResult.BadInput(context, json, e.Message);
            }

            var pinKind = kind == CertificateKind.Signature ? PinKind.SignaturePassword : PinKind.AuthenticationPin;
            var (secret, error) = pin.Read(parse, context, kind == CertificateKind.Signature ? "Signature password: " : "Authentication PIN: ", pinKind);
            if (secret is null)
            {
                return CommandResult.BadInput(context, json, error!);
            }

            return CardClientRunner.Run(context, parse, connection, secret, (client, json) =>
            {
                if (CardClientRunner.Verify(context, json, client, pinKind, secret) is { } refused)
                {
                    return refused;
                }

                var (signature, algorithm) = client.SignData(kind, data);
                if (parse.GetValue(output) is { } file)
                {
                    File.WriteAllBytes(file.FullName, signature);
                    return CommandResult.Write(context, json, new { file = file.FullName, bytes = signature.Length, algorithm },
                        w => w.WriteLine($"Wrote a {signature.Length}-byte {algorithm} signature to {file.FullName}."));
                }

                var base64 = Convert.ToBase64String(signature);
                return CommandResult.Write(context, json, new { signature = base64, algorithm }, w => w.WriteLine(base64));
            });
        });
        return command;
    }
}
