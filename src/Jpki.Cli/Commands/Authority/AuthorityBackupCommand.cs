using System.CommandLine;
using System.Formats.Asn1;
using System.Numerics;
using Jpki.Authority.Backup;
using Jpki.Authority.Contracts;
using Jpki.Cli.Output;
using Jpki.Core.Storage;

namespace Jpki.Cli.Commands.Authority;

/// <summary><c>jpki authority backup</c> and <c>jpki authority restore</c> (docs/operations.md, "Backup and restore").</summary>
internal static class AuthorityBackupCommand
{
    public static Command CreateBackup(CliContext context)
    {
        var data = AuthorityCommand.DataOption();
        var output = new Option<FileInfo>("--out") { Description = "The backup file to write (gzip'd tar, owner-only). Refused if it exists.", Required = true };
        var command = new Command("backup", "Back up a data folder (SQLite databases as consistent snapshots while servers run, keys, settings; not the CRL cache) into one file with a manifest of SHA-256 hashes. A registry on PostgreSQL is backed up with pg_dump.");
        command.Options.Add(data);
        command.Options.Add(output);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            var folder = AuthorityCommand.DataFolder(parse.GetValue(data));
            var target = parse.GetValue(output)!.FullName;
            if (!Directory.Exists(folder))
            {
                return CommandResult.BadInput(context, json, $"{folder} does not exist.");
            }

            if (File.Exists(target))
            {
                return CommandResult.BadInput(context, json, $"{target} exists: a backup never overwrites a file.");
            }

            var created = false;
            try
            {
                BackupManifest manifest;
                var file = new FileStream(target, PrivateFiles.CreateOptions(FileMode.CreateNew));
                created = true;
                await using (file.ConfigureAwait(false))
                {
                    manifest = await AuthorityBackup.CreateAsync(folder, file, context.Clock, cancellationToken).ConfigureAwait(false);
                    await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                    file.Flush(flushToDisk: true);
                }

                var payload = new { backup = target, createdAt = manifest.CreatedAt, auditHead = manifest.AuditHead, crlNumbers = manifest.CrlNumbers, files = manifest.Files.Count, bytes = new FileInfo(target).Length };
                return CommandResult.Write(context, json, payload, o =>
                    o.WriteLine($"Backed up {folder} to {target}: {manifest.Files.Count} files, audit head {manifest.AuditHead ?? "(empty)"}, CRL numbers {string.Join(", ", manifest.CrlNumbers.Select(n => $"{n.Key} #{n.Value}"))}."));
            }
            catch (Exception ex) when (AuthorityCommand.IsDataFailure(ex) || ex is InvalidOperationException)
            {
                if (created)
                {
                    // A half-written backup must not pass for one.
                    TryDelete(target);
                }

                return CommandResult.BadInput(context, json, AuthorityCommand.Message(ex));
            }
        });
        return command;
    }

    public static Command CreateRestore(CliContext context)
    {
        var data = AuthorityCommand.DataOption();
        var input = new Option<FileInfo>("--from") { Description = "The backup file written by `jpki authority backup`.", Required = true };
        var replace = new Option<bool>("--replace") { Description = "The data folder exists and is not empty: move it aside to <folder>.replaced-<time> (its CRL numbers count) instead of refusing." };
        var published = new Option<FileInfo[]>("--published-crl")
        {
            Description = "A CRL the lost folder published (DER or PEM, e.g. downloaded from its distribution point; repeat for several): the next CRL number goes past its number.",
            AllowMultipleArgumentsPerToken = false,
        };
        var actor = AuthorityCommand.ActorOption();
        var command = new Command("restore", "Restore a backup into a data folder: every file is checked against the manifest and the registry against its audit chain before anything is written; CRL numbers move past every number the lost folder can have published; the restore is recorded in the audit log. Stop the servers on the folder first.");
        foreach (var option in new Option[] { data, input, replace, published, actor })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            var folder = AuthorityCommand.DataFolder(parse.GetValue(data));
            long publishedNumber = 0;
            var revocations = new List<(string, DateTimeOffset, RevocationReason)>();
            foreach (var crl in parse.GetValue(published) ?? [])
            {
                if (!TryReadCrl(crl.FullName, out var number, revocations, out var problem))
                {
                    return CommandResult.BadInput(context, json, $"--published-crl {crl.FullName}: {problem}");
                }

                publishedNumber = Math.Max(publishedNumber, number);
            }

            try
            {
                RestoreResult result;
                var file = File.OpenRead(parse.GetValue(input)!.FullName);
                await using (file.ConfigureAwait(false))
                {
                    var options = new RestoreOptions { Replace = parse.GetValue(replace), PublishedCrlNumber = publishedNumber, PublishedRevocations = revocations, Actor = AuthorityCommand.Actor(parse.GetValue(actor)) };
                    result = await AuthorityBackup.RestoreAsync(file, folder, options, context.Clock, cancellationToken).ConfigureAwait(false);
                }

                var payload = new { data = folder, backupCreatedAt = result.Manifest.CreatedAt, backupAuditHead = result.Manifest.AuditHead, auditHead = result.AuditHead, nextCrlNumber = result.NextCrlNumber, revocationsReapplied = result.Reapplied, movedAside = result.MovedAside };
                return CommandResult.Write(context, json, payload, o =>
                {
                    o.WriteLine($"Restored the backup of {result.Manifest.CreatedAt:u} into {folder}; audit head now {result.AuditHead}; the next CRL number is {result.NextCrlNumber}.");
                    if (result.Reapplied > 0)
                    {
                        o.WriteLine($"{result.Reapplied} revocations from the published CRLs that the backup did not have were made again.");
                    }

                    if (result.MovedAside is { } aside)
                    {
                        o.WriteLine($"The folder that was there is at {aside}.");
                    }

                    o.WriteLine("Certificates issued after the backup are not in the restored registry (OCSP answers them unknown): see docs/operations.md.");
                });
            }
            catch (Exception ex) when (AuthorityCommand.IsDataFailure(ex))
            {
                return CommandResult.BadInput(context, json, AuthorityCommand.Message(ex));
            }
        });
        return command;
    }

    /// <summary>The cRLNumber of a DER or PEM CRL, and its entries added to <paramref name="revocations"/>.</summary>
    private static bool TryReadCrl(string path, out long number, List<(string, DateTimeOffset, RevocationReason)> revocations, out string problem)
    {
        number = 0;
        problem = "";
        try
        {
            var bytes = File.ReadAllBytes(path);
            var text = System.Text.Encoding.ASCII.GetString(bytes);
            if (text.Contains("-----BEGIN X509 CRL-----", StringComparison.Ordinal))
            {
                bytes = System.Security.Cryptography.PemEncoding.TryFind(text, out var fields) ? Convert.FromBase64String(text[fields.Base64Data]) : bytes;
            }

            var crl = new Org.BouncyCastle.X509.X509CrlParser().ReadCrl(bytes) ?? throw new InvalidDataException("no CRL in the file");
            var value = crl.GetExtensionValue(new Org.BouncyCastle.Asn1.DerObjectIdentifier("2.5.29.20"));
            if (value is null)
            {
                problem = "the CRL has no cRLNumber extension.";
                return false;
            }

            var integer = AsnDecoder.ReadInteger(value.GetOctets(), AsnEncodingRules.DER, out _);
            if (integer < BigInteger.Zero || integer > long.MaxValue)
            {
                problem = "its cRLNumber is out of range.";
                return false;
            }

            number = (long)integer;
            foreach (var entry in crl.GetRevokedCertificates() ?? new HashSet<Org.BouncyCastle.X509.X509CrlEntry>())
            {
                var reason = RevocationReason.Unspecified;
                if (entry.GetExtensionValue(Org.BouncyCastle.Asn1.X509.X509Extensions.ReasonCode) is { } reasonValue)
                {
                    var code = Org.BouncyCastle.Asn1.DerEnumerated.GetInstance(Org.BouncyCastle.Asn1.Asn1Object.FromByteArray(reasonValue.GetOctets())).IntValueExact;
                    reason = Enum.IsDefined((RevocationReason)code) ? (RevocationReason)code : RevocationReason.Unspecified;
                }

                revocations.Add((entry.SerialNumber.ToString(16).ToUpperInvariant(), new DateTimeOffset(entry.RevocationDate.ToUniversalTime(), TimeSpan.Zero), reason));
            }

            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or FormatException or AsnContentException or Org.BouncyCastle.Security.Certificates.CrlException or ArgumentException)
        {
            problem = "not a readable CRL (" + e.Message + ").";
            return false;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The half-written file stays; the error printed names the cause.
        }
    }
}
