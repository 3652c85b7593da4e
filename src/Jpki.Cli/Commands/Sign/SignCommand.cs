using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Card.Client;
using Jpki.Cli.Commands.Card;
using Jpki.Cli.Logging;
using Jpki.Cli.Output;
using Jpki.Core.Pins;
using Jpki.Signing.Cades;
using Jpki.Signing.Pades;
using Jpki.Signing.Signers;
using Jpki.Signing.Timestamps;
using Jpki.Signing.Xades;
using Jpki.Verification.Pades;
using Microsoft.Extensions.Logging;

namespace Jpki.Cli.Commands.Sign;

/// <summary>
/// <c>jpki sign</c>: a CAdES signature (.p7s) or an XML signature (XAdES: enveloped, enveloping or detached) made by the
/// card's signature key, at baseline level B-B, B-T, B-LT or B-LTA; or (<c>--augment</c>) an existing signature raised
/// to a higher level, without the card.
/// </summary>
internal static class SignCommand
{
    /// <summary>The environment variable holding a registered verifier's key, sent when gathering revocation data for B-LT.</summary>
    public const string VerifierKeyVariable = "JPKI_VERIFIER_KEY";

    public static Command Create(CliContext context)
    {
        var connection = new CardConnection();
        var input = new Option<FileInfo>("--in") { Description = "The file to sign; with --augment, the signature (.p7s, signed XML) or the signed PDF to augment.", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "Where to write the signature (cades: DER .p7s; xades: the signed XML, or the signature file of --placement detached).", Required = true };
        var attached = new Option<bool>("--attached") { Description = "cades: embed the file in the signature (default: detached)." };
        var format = new Option<string>("--format") { Description = "The signature format: cades (CMS .p7s, ETSI EN 319 122 / JIS X 5092), xades (XML signature, RSA-SHA256 or ECDSA-SHA384 for a next-generation card, exclusive C14N, ETSI EN 319 132 / JIS X 5093) or pades (a signed PDF: an incremental update with a signature field, ETSI EN 319 142).", DefaultValueFactory = _ => "cades" };
        var subFilter = new Option<string>("--subfilter") { Description = "pades: the /SubFilter, ETSI.CAdES.detached (PAdES baseline, default) or adbe.pkcs7.detached.", DefaultValueFactory = _ => "ETSI.CAdES.detached" };
        var referenceId = new Option<string>("--reference-id") { Description = "xades, enveloped: sign only the element with this Id attribute (not the whole document), so the document can carry several independent (parallel) signatures: each signer signs the same element and the signatures sit side by side, with their own Ids (Signature, Signature-2, …). A document whose first signature covers the whole of it cannot take a second one (it would break): refused, nothing written." };
        var placement = new Option<string>("--placement") { Description = "xades: enveloped (the signature inside the signed XML document, over the whole of it; default), enveloping (the XML inside the signature's ds:Object) or detached (a signature file naming --in by its file name; any file).", DefaultValueFactory = _ => "enveloped" };
        var level = new Option<string>("--level") { Description = "Baseline level: B-B (signed attributes / XAdES signed properties), B-T (+ signature time-stamp), B-LT (+ certificates and CRL/OCSP answers), B-LTA (+ archive time-stamp). Default B-B.", DefaultValueFactory = _ => "B-B" };
        var tsa = HttpUriOption.Create("--tsa", "The RFC 3161 time-stamping authority for B-T and B-LTA, e.g. http://127.0.0.1:8080/tsa (jpki serve).");
        var augment = new Option<bool>("--augment") { Description = "Raise the existing signature given with --in to --level (no card needed); on a B-LTA signature, B-LTA adds another archive time-stamp (renewal). pades: every signature of the PDF, by incremental updates (a document time-stamp for B-T, a DSS for B-LT, another document time-stamp for B-LTA)." };
        var content = new Option<FileInfo>("--content") { Description = "With --augment: the signed file of a detached signature (needed for B-LTA)." };
        var chain = new Option<FileInfo[]>("--chain") { Description = "Issuer certificates (PEM or DER) to complete chains for B-LT, e.g. the TSA root; repeat for several. The card's signature CA certificate is added by itself." };
        var ocsp = HttpUriOption.Create("--ocsp", "For B-LT: ask this OCSP responder instead of the one the certificates name.");
        var password = new PinInput("password", "signature password");
        var command = new Command(
            "sign",
            "Sign a file with the card's signature certificate (署名用電子証明書) as CAdES: CMS SignedData (detached by default) with SHA-256 and the signed attributes " +
            "contentType, messageDigest, signingTime and signingCertificateV2; the card signs the DigestInfo of the signed attributes (80 2A 00 80). " +
            "--format xades makes an XML signature instead (XMLDSig RSA-SHA256, or ECDSA-SHA384 on a next-generation P-384 card, exclusive C14N, the certificates in ds:KeyInfo/ds:X509Data, XAdES SigningTime, SigningCertificateV2 " +
            "and DataObjectFormat; --placement enveloped|enveloping|detached); the card signs the digest of ds:SignedInfo. " +
            "--level B-T/B-LT/B-LTA adds a time-stamp from --tsa, the validation data (OCSP/CRL from the certificates' responders; a registered verifier key is read from $" + VerifierKeyVariable + "), and an archive time-stamp. " +
            "--format pades signs a PDF (an incremental update); its B-LT appends a DSS dictionary (certificates, CRLs, OCSP answers, /VRI) and B-LTA a document time-stamp. " +
            "--augment raises an existing signature (ours or openssl's, or a signed PDF) the same way. Verify with `jpki verify --in FILE --sig FILE.p7s`.");
        connection.AddTo(command);
        command.Options.Add(input);
        command.Options.Add(output);
        command.Options.Add(attached);
        command.Options.Add(format);
        command.Options.Add(placement);
        command.Options.Add(referenceId);
        command.Options.Add(subFilter);
        command.Options.Add(level);
        command.Options.Add(tsa);
        command.Options.Add(augment);
        command.Options.Add(content);
        command.Options.Add(chain);
        command.Options.Add(ocsp);
        command.Options.Add(CardCommand.LogLevelOption);
        password.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var json = parse.GetValue(GlobalOptions.Json);

            // Jpki.Signing's events (6101–6121) on stderr at --log-level; never a password or key.
            using var loggers = CliLogging.Create(context, CliLogging.LevelOf(context, parse, CardCommand.LogLevelOption));
            var logger = loggers.CreateLogger("Jpki.Signing");
            var xml = string.Equals(parse.GetValue(format), "xades", StringComparison.OrdinalIgnoreCase);
            var pdf = string.Equals(parse.GetValue(format), "pades", StringComparison.OrdinalIgnoreCase);
            if (!xml && !pdf && !string.Equals(parse.GetValue(format), "cades", StringComparison.OrdinalIgnoreCase))
            {
                return CommandResult.BadInput(context, json, $"--format {parse.GetValue(format)}: use cades, xades or pades.");
            }

            if (pdf)
            {
                return await SignPdfAsync(context, parse, json, connection, password, new PdfOptions(input, output, subFilter, level, tsa, augment, chain, ocsp, logger), cancellationToken).ConfigureAwait(false);
            }

            XmlSignaturePlacement? placed = parse.GetValue(placement)?.ToLowerInvariant() switch
            {
                "enveloped" => XmlSignaturePlacement.Enveloped,
                "enveloping" => XmlSignaturePlacement.Enveloping,
                "detached" => XmlSignaturePlacement.Detached,
                _ => null,
            };
            if (placed is not { } where)
            {
                return CommandResult.BadInput(context, json, $"--placement {parse.GetValue(placement)}: use enveloped, enveloping or detached.");
            }

            if (parse.GetValue(referenceId) is not null && (!xml || where != XmlSignaturePlacement.Enveloped || parse.GetValue(augment)))
            {
                return CommandResult.BadInput(context, json, "--reference-id is for signing with --format xades --placement enveloped.");
            }

            if (xml && parse.GetValue(attached))
            {
                return CommandResult.BadInput(context, json, "--attached is for cades; an XML signature is placed with --placement.");
            }

            if (!CadesLevels.TryParse(parse.GetValue(level), out var target))
            {
                return CommandResult.BadInput(context, json, $"--level {parse.GetValue(level)}: use B-B, B-T, B-LT or B-LTA.");
            }

            if (target >= CadesLevel.BaselineT && parse.GetValue(tsa) is null)
            {
                return CommandResult.BadInput(context, json, $"--level {CadesLevels.Name(target)} needs a time-stamping authority: --tsa URL.");
            }

            byte[] data;
            byte[]? detachedContent = null;
            var extra = new List<X509Certificate2>();
            try
            {
                data = await File.ReadAllBytesAsync(parse.GetValue(input)!.FullName, cancellationToken).ConfigureAwait(false);
                if (parse.GetValue(content) is { } contentFile)
                {
                    detachedContent = await File.ReadAllBytesAsync(contentFile.FullName, cancellationToken).ConfigureAwait(false);
                }

                foreach (var certificates in parse.GetValue(chain) ?? [])
                {
                    extra.AddRange(Verify.VerifyCommand.LoadCertificates(certificates.FullName));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
            {
                return CommandResult.BadInput(context, json, e.Message);
            }

            byte[] signature;
            string signer;
            bool detached;
            if (parse.GetValue(augment))
            {
                if (parse.GetValue(connection.Card) is not null || parse.GetValue(connection.Reader) is not null)
                {
                    return CommandResult.BadInput(context, json, "--augment works on the signature file alone: leave out --card and --reader.");
                }

                signature = data;
                signer = "(augmented)";
                detached = detachedContent is not null;
            }
            else
            {
                var bytes = (byte[]?)null;
                var subject = string.Empty;
                var (secret, error) = password.Read(parse, context, "Signature password: ", PinKind.SignaturePassword);
                if (secret is null)
                {
                    return CommandResult.BadInput(context, json, error!);
                }

                var exit = CardClientRunner.Run(context, parse, connection, secret, (client, json) =>
                {
                    if (UnlockSigner(context, json, client, secret, out var card) is { } refused)
                    {
                        return refused;
                    }

                    // RSA (today's card) or ECDSA (the next-generation card, P-384): the formats pick their algorithms from the key.
                    using (var publicKey = (System.Security.Cryptography.AsymmetricAlgorithm?)card.Certificate.GetRSAPublicKey() ?? card.Certificate.GetECDsaPublicKey())
                    {
                        if (publicKey is null)
                        {
                            return CardClientRunner.Refused(context, json, "not-rsa", "The card's signature certificate holds neither an RSA nor an EC key.");
                        }
                    }

                    try
                    {
                        bytes = SignaturePipeline.SignContent(
                            data,
                            card,
                            context.Clock.GetUtcNow(),
                            xml ? new XadesSignOptions { Placement = where, ReferenceId = parse.GetValue(referenceId), DetachedUri = where == XmlSignaturePlacement.Detached ? Uri.EscapeDataString(parse.GetValue(input)!.Name) : null } : null,
                            detachedCms: !parse.GetValue(attached),
                            logger);
                    }
                    catch (CryptographicException e)
                    {
                        return CardClientRunner.Refused(context, json, "sign-failed", e.Message);
                    }
                    catch (ArgumentException e)
                    {
                        return CardClientRunner.Refused(context, json, "not-xml", e.Message);
                    }

                    subject = card.Certificate.Subject;
                    return ExitCodes.Ok;
                });
                if (exit != ExitCodes.Ok || bytes is null)
                {
                    return exit;
                }

                signature = bytes;
                signer = subject;
                detached = xml ? where == XmlSignaturePlacement.Detached : !parse.GetValue(attached);
                detachedContent = detached ? data : null;
            }

            IReadOnlyList<string> problems = [];
            if (target > CadesLevel.BaselineB || parse.GetValue(augment))
            {
                using var pipeline = new SignaturePipeline(parse.GetValue(tsa), parse.GetValue(ocsp), extra, logger);
                try
                {
                    var result = await pipeline.RaiseAsync(xml, signature, target, detachedContent, cancellationToken).ConfigureAwait(false);
                    signature = result.Signature;
                    problems = result.Problems;
                }
                catch (TimestampException e)
                {
                    return CardClientRunner.Refused(context, json, "tsa-refused", e.Message);
                }
                catch (ArgumentException e)
                {
                    return CommandResult.BadInput(context, json, e.Message);
                }

                if (problems.Count > 0)
                {
                    return CommandResult.Write(
                        context,
                        json,
                        new { error = "incomplete-validation-data", message = $"The signature cannot be made {CadesLevels.Name(target)}: validation data is missing.", problems },
                        _ => context.Stderr.WriteLine($"error: the signature cannot be made {CadesLevels.Name(target)}: {string.Join(" ", problems)}"),
                        ExitCodes.Negative);
                }
            }

            var file = parse.GetValue(output)!;
            try
            {
                await File.WriteAllBytesAsync(file.FullName, signature, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return CommandResult.BadInput(context, json, e.Message);
            }

            var levelName = CadesLevels.Name(target);
            return CommandResult.Write(
                context,
                json,
                new { file = file.FullName, bytes = signature.Length, signer, detached, format = xml ? "xades" : "cades", level = levelName },
                w => w.WriteLine($"Wrote a {(xml ? "XAdES" : "CAdES")} {levelName} signature ({signature.Length} bytes) by {signer} to {file.FullName}."));
        });
        return command;
    }

    /// <summary>
    /// <c>jpki sign --format pades</c>: the PDF is streamed (prepared with a /Contents placeholder, its byte ranges hashed),
    /// the card signs once, B-T adds a signature time-stamp to the CMS; B-LT appends a DSS update and B-LTA a document
    /// time-stamp (<see cref="PadesAugmenter"/>). With <c>--augment</c>, a signed PDF is raised without the card.
    /// </summary>
    private static async Task<int> SignPdfAsync(CliContext context, ParseResult parse, bool json, CardConnection connection, PinInput password, PdfOptions o, CancellationToken cancellationToken)
    {
        if (!CadesLevels.TryParse(parse.GetValue(o.Level), out var target))
        {
            return CommandResult.BadInput(context, json, $"--level {parse.GetValue(o.Level)}: use B-B, B-T, B-LT or B-LTA.");
        }

        if (target >= CadesLevel.BaselineT && parse.GetValue(o.Tsa) is null)
        {
            return CommandResult.BadInput(context, json, $"--level {CadesLevels.Name(target)} needs a time-stamping authority: --tsa URL.");
        }

        var file = parse.GetValue(o.Output)!;
        var inputFile = parse.GetValue(o.Input)!;
        var extra = new List<X509Certificate2>();
        try
        {
            foreach (var certificates in parse.GetValue(o.Chain) ?? [])
            {
                extra.AddRange(Verify.VerifyCommand.LoadCertificates(certificates.FullName));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            return CommandResult.BadInput(context, json, e.Message);
        }

        using var augmenter = new SignaturePipeline(parse.GetValue(o.Tsa), parse.GetValue(o.Ocsp), extra, o.Logger);
        var levelName = CadesLevels.Name(target);
        if (parse.GetValue(o.Augment))
        {
            if (parse.GetValue(connection.Card) is not null || parse.GetValue(connection.Reader) is not null)
            {
                return CommandResult.BadInput(context, json, "--augment works on the signed PDF alone: leave out --card and --reader.");
            }

            return await AugmentPdfAsync(context, json, augmenter, inputFile, file, target, cancellationToken).ConfigureAwait(false) is { } failed
                ? failed
                : CommandResult.Write(
                    context,
                    json,
                    new { file = file.FullName, signer = "(augmented)", format = "pades", level = levelName },
                    w => w.WriteLine($"Raised the signatures of {inputFile.Name} to PAdES {levelName}: {file.FullName}."));
        }

        PdfSignaturePreparation prepared;
        try
        {
            prepared = PadesSigner.Prepare(inputFile.FullName, file.FullName, context.Clock.GetUtcNow(), new PadesSignOptions { SubFilter = parse.GetValue(o.SubFilter) ?? "ETSI.CAdES.detached", Logger = o.Logger });
        }
        catch (PdfFormatException e)
        {
            return CommandResult.BadInput(context, json, $"{inputFile.Name} is not a PDF that can be signed: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return CommandResult.BadInput(context, json, e.Message);
        }

        using (prepared)
        {
            var (secret, error) = password.Read(parse, context, "Signature password: ", PinKind.SignaturePassword);
            if (secret is null)
            {
                return CommandResult.BadInput(context, json, error!);
            }

            byte[]? cms = null;
            var subject = string.Empty;
            var exit = CardClientRunner.Run(context, parse, connection, secret, (client, json) =>
            {
                if (UnlockSigner(context, json, client, secret, out var card) is { } refused)
                {
                    return refused;
                }

                try
                {
                    cms = SignaturePipeline.SignPreparedPdf(prepared, card, o.Logger);
                }
                catch (CryptographicException e)
                {
                    return CardClientRunner.Refused(context, json, "sign-failed", e.Message);
                }

                subject = card.Certificate.Subject;
                return ExitCodes.Ok;
            });
            if (exit != ExitCodes.Ok || cms is null)
            {
                return exit;
            }

            if (target >= CadesLevel.BaselineT)
            {
                try
                {
                    cms = await augmenter.AddSignatureTimestampAsync(cms, cancellationToken).ConfigureAwait(false);
                }
                catch (TimestampException e)
                {
                    return CardClientRunner.Refused(context, json, "tsa-refused", e.Message);
                }
            }

            try
            {
                prepared.Complete(cms);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                return CommandResult.BadInput(context, json, e.Message);
            }

            if (target >= CadesLevel.BaselineLt && await AugmentPdfAsync(context, json, augmenter, file, file, target, cancellationToken).ConfigureAwait(false) is { } failed)
            {
                File.Delete(file.FullName);
                return failed;
            }

            return CommandResult.Write(
                context,
                json,
                new { file = file.FullName, signer = subject, format = "pades", level = levelName, field = prepared.FieldName, subFilter = parse.GetValue(o.SubFilter) },
                w => w.WriteLine($"Wrote a PAdES {levelName} signature (field {prepared.FieldName}) by {subject} to {file.FullName}."));
        }
    }

    /// <summary>Raises the PDF's signatures to <paramref name="target"/>; an exit code when refused (nothing written then).</summary>
    private static async Task<int?> AugmentPdfAsync(CliContext context, bool json, SignaturePipeline augmenter, FileInfo input, FileInfo output, CadesLevel target, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> problems;
        try
        {
            problems = await augmenter.AugmentPdfAsync(input.FullName, output.FullName, target, cancellationToken).ConfigureAwait(false);
        }
        catch (TimestampException e)
        {
            return CardClientRunner.Refused(context, json, "tsa-refused", e.Message);
        }
        catch (PdfFormatException e)
        {
            return CommandResult.BadInput(context, json, $"{input.Name} is not a signed PDF that can be augmented: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return CommandResult.BadInput(context, json, e.Message);
        }

        return problems.Count == 0
            ? null
            : CommandResult.Write(
                context,
                json,
                new { error = "incomplete-validation-data", message = $"The PDF cannot be made {CadesLevels.Name(target)}: validation data is missing.", problems },
                _ => context.Stderr.WriteLine($"error: the PDF cannot be made {CadesLevels.Name(target)}: {string.Join(" ", problems)}"),
                ExitCodes.Negative);
    }

    /// <summary>The options the pades path reads.</summary>
    private sealed record PdfOptions(
        Option<FileInfo> Input, Option<FileInfo> Output, Option<string> SubFilter, Option<string> Level, Option<Uri> Tsa, Option<bool> Augment, Option<FileInfo[]> Chain, Option<Uri> Ocsp, ILogger Logger);

    /// <summary>Verifies the signature password and opens the card's signature key; an exit code when refused.</summary>
    private static int? UnlockSigner(CliContext context, bool json, JpkiCardClient client, char[] secret, out CardSigner card)
    {
        card = null!;
        if (CardClientRunner.Verify(context, json, client, PinKind.SignaturePassword, secret) is { } refused)
        {
            return refused;
        }

        try
        {
            card = CardSigner.FromCard(client);
            return null;
        }
        catch (InvalidOperationException)
        {
            return CardClientRunner.Refused(context, json, "no-certificate", "The card holds no signature certificate.");
        }
    }
}
