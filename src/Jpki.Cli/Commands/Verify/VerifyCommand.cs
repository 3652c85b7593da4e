using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Cli.Output;
using Jpki.Verification.Signatures;

namespace Jpki.Cli.Commands.Verify;

/// <summary>
/// <c>jpki verify</c>: validate a signed document as a relying party. The format is detected (CMS/CAdES; XAdES and PAdES
/// when their validators are registered) and judged per ETSI EN 319 102-1, with time-stamps as proof of existence.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create(CliContext context)
    {
        var setup = new VerifierSetup();
        var input = new Option<FileInfo>("--in") { Description = "The signed document: an enveloping signature (.p7s), a signed XML document, a signed PDF (PAdES: every signature field of every revision), or the signed file of a detached signature given with --sig." };
        var signature = new Option<FileInfo>("--sig") { Description = "A detached signature (.p7s, DER or PEM, or an XML signature file) over --in; alone, an enveloping signature." };
        var tsaTrust = new Option<FileInfo[]>("--tsa-trust") { Description = "A trusted TSA root (PEM or DER), e.g. GET /tsa/tsa-root.cer of jpki serve; repeat for several. Without it, time-stamps prove nothing and the signature is judged at the verification time." };
        var report = new Option<FileInfo>("--report") { Description = "Also write the full validation report (ETSI EN 319 102-1 style: indication, sub-indication, best signature time, time-stamps) as JSON to this file." };
        var command = new Command(
            "verify",
            "Verify a signed document: the format is detected (CMS/CAdES at any level B-B..B-LTA; XML signatures — XMLDSig and XAdES, enveloped, enveloping or detached, every ds:Signature of the document; signed PDFs — PAdES, every signature field of every revision, its /ByteRange checked), then signature, signed attributes, path to a trusted root, JPKI signature-certificate profile and revocation " +
            "(the CRL/OCSP answers the signature embeds, then --ocsp/--crl; fail closed) are checked at the best signature time proven by its time-stamps (--tsa-trust), " +
            "so a time-stamped signature made before its certificate was revoked or expired stays valid.\n" +
            "Exit codes: 0 valid (TOTAL-PASSED), 1 invalid or undetermined (the reason is printed), 2 bad usage or unreadable input.");
        command.Options.Add(input);
        command.Options.Add(signature);
        command.Options.Add(tsaTrust);
        command.Options.Add(report);
        setup.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            var inFile = parse.GetValue(input);
            var sigFile = parse.GetValue(signature);
            SignedDocument document;
            var anchors = new List<X509Certificate2>();
            try
            {
                document = (inFile, sigFile) switch
                {
                    ({ } data, { } sig) => new SignedDocument(DocumentSource.FromFile(data.FullName), DocumentSource.FromFile(sig.FullName)),
                    (null, { } sig) => new SignedDocument(DocumentSource.FromFile(sig.FullName)),
                    ({ } data, null) => new SignedDocument(DocumentSource.FromFile(data.FullName)),
                    _ => throw new ArgumentException("Give the signed document with --in (and a detached signature with --sig)."),
                };
                foreach (var file in parse.GetValue(tsaTrust) ?? [])
                {
                    anchors.AddRange(LoadCertificates(file.FullName));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or CryptographicException)
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
                var validator = new SignatureValidator(verifier, new SignatureValidationOptions { TimestampTrust = anchors });
                var result = await validator.ValidateAsync(document, at, cancellationToken).ConfigureAwait(false);
                if (parse.GetValue(report) is { } reportFile)
                {
                    try
                    {
                        await File.WriteAllTextAsync(reportFile.FullName, ValidationReportJson.Serialize(result), cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        return CommandResult.BadInput(context, json, e.Message);
                    }
                }

                var payload = result.Signatures.Count == 0 ? VerdictPayload.Unreadable(result) : VerdictPayload.From(result.Signatures[0], result);
                return CommandResult.Write(context, json, payload, payload.WriteHuman, result.IsValid ? ExitCodes.Ok : ExitCodes.Negative);
            }
        });
        return command;
    }

    /// <summary>Every certificate of a PEM (one or more blocks) or DER file.</summary>
    internal static List<X509Certificate2> LoadCertificates(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length > 0 && bytes[0] == 0x30)
        {
            return [X509CertificateLoader.LoadCertificate(bytes)];
        }

        var collection = new X509Certificate2Collection();
        collection.ImportFromPem(System.Text.Encoding.ASCII.GetString(bytes));
        return collection.Count > 0 ? [.. collection] : throw new CryptographicException($"{path} holds no certificate.");
    }
}
