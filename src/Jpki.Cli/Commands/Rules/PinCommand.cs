using System.CommandLine;
using Jpki.Cli.Output;
using Jpki.Core.Pins;

namespace Jpki.Cli.Commands.Rules;

/// <summary>
/// <c>jpki rules pin</c>: prints a PIN policy and, given a PIN on stdin or in an environment variable, checks it.
/// The PIN is never an argument (it would land in shell history and the process list) and is never echoed.
/// </summary>
internal static class PinCommand
{
    public static Command Create(CliContext context)
    {
        var kind = new Option<string>("--kind")
        {
            Description = "Which secret: sign (署名用 password, 6–16 A–Z/0–9), auth (利用者証明用 PIN, 4 digits) or card (券面事項入力補助用 PIN, 4 digits).",
            Required = true,
        };
        kind.AcceptOnlyFromAmong("sign", "auth", "card");
        var stdin = new Option<bool>("--stdin")
        {
            Description = "Check the PIN read from the first line of standard input.",
        };
        var fromEnv = new Option<string>("--from-env")
        {
            Description = "Check the PIN held in the environment variable with this name.",
            HelpName = "VAR",
        };
        var command = new Command(
            "pin",
            "Print the policy of a PIN (JPKI-REFERENCE §5); with --stdin or --from-env, check a PIN against it. The PIN is never echoed and never taken as an argument.\n" +
            "Exit codes: 0 policy printed or PIN acceptable, 1 PIN refused (the broken rule is named), 2 bad input.");
        command.Options.Add(kind);
        command.Options.Add(stdin);
        command.Options.Add(fromEnv);
        command.SetAction(parse =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            var kindName = parse.GetValue(kind)!;
            var policy = PinPolicy.For(kindName switch
            {
                "sign" => PinKind.SignaturePassword,
                "auth" => PinKind.AuthenticationPin,
                _ => PinKind.CardPin,
            });
            var readStdin = parse.GetValue(stdin);
            var variable = parse.GetValue(fromEnv);
            if (readStdin && variable is not null)
            {
                return CommandResult.BadInput(context, json, "Give the PIN either with --stdin or with --from-env, not both.");
            }

            string? candidate = null;
            if (readStdin)
            {
                candidate = context.Stdin.ReadLine() ?? string.Empty;
            }
            else if (variable is not null)
            {
                if (variable.Length == 0)
                {
                    return CommandResult.BadInput(context, json, "--from-env needs the name of an environment variable.");
                }

                candidate = Environment.GetEnvironmentVariable(variable);
                if (candidate is null)
                {
                    return CommandResult.BadInput(context, json, $"The environment variable {variable} is not set.");
                }
            }

            if (candidate is null)
            {
                return CommandResult.Write(
                    context,
                    json,
                    new { kind = kindName, minLength = policy.MinLength, maxLength = policy.MaxLength, maxTries = policy.MaxTries, description = policy.Description },
                    w => w.WriteLine($"{kindName}: {policy.Description}"));
            }

            // Only the verdict leaves this block: neither the candidate nor its normalised form is written anywhere.
            var outcome = policy.Validate(candidate);
            var payload = new
            {
                kind = kindName,
                minLength = policy.MinLength,
                maxLength = policy.MaxLength,
                maxTries = policy.MaxTries,
                description = policy.Description,
                acceptable = outcome.IsAllowed,
                code = outcome.Code,
                message = outcome.Message,
            };
            return CommandResult.Write(
                context,
                json,
                payload,
                w => w.WriteLine(outcome.IsAllowed
                    ? $"ok: the {kindName} PIN meets the policy ({policy.Description})."
                    : $"refused ({outcome.Code}): {outcome.Message}"),
                outcome.IsAllowed ? ExitCodes.Ok : ExitCodes.Negative);
        });
        return command;
    }
}
