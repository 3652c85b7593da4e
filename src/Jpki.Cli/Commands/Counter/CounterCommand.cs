using System.CommandLine;
using System.Globalization;
using Jpki.Card.Client;
using Jpki.Card.Transport;
using Jpki.Cli.Commands.Authority;
using Jpki.Cli.Logging;
using Jpki.Cli.Output;
using Jpki.Core.Rules;
using Jpki.Municipality.Cards;
using Jpki.Municipality.Hosting;
using Jpki.Municipality.Proxy;
using Jpki.Municipality.Staff;
using Jpki.Server.Composition;
using Microsoft.Extensions.Logging;

namespace Jpki.Cli.Commands.Counter;

/// <summary><c>jpki counter</c>: the municipal counter (市民窓口) on a data folder, for the office's own scripting.</summary>
internal static class CounterCommand
{
    public const string PostgresVariable = "JPKI_COUNTER_POSTGRES";
    public const string MasterKeyVariable = "JPKI_CARD_MASTER_KEY_FILE";
    public const string PrefectureVariable = "JPKI_COUNTER_PREFECTURE";
    public const string MunicipalityVariable = "JPKI_COUNTER_MUNICIPALITY";
    public const string AlwaysOpenVariable = "JPKI_COUNTER_ALWAYS_OPEN";

    /// <summary><c>--log-level</c> of every counter command: the counter's, the cards' and the authority's events on stderr.</summary>
    public static readonly Option<LogLevel?> LogLevelOption = CliLogging.LevelOption();

    public static Command Create(CliContext context)
    {
        var command = new Command(
            "counter",
            "The municipal counter (市民窓口) on a data folder: residents (CSV import, search, changes that revoke), issuance in person " +
            "(new / renewal / re-issuance), PIN reset, revocation, proxy applications with the 照会書 PDF, journal and daily report, staff accounts of the web pages.\n" +
            "This CLI is for the office's own scripting ON THE SERVER HOST: it trusts --staff as given (no staff login; the staff web UI " +
            "authenticates people). PINs are read from environment variables or standard input, never from the command line.\n" +
            $"Data: --data (default $JPKI_DATA, else ./jpki-data): counter.db, the authority (a test one is created when missing), " +
            $"virtual cards in cards/. ${PostgresVariable}: PostgreSQL connection string for the counter store instead of counter.db. " +
            $"${MasterKeyVariable}: card-management master key file (default: the public development key). " +
            $"${PrefectureVariable} / ${MunicipalityVariable}: romanised names for the signature certificate (default Tokyo-to / Chiyoda-ku). " +
            $"<data>/counter.json: the municipality's names, office hours and calendar (docs/office-hours.md). ${AlwaysOpenVariable}=1: sandbox, the counter accepts at any hour.");
        command.Options.Add(LogLevelOption);
        command.Subcommands.Add(CounterResidentsCommand.Create(context));
        command.Subcommands.Add(CounterChangeCommand.Create(context));
        command.Subcommands.Add(CounterIssueCommand.Create(context, "issue", "Issue certificates in person (new, renewal or re-issuance: decided from the holder's certificates at the authority)."));
        command.Subcommands.Add(CounterIssueCommand.Create(context, "renew", "Renew in person: the same workflow as issue (a valid certificate inside its renewal window is renewed and the old one revoked superseded)."));
        command.Subcommands.Add(CounterPinResetCommand.Create(context));
        command.Subcommands.Add(CounterPinUnblockCommand.Create(context));
        command.Subcommands.Add(CounterRevokeCommand.Create(context));
        command.Subcommands.Add(CounterProxyCommand.Create(context));
        command.Subcommands.Add(CounterJournalCommand.CreateJournal(context));
        command.Subcommands.Add(CounterJournalCommand.CreateReport(context));
        command.Subcommands.Add(CounterCardsCommand.Create(context));
        command.Subcommands.Add(CounterChangeCommand.CreateRetry(context));
        command.Subcommands.Add(CounterStaffCommand.Create(context));
        return command;
    }

    /// <summary>The options every counter command takes.</summary>
    internal sealed class Common
    {
        public Option<DirectoryInfo> Data { get; } = AuthorityCommand.DataOption();

        public Option<string> Staff { get; } = new("--staff") { Description = "Staff id for the journal. Default: cli:$USER." };

        public Option<bool> Supervisor { get; } = new("--supervisor") { Description = "Act as a supervisor (third-party revocation). The CLI does not authenticate staff." };

        public void AddTo(Command command)
        {
            command.Options.Add(Data);
            command.Options.Add(Staff);
            command.Options.Add(Supervisor);
        }

        public StaffAccount StaffOf(ParseResult parse)
        {
            var id = parse.GetValue(Staff) ?? "cli:" + (Environment.UserName ?? "unknown");
            return parse.GetValue(Supervisor) ? StaffAccount.Supervisor(id) : StaffAccount.Clerk(id);
        }

        /// <summary>Opens the runtime and runs <paramref name="action"/>; outside failures become exit 2.</summary>
        public Task<int> RunAsync(CliContext context, ParseResult parse, Func<CounterRuntime, bool, Task<int>> action, CancellationToken cancellationToken) =>
            RunAsync(context, parse, (runtime, _, json) => action(runtime, json), cancellationToken);

        /// <summary>
        /// Opens the runtime and runs <paramref name="action"/> with the command's loggers (stderr, <c>--log-level</c>) for
        /// the services it builds itself; outside failures become exit 2.
        /// </summary>
        public async Task<int> RunAsync(CliContext context, ParseResult parse, Func<CounterRuntime, ILoggerFactory, bool, Task<int>> action, CancellationToken cancellationToken)
        {
            var json = parse.GetValue(GlobalOptions.Json);
            var options = new CounterRuntimeOptions
            {
                DataDirectory = AuthorityCommand.DataFolder(parse.GetValue(Data)),
                PostgresConnectionString = Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } pg ? pg : null,
                CardMasterKeyFile = Environment.GetEnvironmentVariable(MasterKeyVariable) is { Length: > 0 } key ? key : null,
                // `jpki counter` runs over its own test authority (a workbench): without a key file, the documented development key.
                UseDevelopmentCardKey = true,
                Prefecture = Environment.GetEnvironmentVariable(PrefectureVariable) is { Length: > 0 } p ? p : "Tokyo-to",
                Municipality = Environment.GetEnvironmentVariable(MunicipalityVariable) is { Length: > 0 } m ? m : "Chiyoda-ku",
                AlwaysOpen = Environment.GetEnvironmentVariable(AlwaysOpenVariable) is "1" or "true",
            };
            // Declared first, so disposed last: the runtimes log until they are closed.
            using var loggers = CliLogging.Create(context, CliLogging.LevelOf(context, parse, LogLevelOption));
            try
            {
                await using var counter = await CounterComposition.OpenLocalAsync(options, context.Clock, initializeTestAuthority: true, "http://127.0.0.1:8080", cancellationToken).ConfigureAwait(false);
                counter.Runtime.UseLogging(loggers);
                counter.Authority.UseLogging(loggers);
                return await action(counter.Runtime, loggers, json).ConfigureAwait(false);
            }
            catch (CounterCardException e)
            {
                return CommandResult.BadInput(context, json, e.Message);
            }
            catch (InquiryLetterFontException e)
            {
                return CommandResult.BadInput(context, json, e.Message);
            }
            catch (CardStatusException e)
            {
                return Refused(context, json, "card-error", e.Message);
            }
            catch (CardTransportException e)
            {
                return CommandResult.BadInput(context, json, e.Message);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or InvalidOperationException
                or System.Security.Cryptography.CryptographicException or System.Data.Common.DbException or Jpki.Municipality.Storage.DuplicateResidentException)
            {
                return CommandResult.BadInput(context, json, ex.Message);
            }
        }
    }

    /// <summary>A refusal (exit 1): <c>{"error": code, "message": ...}</c> or a line on stderr.</summary>
    public static int Refused(CliContext context, bool json, string code, string message) =>
        CommandResult.Write(context, json, new { error = code, message }, _ => context.Stderr.WriteLine($"refused ({code}): {message}"), ExitCodes.Negative);

    public static int Refused<T>(CliContext context, bool json, RuleOutcome<T> outcome) =>
        Refused(context, json, outcome.Code!, outcome.Message ?? outcome.Code!);

    public static bool TryDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
