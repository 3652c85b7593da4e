using System.CommandLine;
using System.Globalization;
using Jpki.Authority.Contracts;
using Jpki.Cli.Output;

namespace Jpki.Cli.Commands.Authority;

/// <summary><c>jpki authority revoke</c>: revokes a certificate (final; JPKI has no hold).</summary>
internal static class AuthorityRevokeCommand
{
    public static Command Create(CliContext context)
    {
        var data = AuthorityCommand.DataOption();
        var serial = new Option<string>("--serial") { Description = "Serial number (hex).", Required = true };
        var reason = new Option<string>("--reason")
        {
            Description = "RFC 5280 reason: unspecified, key-compromise (lost card), ca-compromise, affiliation-changed (異動等失効), superseded, cessation-of-operation, privilege-withdrawn.",
            DefaultValueFactory = _ => "unspecified",
        };
        reason.AcceptOnlyFromAmong([.. WireNames.ReasonNames]);
        var at = new Option<string>("--at") { Description = "Revocation date (ISO 8601). Default: now." };
        var actor = AuthorityCommand.ActorOption();
        var command = new Command("revoke", "Revoke a certificate. A revocation is final. Exit 0 revoked, 1 already revoked or unknown serial.");
        foreach (var option in new Option[] { data, serial, reason, at, actor })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            DateTimeOffset? revokedAt = null;
            if (parse.GetValue(at) is { } atText)
            {
                if (!DateTimeOffset.TryParse(atText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                {
                    return CommandResult.BadInput(context, json, "--at must be an ISO 8601 date and time.");
                }

                revokedAt = parsed;
            }

            return await AuthorityCommand.WithAuthorityAsync(context, json, parse.GetValue(data), async runtime =>
            {
                var result = await runtime.Authority.RevokeAsync(parse.GetValue(serial)!, WireNames.TryParseReason(parse.GetValue(reason), out var why) ? why : RevocationReason.Unspecified, revokedAt, AuthorityCommand.Actor(parse.GetValue(actor)), cancellationToken).ConfigureAwait(false);
                var payload = new { serial = parse.GetValue(serial), result, reason = parse.GetValue(reason) };
                return CommandResult.Write(
                    context,
                    json,
                    payload,
                    text => text.WriteLine(result switch
                    {
                        RevokeResult.Revoked => $"Revoked {parse.GetValue(serial)} ({parse.GetValue(reason)}).",
                        RevokeResult.AlreadyRevoked => $"{parse.GetValue(serial)} was already revoked; the first revocation stands.",
                        _ => $"No certificate with serial {parse.GetValue(serial)}.",
                    }),
                    result == RevokeResult.Revoked ? ExitCodes.Ok : ExitCodes.Negative);
            }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
