using System.CommandLine;
using Jpki.Cli.Output;
using Jpki.Municipality.Staff;
using Microsoft.Extensions.Logging;

namespace Jpki.Cli.Commands.Counter;

/// <summary>
/// <c>jpki counter staff</c>: the staff accounts of the counter's web interface, for the operator of the server host —
/// the recovery path when the only supervisor has forgotten a password or is locked out. Passwords are read from an
/// environment variable or standard input, never from the command line, and never printed.
/// </summary>
internal static class CounterStaffCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command(
            "staff",
            "Staff accounts of the counter's web pages (/staff/login): list, add, reset-password, disable, enable. For the operator on the " +
            "server host (the data folder's owner); in the web pages a supervisor does the same at /staff/accounts. Passwords come from " +
            "--password-env VAR or the first line of standard input, are at least " + StaffDirectory.MinPasswordLength + " characters, " +
            "and must be changed by their holder at the next login.");
        command.Subcommands.Add(List(context));
        command.Subcommands.Add(Add(context));
        command.Subcommands.Add(ResetPassword(context));
        command.Subcommands.Add(SetDisabled(context, "disable", disabled: true));
        command.Subcommands.Add(SetDisabled(context, "enable", disabled: false));
        return command;
    }

    private static Command List(CliContext context)
    {
        var common = new CounterCommand.Common();
        var command = new Command("list", "Every staff account: id, role, name, and whether it is disabled, must change its password, or is locked out from a terminal (5 wrong passwords from one client address lock that id from that address for 15 minutes; a password reset ends the lock).");
        common.AddTo(command);
        command.SetAction((parse, ct) => common.RunAsync(context, parse, async (runtime, json) =>
        {
            var now = context.Clock.GetUtcNow();
            var locks = (await runtime.Store.ListClientLocksAsync(now, ct).ConfigureAwait(false)).ToLookup(l => l.StaffId, StringComparer.Ordinal);
            var accounts = (await runtime.Store.ListStaffAsync(ct).ConfigureAwait(false))
                .Select(s => new
                {
                    id = s.Id,
                    role = s.Role == StaffRole.Supervisor ? "supervisor" : "clerk",
                    name = s.DisplayName,
                    disabled = s.Disabled,
                    lockedOut = locks[s.Id].Select(l => new { client = l.Client, until = l.LockedUntil }).ToList(),
                    mustChangePassword = s.MustChangePassword,
                })
                .ToList();
            return CommandResult.Write(context, json, new { staff = accounts }, w =>
            {
                foreach (var a in accounts)
                {
                    var flags = string.Join(", ", new[] { a.disabled ? "disabled" : null, a.lockedOut.Count > 0 ? string.Join(", ", a.lockedOut.Select(l => $"locked from {l.client} until {l.until:u}")) : null, a.mustChangePassword ? "must change password" : null }.OfType<string>());
                    w.WriteLine($"{a.id,-20} {a.role,-10} {a.name}{(flags.Length > 0 ? $"  ({flags})" : string.Empty)}");
                }
            });
        }, ct));
        return command;
    }

    private static Command Add(CliContext context)
    {
        var common = new CounterCommand.Common();
        var id = new Argument<string>("id") { Description = "Login name: 1–32 of a–z, 0–9, '.', '_', '-', starting with a letter." };
        var name = new Option<string>("--name") { Description = "Display name shown in the pages.", Required = true };
        var role = new Option<string>("--role") { Description = "clerk or supervisor.", DefaultValueFactory = _ => "clerk" };
        role.AcceptOnlyFromAmong("clerk", "supervisor");
        var passwordEnv = PasswordEnvOption();
        var command = new Command("add", "Add a staff account with an initial password (from --password-env or standard input) that the holder must change at the first login. Exit 1 when the id exists.");
        common.AddTo(command);
        command.Arguments.Add(id);
        command.Options.Add(name);
        command.Options.Add(role);
        command.Options.Add(passwordEnv);
        command.SetAction((parse, ct) => common.RunAsync(context, parse, async (runtime, loggers, json) =>
        {
            if (ReadPassword(context, parse, passwordEnv) is not { } password)
            {
                return CommandResult.BadInput(context, json, MissingPassword(parse, passwordEnv));
            }

            var staffRole = parse.GetValue(role) == "supervisor" ? StaffRole.Supervisor : StaffRole.Clerk;
            var directory = new StaffDirectory(runtime.Store, context.Clock, loggers.CreateLogger<StaffDirectory>());
            var code = await directory.AddAsync(parse.GetValue(id)!, parse.GetValue(name)!, staffRole, password, mustChange: true, ct).ConfigureAwait(false);
            return Outcome(context, json, code, parse.GetValue(id)!, $"Added {parse.GetValue(id)} ({parse.GetValue(role)}); the password must be changed at the first login.");
        }, ct));
        return command;
    }

    private static Command ResetPassword(CliContext context)
    {
        var common = new CounterCommand.Common();
        var id = new Argument<string>("id") { Description = "The account's login name." };
        var passwordEnv = PasswordEnvOption();
        var command = new Command("reset-password", "Give an account a new password (from --password-env or standard input) that the holder must change at the next login, and lift a lockout. Exit 1 for an unknown id.");
        common.AddTo(command);
        command.Arguments.Add(id);
        command.Options.Add(passwordEnv);
        command.SetAction((parse, ct) => common.RunAsync(context, parse, async (runtime, loggers, json) =>
        {
            if (ReadPassword(context, parse, passwordEnv) is not { } password)
            {
                return CommandResult.BadInput(context, json, MissingPassword(parse, passwordEnv));
            }

            var directory = new StaffDirectory(runtime.Store, context.Clock, loggers.CreateLogger<StaffDirectory>());
            var code = await directory.ResetPasswordAsync(parse.GetValue(id)!, password, ct).ConfigureAwait(false);
            return Outcome(context, json, code, parse.GetValue(id)!, $"Password of {parse.GetValue(id)} reset; it must be changed at the next login.");
        }, ct));
        return command;
    }

    private static Command SetDisabled(CliContext context, string verb, bool disabled)
    {
        var common = new CounterCommand.Common();
        var id = new Argument<string>("id") { Description = "The account's login name." };
        var command = new Command(verb, disabled ? "Disable an account: it can no longer log in (sessions end at their next request). Exit 1 for an unknown id." : "Enable a disabled account. Exit 1 for an unknown id.");
        common.AddTo(command);
        command.Arguments.Add(id);
        command.SetAction((parse, ct) => common.RunAsync(context, parse, async (runtime, loggers, json) =>
        {
            var directory = new StaffDirectory(runtime.Store, context.Clock, loggers.CreateLogger<StaffDirectory>());
            var found = await directory.SetDisabledAsync(parse.GetValue(id)!, disabled, ct).ConfigureAwait(false);
            return Outcome(context, json, found ? null : "unknown-id", parse.GetValue(id)!, $"{(disabled ? "Disabled" : "Enabled")} {parse.GetValue(id)}.");
        }, ct));
        return command;
    }

    private static Option<string> PasswordEnvOption() =>
        new("--password-env") { Description = "Environment variable holding the password; without it, the password is read from the first line of standard input." };

    private static string? ReadPassword(CliContext context, ParseResult parse, Option<string> passwordEnv)
    {
        var value = parse.GetValue(passwordEnv) is { } variable ? Environment.GetEnvironmentVariable(variable) : context.Stdin.ReadLine();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    private static string MissingPassword(ParseResult parse, Option<string> passwordEnv) =>
        parse.GetValue(passwordEnv) is { } variable
            ? $"The environment variable {variable} (the password) is not set."
            : "The password was expected on the first line of standard input (or name an environment variable with --password-env).";

    private static int Outcome(CliContext context, bool json, string? code, string id, string done)
    {
        if (code is null)
        {
            return CommandResult.Write(context, json, new { id, ok = true }, w => w.WriteLine(done));
        }

        var message = code switch
        {
            "bad-id" => "The login name must be 1–32 of a–z, 0–9, '.', '_', '-', starting with a letter.",
            "bad-name" => "The display name must be 1–64 characters.",
            "weak-password" => $"The password must be {StaffDirectory.MinPasswordLength}–128 characters.",
            "existing-id" => $"An account '{id}' exists already.",
            "unknown-id" => $"There is no account '{id}'.",
            _ => code,
        };
        return code is "bad-id" or "bad-name" or "weak-password"
            ? CommandResult.BadInput(context, json, message)
            : CounterCommand.Refused(context, json, code, message);
    }
}
