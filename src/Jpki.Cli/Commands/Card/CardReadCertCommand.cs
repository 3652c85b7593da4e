using System.CommandLine;
using Jpki.Card.Client;
using Jpki.Cli.Output;
using Jpki.Core.Pins;

namespace Jpki.Cli.Commands.Card;

/// <summary><c>jpki card read-cert</c>: one of the four certificates, PEM or DER.</summary>
internal static class CardReadCertCommand
{
    public static Command Create(CliContext context)
    {
        var connection = new CardConnection();
        var which = new Option<string>("--which") { Description = "auth, sign (needs the signature password), auth-ca or sign-ca.", Required = true };
        which.AcceptOnlyFromAmong("auth", "sign", "auth-ca", "sign-ca");
        var der = new Option<bool>("--der") { Description = "Write DER (binary; needs --out)." };
        var pem = new Option<bool>("--pem") { Description = "Write PEM (the default)." };
        var output = new Option<FileInfo>("--out") { Description = "Write to this file instead of stdout." };
        var password = new PinInput("pin", "signature password");
        var command = new Command("read-cert", "Read a certificate from the card as OpenSC does (4 header bytes, then 256-byte chunks).");
        connection.AddTo(command);
        command.Options.Add(which);
        command.Options.Add(der);
        command.Options.Add(pem);
        command.Options.Add(output);
        password.AddTo(command);
        command.SetAction(parse =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            var slot = parse.GetValue(which) switch
            {
                "sign" => CertificateSlot.Signature,
                "auth-ca" => CertificateSlot.AuthenticationCa,
                "sign-ca" => CertificateSlot.SignatureCa,
                _ => CertificateSlot.Authentication,
            };
            var file = parse.GetValue(output);
            if (parse.GetValue(der) && (file is null || parse.GetValue(pem)))
            {
                return CommandResult.BadInput(context, json, "--der writes binary: give --out <file>, and not --pem.");
            }

            char[]? pin = null;
            if (slot == CertificateSlot.Signature)
            {
                (pin, var error) = password.Read(parse, context, "Signature password: ", PinKind.SignaturePassword);
                if (pin is null)
                {
                    return CommandResult.BadInput(context, json, error!);
                }
            }

            return CardClientRunner.Run(context, parse, connection, pin, (client, json) =>
            {
                if (pin is not null && CardClientRunner.Verify(context, json, client, PinKind.SignaturePassword, pin) is { } refused)
                {
                    return refused;
                }

                var certificate = client.ReadCertificate(slot);
                if (certificate is null)
                {
                    return CardClientRunner.Refused(context, json, "no-certificate", $"The card holds no {parse.GetValue(which)} certificate.");
                }

                var text = new string(System.Security.Cryptography.PemEncoding.Write("CERTIFICATE", certificate));
                if (file is not null)
                {
                    if (parse.GetValue(der))
                    {
                        File.WriteAllBytes(file.FullName, certificate);
                    }
                    else
                    {
                        File.WriteAllText(file.FullName, text + "\n");
                    }

                    return CommandResult.Write(context, json, new { file = file.FullName, bytes = certificate.Length },
                        w => w.WriteLine($"Wrote {certificate.Length} bytes of certificate to {file.FullName}."));
                }

                return CommandResult.Write(context, json, new { pem = text }, w => w.WriteLine(text));
            });
        });
        return command;
    }
}
