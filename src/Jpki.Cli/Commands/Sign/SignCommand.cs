using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Card.Client;
using Jpki.Cli.Commands.Card;
using Jpki.Cli.Output;
using Jpki.Core.Pins;
using Jpki.Verification.Cms;

namespace Jpki.Cli.Commands.Sign;

/// <summary><c>jpki sign</c>: a CMS signature (.p7s) made by the card's signature key.</summary>
internal static class SignCommand
{
    public static Command Create(CliContext context)
    {
        var connection = new CardConnection();
        var input = new Option<FileInfo>("--in") { Description = "The file to sign.", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "Where to write the CMS signature (DER .p7s).", Required = true };
        var attached = new Option<bool>("--attached") { Description = "Embed the file in the signature (default: detached)." };
        var password = new PinInput("password", "signature password");
        var command = new Command(
            "sign",
            "Sign a file with the card's signature certificate (署名用電子証明書): CMS SignedData (detached by default) with SHA-256 and the signed attributes " +
            "contentType, messageDigest, signingTime and signingCertificateV2; the card signs the DigestInfo of the signed attributes (80 2A 00 80). " +
            "The certificate is read from the card (EF 0001) after the signature password. Verify with `jpki verify --in FILE --sig FILE.p7s`.");
        connection.AddTo(command);
        command.Options.Add(input);
        command.Options.Add(output);
        command.Options.Add(attached);
        password.AddTo(command);
        command.SetAction(parse =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            byte[] data;
            try
            {
                data = File.ReadAllBytes(parse.GetValue(input)!.FullName);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return CommandResult.BadInput(context, json, e.Message);
            }

            var (secret, error) = password.Read(parse, context, "Signature password: ", PinKind.SignaturePassword);
            if (secret is null)
            {
                return CommandResult.BadInput(context, json, error!);
            }

            return CardClientRunner.Run(context, parse, connection, secret, (client, json) =>
            {
                if (CardClientRunner.Verify(context, json, client, PinKind.SignaturePassword, secret) is { } refused)
                {
                    return refused;
                }

                if (client.ReadCertificate(CertificateSlot.Signature) is not { } der)
                {
                    return CardClientRunner.Refused(context, json, "no-certificate", "The card holds no signature certificate.");
                }

                using var certificate = X509CertificateLoader.LoadCertificate(der);
                using var publicKey = certificate.GetRSAPublicKey();
                if (publicKey is null)
                {
                    return CardClientRunner.Refused(context, json, "not-rsa", "The card's signature certificate does not hold an RSA key.");
                }

                using var key = new CardRsa(client, publicKey);
                byte[] cms;
                try
                {
                    cms = CmsSignatureBuilder.Sign(data, certificate, key, !parse.GetValue(attached), context.Clock.GetUtcNow());
                }
                catch (CryptographicException e)
                {
                    return CardClientRunner.Refused(context, json, "sign-failed", e.Message);
                }

                var file = parse.GetValue(output)!;
                try
                {
                    File.WriteAllBytes(file.FullName, cms);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return CommandResult.BadInput(context, json, e.Message);
                }

                return CommandResult.Write(
                    context,
                    json,
                    new { file = file.FullName, bytes = cms.Length, signer = certificate.Subject, detached = !parse.GetValue(attached) },
                    w => w.WriteLine($"Wrote a CMS signature ({cms.Length} bytes) by {certificate.Subject} to {file.FullName}."));
            });
        });
        return command;
    }
}
