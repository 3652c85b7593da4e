using Jpki.Authority.Contracts;
using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using Jpki.Authority.Ca;
using Jpki.Authority.Profiles;
using Jpki.Core.Identity;
using Jpki.Cli.Output;

namespace Jpki.Cli.Commands.Authority;

/// <summary><c>jpki authority issue</c>: issues one certificate from a public key.</summary>
internal static class AuthorityIssueCommand
{
    public static Command Create(CliContext context)
    {
        var data = AuthorityCommand.DataOption();
        var kind = new Option<string>("--kind") { Description = "sign or auth.", Required = true };
        kind.AcceptOnlyFromAmong([.. WireNames.KindNames]);
        var publicKey = new Option<FileInfo>("--public-key") { Description = "The holder's RSA-2048 public key, SubjectPublicKeyInfo PEM or DER.", Required = true };
        var card = new Option<string>("--card-id") { Description = "The card the certificate goes onto.", Required = true };
        var holder = new Option<string>("--holder-id") { Description = "The holder's reference at the municipality (never the My Number).", Required = true };
        var expiry = new Option<string>("--expiry") { Description = "Last day of validity, YYYY-MM-DD (from `jpki rules`); notAfter is 23:59:59 JST of it.", Required = true };
        var name = new Option<string>("--name") { Description = "sign: 氏名 as carried (family and given name separated by U+3000)." };
        var nameFlags = new Option<string>("--name-flags") { Description = "sign: one digit per character of the name, 1 = substituted. Default all 0." };
        var address = new Option<string>("--address") { Description = "sign: 住所 as carried." };
        var addressFlags = new Option<string>("--address-flags") { Description = "sign: substitution flags of the address. Default all 0." };
        var birth = new Option<string>("--birth") { Description = "sign: date of birth, YYYY-MM-DD." };
        var sex = new Option<string>("--sex") { Description = "sign: 1 (male), 2 (female) or 9 (not applicable)." };
        sex.AcceptOnlyFromAmong("1", "2", "9");
        var prefecture = new Option<string>("--prefecture") { Description = "sign: romanised prefecture for the subject L, e.g. Tokyo-to." };
        var municipality = new Option<string>("--municipality") { Description = "sign: romanised municipality for the subject L, e.g. Kiyose-shi." };
        var previous = new Option<string>("--previous") { Description = "Serial (hex) of the certificate this one renews or replaces (linkage)." };
        var output = new Option<FileInfo>("--out") { Description = "Also write the certificate (PEM) to this file." };
        var actor = AuthorityCommand.ActorOption();
        var command = new Command("issue", "Issue a signature or authentication certificate (JPKI-REFERENCE §6.2) from a public key, register it and record it in the audit log.");
        foreach (var option in new Option[] { data, kind, publicKey, card, holder, expiry, name, nameFlags, address, addressFlags, birth, sex, prefecture, municipality, previous, output, actor })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            WireNames.TryParseKind(parse.GetValue(kind), out var certificateKind);
            if (!DateOnly.TryParseExact(parse.GetValue(expiry), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var expiryDate))
            {
                return CommandResult.BadInput(context, json, "--expiry must be a date YYYY-MM-DD.");
            }

            byte[] spki;
            try
            {
                spki = ReadPublicKey(parse.GetValue(publicKey)!);
            }
            catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException)
            {
                return CommandResult.BadInput(context, json, "Cannot read --public-key: " + ex.Message);
            }

            SignatureSubject? subject = null;
            if (certificateKind == CertificateKind.Signature)
            {
                var missing = new[] { ("--name", parse.GetValue(name)), ("--address", parse.GetValue(address)), ("--birth", parse.GetValue(birth)), ("--sex", parse.GetValue(sex)), ("--prefecture", parse.GetValue(prefecture)), ("--municipality", parse.GetValue(municipality)) }
                    .Where(p => string.IsNullOrWhiteSpace(p.Item2)).Select(p => p.Item1).ToList();
                if (missing.Count > 0)
                {
                    return CommandResult.BadInput(context, json, "A signature certificate needs " + string.Join(", ", missing) + ".");
                }

                if (!DateOnly.TryParseExact(parse.GetValue(birth), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birthDate))
                {
                    return CommandResult.BadInput(context, json, "--birth must be a date YYYY-MM-DD.");
                }

                var fullName = parse.GetValue(name)!;
                var fullAddress = parse.GetValue(address)!;
                subject = new SignatureSubject(
                    parse.GetValue(prefecture)!,
                    parse.GetValue(municipality)!,
                    fullName,
                    parse.GetValue(nameFlags) ?? SignatureSubject.NoSubstitution(fullName),
                    fullAddress,
                    parse.GetValue(addressFlags) ?? SignatureSubject.NoSubstitution(fullAddress),
                    birthDate,
                    (Sex)int.Parse(parse.GetValue(sex)!, CultureInfo.InvariantCulture));
            }

            return await AuthorityCommand.WithAuthorityAsync(context, json, parse.GetValue(data), async runtime =>
            {
                var request = new IssueRequest(certificateKind, spki, parse.GetValue(card)!, parse.GetValue(holder)!, expiryDate, subject, parse.GetValue(previous), AuthorityCommand.Actor(parse.GetValue(actor)));
                var record = await runtime.Authority.IssueAsync(request, cancellationToken).ConfigureAwait(false);
                var pem = new string(PemEncoding.Write("CERTIFICATE", record.Der.Span));
                if (parse.GetValue(output) is { } file)
                {
                    await File.WriteAllTextAsync(file.FullName, pem + "\n", cancellationToken).ConfigureAwait(false);
                }

                var payload = new { serial = record.SerialHex, kind = parse.GetValue(kind), notBefore = record.NotBefore, notAfter = record.NotAfter, certificate = pem };
                return CommandResult.Write(context, json, payload, text =>
                {
                    text.WriteLine($"Issued {parse.GetValue(kind)} certificate {record.SerialHex}, valid {record.NotBefore:O} to {record.NotAfter:O}.");
                    text.WriteLine(pem);
                });
            }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static byte[] ReadPublicKey(FileInfo file)
    {
        var bytes = File.ReadAllBytes(file.FullName);
        if (bytes.Length > 0 && bytes[0] == (byte)'-')
        {
            var text = System.Text.Encoding.ASCII.GetString(bytes);
            var fields = PemEncoding.Find(text);
            if (text[fields.Label] != "PUBLIC KEY")
            {
                throw new FormatException("expected a PEM PUBLIC KEY (SubjectPublicKeyInfo).");
            }

            return Convert.FromBase64String(text[fields.Base64Data]);
        }

        return bytes;
    }
}
