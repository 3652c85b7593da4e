using System.CommandLine;
using Jpki.Cli.Output;
using Jpki.Core.Identity;
using Jpki.Municipality.Residents;

namespace Jpki.Cli.Commands.Counter;

/// <summary><c>jpki counter change</c>: registry changes (異動) that revoke; <c>jpki counter retry-revocations</c>.</summary>
internal static class CounterChangeCommand
{
    private static readonly Dictionary<string, ResidentChangeKind> Kinds = new(StringComparer.Ordinal)
    {
        ["move"] = ResidentChangeKind.MoveWithin,
        ["move-in"] = ResidentChangeKind.MoveIn,
        ["move-out"] = ResidentChangeKind.MoveOut,
        ["name"] = ResidentChangeKind.NameChange,
        ["birth-date"] = ResidentChangeKind.BirthDateCorrection,
        ["sex"] = ResidentChangeKind.SexCorrection,
        ["death"] = ResidentChangeKind.Death,
        ["card-loss"] = ResidentChangeKind.CardLoss,
    };

    public static Command Create(CliContext context)
    {
        var common = new CounterCommand.Common();
        var resident = new Option<string>("--resident") { Description = "Resident id.", Required = true };
        var kind = new Option<string>("--kind")
        {
            Description = "move (転居) | move-in (転入) | move-out (転出) | name | birth-date | sex: revoke the signature certificate (affiliationChanged); " +
                "death: both (cessationOfOperation); card-loss: both on that card (keyCompromise).",
            Required = true,
        };
        kind.AcceptOnlyFromAmong([.. Kinds.Keys]);
        var address = new Option<string>("--address") { Description = "New address (move, move-in; destination for move-out)." };
        var name = new Option<string>("--name") { Description = "New name (name)." };
        var kana = new Option<string>("--kana") { Description = "New reading (name, optional)." };
        var birth = new Option<string>("--birth") { Description = "Corrected date of birth YYYY-MM-DD (birth-date)." };
        var sex = new Option<string>("--sex") { Description = "Corrected sex 1/2/9 (sex)." };
        sex.AcceptOnlyFromAmong("1", "2", "9");
        var card = new Option<string>("--card-number") { Description = "The lost card's number (card-loss)." };
        var command = new Command(
            "change",
            "Record a registry change and revoke what it invalidates, in the same call. If the authority is unreachable the event stands and " +
            "the revocation stays pending (exit 0, pending listed): `jpki counter retry-revocations` or the server carries it out later. Exit 1 on a refusal.");
        common.AddTo(command);
        foreach (var o in new Option[] { resident, kind, address, name, kana, birth, sex, card })
        {
            command.Options.Add(o);
        }

        command.SetAction(async (parse, ct) =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            DateOnly? newBirth = null;
            if (parse.GetValue(birth) is { } b)
            {
                if (!CounterCommand.TryDate(b, out var d))
                {
                    return CommandResult.BadInput(context, json, "--birth must be YYYY-MM-DD.");
                }

                newBirth = d;
            }

            Sex? newSex = parse.GetValue(sex) switch { "1" => Sex.Male, "2" => Sex.Female, "9" => Sex.NotApplicable, _ => null };
            var change = new ResidentChange(
                Kinds[parse.GetValue(kind)!], parse.GetValue(resident)!, parse.GetValue(address), parse.GetValue(name), parse.GetValue(kana), newBirth, newSex, parse.GetValue(card));
            return await common.RunAsync(context, parse, async (runtime, _) =>
            {
                var outcome = await runtime.Changes.ApplyAsync(change, common.StaffOf(parse), ct).ConfigureAwait(false);
                if (!outcome.IsAllowed)
                {
                    return CounterCommand.Refused(context, json, outcome);
                }

                var result = outcome.Value!;
                var payload = new
                {
                    @event = result.Change.Id,
                    kind = result.Change.Kind.ToString(),
                    resident = result.Resident.Id,
                    revocations = result.Revocations.Select(t => new
                    {
                        kind = t.Kind.ToString(), reason = t.Reason.ToString(), status = t.Status.ToString(), serials = t.RevokedSerials, attempts = t.Attempts,
                    }).ToArray(),
                    allDone = result.AllRevocationsDone,
                };
                return CommandResult.Write(context, json, payload, w =>
                {
                    w.WriteLine($"Recorded {result.Change.Kind} for {result.Resident.Id} (event {result.Change.Id}).");
                    foreach (var t in result.Revocations)
                    {
                        w.WriteLine($"  {t.Kind} ({t.Reason}): {t.Status}{(string.IsNullOrEmpty(t.RevokedSerials) ? "" : " " + t.RevokedSerials)}");
                    }
                });
            }, ct).ConfigureAwait(false);
        });
        return command;
    }

    public static Command CreateRetry(CliContext context)
    {
        var common = new CounterCommand.Common();
        var command = new Command("retry-revocations", "Carry out pending revocation tasks once (the server does this on a timer). Exit 1 when some are still pending.");
        common.AddTo(command);
        command.SetAction((parse, ct) => common.RunAsync(context, parse, async (runtime, json) =>
        {
            var left = await runtime.Changes.RetryPendingAsync(ct).ConfigureAwait(false);
            return CommandResult.Write(context, json, new { pending = left }, w => w.WriteLine(left == 0 ? "No revocation pending." : $"{left} revocation task(s) still pending."),
                left == 0 ? ExitCodes.Ok : ExitCodes.Negative);
        }, ct));
        return command;
    }
}
