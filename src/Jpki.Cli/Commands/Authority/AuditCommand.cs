using System.CommandLine;
using Jpki.Authority.Audit;
using Jpki.Authority.Registry;
using Jpki.Cli.Output;

namespace Jpki.Cli.Commands.Authority;

/// <summary><c>jpki authority audit</c>: checks the tamper-evident audit log of the CAs.</summary>
internal static class AuditCommand
{
    internal static Command Create(CliContext context)
    {
        var command = new Command("audit", "The tamper-evident audit log of every CA action (who, what, when, SHA-256 hash chain).");
        command.Subcommands.Add(CreateVerify(context));
        command.Subcommands.Add(CreateHead(context));
        return command;
    }

    private static Command CreateVerify(CliContext context)
    {
        var data = DataOption();
        var registry = RegistryOption();
        var expectHead = new Option<string>("--expect-head")
        {
            Description = "The head recorded earlier with `audit head` (SEQ:SHA256HEX): also detects entries cut off the end of the log, which the chain alone cannot show.",
        };
        var command = new Command("verify", "Walk the audit chain and report the first changed, removed or reordered entry; then check the registry against it (every issued certificate present, every revoked one still revoked, no row without its entry). Exit 0 intact, 1 broken or disagreeing, 2 bad input.");
        command.Options.Add(data);
        command.Options.Add(registry);
        command.Options.Add(expectHead);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            AuditHead? anchor = null;
            if (parse.GetValue(expectHead) is { } headText && !AuditHead.TryParse(headText, out anchor))
            {
                return CommandResult.BadInput(context, json, "--expect-head must be SEQ:HEX (a sequence number, a colon and 64 hex digits), as `audit head` prints it.");
            }

            return await WithStoreAsync(context, json, parse.GetValue(data), parse.GetValue(registry), async store =>
            {
                var verdict = await store.VerifyWithRegistryAsync(anchor, cancellationToken).ConfigureAwait(false);
                var payload = new
                {
                    registry = store.Description,
                    intact = verdict.IsIntact,
                    entriesChecked = verdict.EntriesChecked,
                    firstBrokenSequence = verdict.FirstBrokenSequence,
                    problem = verdict.Kind,
                    message = verdict.Problem,
                    head = verdict.Head?.ToString(),
                };
                return CommandResult.Write(context, json, payload, output =>
                {
                    if (verdict.IsIntact)
                    {
                        output.WriteLine(verdict.Head is null
                            ? $"Audit log intact: empty ({store.Description})."
                            : $"Audit log intact: {verdict.EntriesChecked} entries, head {verdict.Head} ({store.Description}).");
                        if (anchor is not null)
                        {
                            output.WriteLine($"The recorded head {anchor.Sequence} is part of the chain.");
                        }
                    }
                    else
                    {
                        output.WriteLine(verdict.Kind == AuditProblem.RegistryDisagrees
                            ? $"Audit chain intact, but the REGISTRY DISAGREES with it: {verdict.Problem}."
                            : $"Audit log BROKEN at entry {verdict.FirstBrokenSequence} ({KindText(verdict.Kind)}): {verdict.Problem}.");
                        output.WriteLine($"{verdict.EntriesChecked} entries read ({store.Description}).");
                    }
                }, verdict.IsIntact ? ExitCodes.Ok : ExitCodes.Negative);
            }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static Command CreateHead(CliContext context)
    {
        var data = DataOption();
        var registry = RegistryOption();
        var command = new Command("head", "Print the newest entry as SEQ:SHA256HEX. Record it outside the database (print it, timestamp it, mail it) and give it later to `audit verify --expect-head`.");
        command.Options.Add(data);
        command.Options.Add(registry);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            return await WithStoreAsync(context, json, parse.GetValue(data), parse.GetValue(registry), async store =>
            {
                var head = await store.GetHeadAsync(cancellationToken).ConfigureAwait(false);
                return CommandResult.Write(
                    context,
                    json,
                    new { registry = store.Description, sequence = head?.Sequence ?? 0, hash = head?.HashHex, head = head?.ToString() },
                    output => output.WriteLine(head?.ToString() ?? "The audit log is empty."));
            }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static Option<DirectoryInfo> DataOption() => new("--data")
    {
        Description = "Data folder holding registry.db. Default: $JPKI_REGISTRY, else $JPKI_DATA, else ./jpki-data.",
    };

    private static Option<string> RegistryOption() => new("--registry")
    {
        Description = "The registry instead of a data folder: a SQLite .db file, an Npgsql connection string (Host=…) or a postgres:// URL.",
    };

    private static async Task<int> WithStoreAsync(
        CliContext context, bool json, DirectoryInfo? data, string? registry, Func<IRegistryStore, Task<int>> action, CancellationToken cancellationToken)
    {
        RegistryLocation location;
        try
        {
            location = registry is not null
                ? RegistryFactory.Resolve(registry, environmentOverride: null)
                : data is not null
                    ? RegistryFactory.Resolve(data.FullName, environmentOverride: null)
                    : RegistryFactory.Resolve(
                        Environment.GetEnvironmentVariable("JPKI_DATA") ?? Path.Combine(Environment.CurrentDirectory, "jpki-data"),
                        Environment.GetEnvironmentVariable(RegistryFactory.EnvironmentVariable));
        }
        catch (ArgumentException ex)
        {
            return CommandResult.BadInput(context, json, ex.Message);
        }

        if (location.Engine == RegistryEngine.Sqlite && !File.Exists(location.Target))
        {
            return CommandResult.BadInput(context, json, $"No registry at {location.Description}.");
        }

        IRegistryStore store;
        try
        {
            store = await RegistryFactory.OpenAsync(location, context.Clock, migrate: false, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or UnauthorizedAccessException)
        {
            return CommandResult.BadInput(context, json, $"Cannot open the registry {location.Description}: {ex.Message}");
        }

        await using (store.ConfigureAwait(false))
        {
            try
            {
                var version = await store.GetSchemaVersionAsync(cancellationToken).ConfigureAwait(false);
                if (version < 2)
                {
                    return CommandResult.BadInput(context, json, $"{location.Description} holds no audit log (schema version {version}).");
                }

                return await action(store).ConfigureAwait(false);
            }
            catch (System.Data.Common.DbException ex)
            {
                return CommandResult.BadInput(context, json, $"Cannot read the registry {location.Description}: {ex.Message}");
            }
        }
    }

    private static string KindText(AuditProblem? kind) => kind switch
    {
        AuditProblem.Changed => "changed",
        AuditProblem.Removed => "removed",
        AuditProblem.Reordered => "reordered",
        AuditProblem.BrokenLink => "broken link",
        AuditProblem.Truncated => "truncated",
        AuditProblem.RegistryDisagrees => "registry disagrees",
        _ => "unknown",
    };
}
