using System.CommandLine;
using Jpki.Cli.Output;

namespace Jpki.Cli.Commands.Verify;

/// <summary><c>jpki verify</c>: verify a CMS signature (<c>.p7s</c>) as a relying party.</summary>
internal static class VerifyCommand
{
    public static Command Create(CliContext context)
    {
        var setup = new VerifierSetup();
        var input = new Option<FileInfo>("--in") { Description = "The signed file, for a detached signature. Omit for an attached signature." };
        var signature = new Option<FileInfo>("--sig") { Description = "The CMS signature (.p7s, DER or PEM).", Required = true };
        var command = new Command(
            "verify",
            "Verify a JPKI signature (CMS SignedData, detached or attached): signature, signed attributes, path to a trusted root, JPKI signature-certificate profile, revocation (OCSP or CRL, fail closed).\n" +
            "Exit codes: 0 valid, 1 invalid (the reason is printed), 2 bad usage or unreadable input.");
        command.Options.Add(input);
        command.Options.Add(signature);
        setup.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            byte[] cms;
            byte[]? content = null;
            try
            {
                cms = ReadCms(parse.GetValue(signature)!.FullName);
                if (parse.GetValue(input) is { } file)
                {
                    content = await File.ReadAllBytesAsync(file.FullName, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                return CommandResult.BadInput(context, json, e.Message);
            }

            var (verifier, at, http, error) = setup.Build(parse, context);
            if (verifier is null)
            {
                return CommandResult.BadInput(context, json, error!);
            }

            using (http)
            {
                var result = content is null
                    ? await verifier.VerifyAttachedAsync(cms, at, cancellationToken).ConfigureAwait(false)
                    : await verifier.VerifyDetachedAsync(cms, content, at, cancellationToken).ConfigureAwait(false);
                var payload = VerdictPayload.From(result);
                return CommandResult.Write(context, json, payload, payload.WriteHuman, result.IsValid ? ExitCodes.Ok : ExitCodes.Negative);
            }
        });
        return command;
    }

    /// <summary>Reads a .p7s in DER, or PEM (<c>CMS</c> / <c>PKCS7</c>).</summary>
    internal static byte[] ReadCms(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length > 0 && bytes[0] == 0x30)
        {
            return bytes;
        }

        var text = System.Text.Encoding.ASCII.GetString(bytes);
        if (System.Security.Cryptography.PemEncoding.TryFind(text, out var fields))
        {
            return Convert.FromBase64String(text[fields.Base64Data]);
        }

        return bytes;
    }
}
