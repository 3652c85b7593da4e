using System.CommandLine;
using Jpki.Authority.Ca;
using Jpki.Authority.Registry;
using Jpki.Cli.Output;

namespace Jpki.Cli.Commands.Authority;

/// <summary><c>jpki authority show</c>: looks certificates up by serial, card or holder.</summary>
internal static class AuthorityShowCommand
{
    public static Command Create(CliContext context)
    {
        var data = AuthorityCommand.DataOption();
        var serial = new Option<string>("--serial") { Description = "Serial number (hex); also shows its linkage (renewals, the holder's other certificate)." };
        var card = new Option<string>("--card") { Description = "Card id." };
        var holder = new Option<string>("--holder") { Description = "Holder id." };
        var command = new Command("show", "Show certificates by --serial, --card or --holder. Exit 1 when nothing matches.");
        foreach (var option in new Option[] { data, serial, card, holder })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            var given = new[] { parse.GetValue(serial), parse.GetValue(card), parse.GetValue(holder) }.Count(v => v is not null);
            if (given != 1)
            {
                return CommandResult.BadInput(context, json, "Give exactly one of --serial, --card, --holder.");
            }

            return await AuthorityCommand.WithAuthorityAsync(context, json, parse.GetValue(data), async runtime =>
            {
                var registry = runtime.Authority.Registry;
                IReadOnlyList<CertificateRecord> records;
                CertificateLinkage? linkage = null;
                if (parse.GetValue(serial) is { } s)
                {
                    if (!SerialNumbers.TryNormalize(s, out var normalized))
                    {
                        return CommandResult.BadInput(context, json, "--serial must be hex.");
                    }

                    var record = await registry.FindBySerialAsync(normalized, cancellationToken).ConfigureAwait(false);
                    records = record is null ? [] : [record];
                    linkage = await runtime.Authority.LinkageAsync(normalized, cancellationToken).ConfigureAwait(false);
                }
                else if (parse.GetValue(card) is { } c)
                {
                    records = await registry.FindByCardAsync(c, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    records = await registry.FindByHolderAsync(parse.GetValue(holder)!, cancellationToken).ConfigureAwait(false);
                }

                var rows = records.Select(r => new
                {
                    serial = r.SerialHex,
                    kind = IssuingCa.SlugOf(r.Kind),
                    card = r.CardId,
                    holder = r.HolderId,
                    notBefore = r.NotBefore,
                    notAfter = r.NotAfter,
                    previous = r.PreviousSerialHex,
                    revokedAt = r.Revocation?.RevokedAt,
                    reason = r.Revocation?.Reason,
                }).ToList();
                return CommandResult.Write(
                    context,
                    json,
                    new { certificates = rows, linkage },
                    text =>
                    {
                        foreach (var r in rows)
                        {
                            text.WriteLine($"{r.serial} {r.kind} card={r.card} holder={r.holder} {r.notBefore:yyyy-MM-dd}..{r.notAfter:yyyy-MM-dd}" +
                                (r.previous is null ? string.Empty : $" renews {r.previous}") +
                                (r.revokedAt is null ? " valid" : $" REVOKED {r.revokedAt:O} ({r.reason})"));
                        }

                        if (linkage is not null)
                        {
                            text.WriteLine($"linkage: previous [{string.Join(", ", linkage.Predecessors)}] next [{string.Join(", ", linkage.Successors)}] other kind [{string.Join(", ", linkage.OtherKind)}]");
                        }

                        if (rows.Count == 0)
                        {
                            text.WriteLine("No certificate matches.");
                        }
                    },
                    rows.Count > 0 ? ExitCodes.Ok : ExitCodes.Negative);
            }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
