using System.Buffers.Text;
using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Card.Client;
using Jpki.Cli.Commands.Verify;
using Jpki.Cli.Output;
using Jpki.Core.Identity;
using Jpki.Core.Signatures;
using Jpki.Verification.Login;

namespace Jpki.Cli.Commands.Login;

/// <summary><c>jpki login</c>: the verifying side of a JPKI login (challenge, then check the card's answer).</summary>
internal static class LoginCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command(
            "login",
            "JPKI login, verifying side. `login challenge` makes a 32-byte random challenge; the citizen signs it with the authentication key " +
            "(`jpki card sign --which auth --in challenge.bin`); `login verify` checks the signature, the authentication certificate, its path and revocation.\n" +
            "A server keeps challenges single-use and short-lived with Jpki.Verification.Login.LoginVerifier; these commands are stateless.");
        command.Subcommands.Add(CreateChallenge(context));
        command.Subcommands.Add(CreateVerify(context));
        return command;
    }

    private static Command CreateChallenge(CliContext context)
    {
        var output = new Option<FileInfo>("--out") { Description = "Also write the 32 raw challenge bytes to this file (what `jpki card sign --in` takes)." };
        var command = new Command("challenge", "Make a login challenge: 32 random bytes, printed base64url.");
        command.Options.Add(output);
        command.SetAction(parse =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            var bytes = RandomNumberGenerator.GetBytes(32);
            var id = Base64Url.EncodeToString(bytes);
            var expires = context.Clock.GetUtcNow().AddSeconds(120);
            if (parse.GetValue(output) is { } file)
            {
                try
                {
                    File.WriteAllBytes(file.FullName, bytes);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return CommandResult.BadInput(context, json, e.Message);
                }
            }

            return CommandResult.Write(context, json, new { challenge = id, expiresAt = expires }, w => w.WriteLine(id));
        });
        return command;
    }

    private static Command CreateVerify(CliContext context)
    {
        var setup = new VerifierSetup();
        var challenge = new Option<string>("--challenge") { Description = "The challenge as printed by `jpki login challenge` (base64url).", Required = true };
        var signature = new Option<FileInfo>("--signature") { Description = "The card's signature: a file with the raw bytes or their base64 (RSA card: PKCS#1 v1.5 over SHA-256; next-generation card: ECDSA P-384 over SHA-384, X9.62 DER or r‖s).", Required = true };
        var certificate = new Option<FileInfo>("--cert") { Description = "The authentication certificate (PEM or DER), as read from the card.", Required = true };
        var command = new Command("verify", "Verify the card's answer to a login challenge. Exit 0 valid (prints the account key), 1 refused with the reason, 2 bad input.");
        command.Options.Add(challenge);
        command.Options.Add(signature);
        command.Options.Add(certificate);
        setup.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            byte[] challengeBytes;
            byte[] signatureBytes;
            X509Certificate2 authCertificate;
            try
            {
                challengeBytes = Base64Url.DecodeFromChars(parse.GetValue(challenge)!.Trim());
                signatureBytes = ReadBinaryOrBase64(parse.GetValue(signature)!.FullName);
                authCertificate = X509CertificateLoader.LoadCertificateFromFile(parse.GetValue(certificate)!.FullName);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or CryptographicException)
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
                // An RSA card's answer is PKCS#1 v1.5 over SHA-256; the next-generation card's is ECDSA P-384 over SHA-384,
                // which `jpki card sign` writes as X9.62 DER and a raw client answers as r‖s: both are taken.
                var result = LoginOrigin.AlgorithmFor(authCertificate) == LoginToken.AlgorithmEs384
                    ? await verifier.VerifyEcdsaSha384Async(challengeBytes, EcdsaRaw(signatureBytes), authCertificate, CertificateKind.Authentication, null, at, cancellationToken).ConfigureAwait(false)
                    : await verifier.VerifyPkcs1Async(challengeBytes, signatureBytes, authCertificate, CertificateKind.Authentication, null, at, cancellationToken).ConfigureAwait(false);
                var account = result.IsValid ? AccountKeys.FromFirstCertificate(CertificateId.Of(authCertificate)) : null;
                var payload = VerdictPayload.From(result) with { AccountKey = account };
                return CommandResult.Write(context, json, payload, payload.WriteHuman, result.IsValid ? ExitCodes.Ok : ExitCodes.Negative);
            }
        });
        return command;
    }

    /// <summary>r‖s as it is, or X9.62 DER turned into r‖s; anything else as it is (the verifier refuses it with a reason).</summary>
    private static byte[] EcdsaRaw(byte[] signature)
    {
        if (signature.Length == P384Signature.Length || signature.Length == 0 || signature[0] != 0x30)
        {
            return signature;
        }

        try
        {
            return EcdsaSignature.ToRaw(signature, P384Signature.Length / 2);
        }
        catch (CryptographicException)
        {
            return signature;
        }
    }

    private static byte[] ReadBinaryOrBase64(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var text = System.Text.Encoding.ASCII.GetString(bytes).Trim();
        if (text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=' or '-' or '_'))
        {
            try
            {
                return text.Contains('-', StringComparison.Ordinal) || text.Contains('_', StringComparison.Ordinal) ? Base64Url.DecodeFromChars(text) : Convert.FromBase64String(text);
            }
            catch (FormatException)
            {
                return bytes;
            }
        }

        return bytes;
    }
}
