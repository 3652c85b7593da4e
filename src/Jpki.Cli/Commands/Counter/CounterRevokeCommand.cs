using Jpki.Authority.Contracts;
using System.CommandLine;
using Jpki.Cli.Output;
using Jpki.Core.Identity;
using Jpki.Municipality.Applications;

namespace Jpki.Cli.Commands.Counter;

/// <summary><c>jpki counter revoke</c>: revocation on request (reason unspecified).</summary>
internal static class CounterRevokeCommand
{
    public static Command Create(CliContext context)
    {
        var common = new CounterCommand.Common();
        var resident = new Option<string>("--resident") { Description = "The holder's resident id.", Required = true };
        var which = new Option<string>("--which") { Description = "sign, auth or both.", DefaultValueFactory = _ => "both" };
        which.AcceptOnlyFromAmong([.. WireNames.KindNames, "both"]);
        var identity = new Option<bool>("--identity-checked") { Description = "The clerk has checked the requester's photo ID." };
        var thirdParty = new Option<bool>("--third-party") { Description = "Asked by a third party (needs --supervisor)." };
        var command = new Command("revoke", "Revoke on the holder's request (reason unspecified). A lost card is `jpki counter change --kind card-loss`. Exit 1 on a refusal (no-certificate, supervisor-required, …).");
        common.AddTo(command);
        foreach (var o in new Option[] { resident, which, identity, thirdParty })
        {
            command.Options.Add(o);
        }

        command.SetAction((parse, ct) => common.RunAsync(context, parse, async (runtime, json) =>
        {
            IReadOnlyList<CertificateKind> kinds = WireNames.TryParseKind(parse.GetValue(which), out var one)
                ? [one]
                : [CertificateKind.Signature, CertificateKind.Authentication];
            var outcome = await runtime.Counter.RevokeOnRequestAsync(
                common.StaffOf(parse), new RevocationRequest(parse.GetValue(resident)!, parse.GetValue(identity), kinds, parse.GetValue(thirdParty)), ct).ConfigureAwait(false);
            return outcome.IsAllowed
                ? CommandResult.Write(context, json, new { resident = parse.GetValue(resident), revoked = outcome.Value }, w => w.WriteLine($"Revoked: {string.Join(", ", outcome.Value!)}."))
                : CounterCommand.Refused(context, json, outcome);
        }, ct));
        return command;
    }
}
