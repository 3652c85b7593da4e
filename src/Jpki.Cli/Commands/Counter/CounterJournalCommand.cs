using System.CommandLine;
using Jpki.Cli.Output;
using Jpki.Core.Time;

namespace Jpki.Cli.Commands.Counter;

/// <summary><c>jpki counter journal</c> and <c>jpki counter report</c>: what the counter did on a Japan day.</summary>
internal static class CounterJournalCommand
{
    public static Command CreateJournal(CliContext context)
    {
        var common = new CounterCommand.Common();
        var date = DateOption();
        var command = new Command("journal", "The journal of a business day (a Japan day; after its 日次締め, later actions count for the next day): every action with staff, resident, card, outcome and facts (never a PIN), and the check of the journal's hash chain against the seals of closed days (exit 1 when broken).");
        common.AddTo(command);
        command.Options.Add(date);
        command.SetAction((parse, ct) =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            if (Day(parse, date, context) is not { } day)
            {
                return Task.FromResult(CommandResult.BadInput(context, json, "--date must be YYYY-MM-DD."));
            }

            return common.RunAsync(context, parse, async (runtime, _) =>
            {
                var entries = await runtime.Store.ListJournalDayAsync(day, ct).ConfigureAwait(false);
                var verification = await runtime.Store.VerifyJournalAsync(ct).ConfigureAwait(false);
                return CommandResult.Write(context, json, new
                {
                    date = CounterCommand.Date(day),
                    entries = entries.Select(e => new { sequence = e.Sequence, e.At, staff = e.StaffId, action = e.Action, resident = e.ResidentId, card = e.CardId, outcome = e.Outcome, details = e.Details, feeYen = e.FeeYen }).ToArray(),
                    chainIntact = verification.Intact,
                    chainProblem = verification.Problem,
                }, w =>
                {
                    foreach (var e in entries)
                    {
                        w.WriteLine($"{JapanTime.ToJst(e.At):HH:mm:ss}  {e.StaffId,-12} {e.Action,-16} {e.ResidentId,-10} {e.Outcome,-22} {e.Details}");
                    }

                    w.WriteLine($"{entries.Count} entries on {CounterCommand.Date(day)}.");
                    w.WriteLine(verification.Intact
                        ? $"Hash chain intact ({verification.Checked} entries; closed days match their seals)."
                        : $"HASH CHAIN BROKEN at entry {verification.FirstBadSequence}: {verification.Problem}");
                }, verification.Intact ? ExitCodes.Ok : ExitCodes.Negative);
            }, ct);
        });
        return command;
    }

    public static Command CreateReport(CliContext context)
    {
        var common = new CounterCommand.Common();
        var date = DateOption();
        var command = new Command("report", "The daily report of a Japan day: counts per action and outcome, certificates issued, fees.");
        common.AddTo(command);
        command.Options.Add(date);
        command.SetAction((parse, ct) =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            if (Day(parse, date, context) is not { } day)
            {
                return Task.FromResult(CommandResult.BadInput(context, json, "--date must be YYYY-MM-DD."));
            }

            return common.RunAsync(context, parse, async (runtime, _) =>
            {
                var report = await runtime.Reports.BuildAsync(day, ct).ConfigureAwait(false);
                return CommandResult.Write(context, json, new
                {
                    date = CounterCommand.Date(report.Date),
                    lines = report.Lines.Select(l => new { action = l.Action, outcome = l.Outcome, count = l.Count }).ToArray(),
                    certificatesIssued = report.CertificatesIssued,
                    feesYen = report.FeesYen,
                }, w =>
                {
                    w.WriteLine($"Daily report {CounterCommand.Date(report.Date)}");
                    foreach (var l in report.Lines)
                    {
                        w.WriteLine($"  {l.Action,-16} {l.Outcome,-22} {l.Count}");
                    }

                    w.WriteLine($"  certificates issued: {report.CertificatesIssued}; fees: {report.FeesYen} yen");
                });
            }, ct);
        });
        return command;
    }

    private static Option<string> DateOption() => new("--date") { Description = "Japan date YYYY-MM-DD. Default: today (Japan time)." };

    private static DateOnly? Day(ParseResult parse, Option<string> option, CliContext context)
    {
        if (parse.GetValue(option) is not { } text)
        {
            return JapanTime.Today(context.Clock);
        }

        return CounterCommand.TryDate(text, out var day) ? day : null;
    }
}
