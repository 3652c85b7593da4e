using Jpki.Authority.Contracts;
using System.CommandLine;
using Jpki.Cli.Output;
using Jpki.Core.Identity;
using Jpki.Municipality.Residents;

namespace Jpki.Cli.Commands.Counter;

/// <summary><c>jpki counter residents …</c>: the part of the resident register the counter keeps.</summary>
internal static class CounterResidentsCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("residents", "The resident register (住民基本台帳, the counter's part): import, show, search, edit, register-card.");
        command.Subcommands.Add(Import(context));
        command.Subcommands.Add(Show(context));
        command.Subcommands.Add(Search(context));
        command.Subcommands.Add(Edit(context));
        command.Subcommands.Add(RegisterCard(context));
        return command;
    }

    private static Command Import(CliContext context)
    {
        var common = new CounterCommand.Common();
        var file = new Option<FileInfo>("--file") { Description = "CSV with the header id,name,name_kana,address,date_of_birth,sex,under_guardianship,household_id (or 住民番号,氏名,フリガナ,住所,生年月日,性別,成年被後見人,世帯番号); LF or CRLF.", Required = true };
        var encoding = new Option<string>("--encoding") { Description = "auto (UTF-8 when the file is valid UTF-8, else Shift_JIS), utf-8 or shift_jis (CP932, as municipal systems export).", DefaultValueFactory = _ => "auto" };
        encoding.AcceptOnlyFromAmong("auto", "utf-8", "shift_jis");
        var command = new Command("import", "Import residents from CSV, streaming (any size): all or nothing; every bad line is reported with its line number in Japanese (exit 1).");
        common.AddTo(command);
        command.Options.Add(file);
        command.Options.Add(encoding);
        command.SetAction((parse, ct) => common.RunAsync(context, parse, async (runtime, json) =>
        {
            await using var stream = parse.GetValue(file)!.OpenRead();
            var chosen = parse.GetValue(encoding) switch
            {
                "utf-8" => CsvTextEncoding.Utf8,
                "shift_jis" => CsvTextEncoding.ShiftJis,
                _ => CsvTextEncoding.Auto,
            };
            var result = await runtime.Residents.ImportCsvAsync(stream, common.StaffOf(parse), new ResidentImportOptions(chosen), ct).ConfigureAwait(false);
            var payload = new
            {
                imported = result.Imported,
                encoding = result.Encoding == CsvTextEncoding.ShiftJis ? "shift_jis" : "utf-8",
                errorCount = result.ErrorCount,
                errors = result.Errors.Select(e => new { line = e.Line, code = e.Code, message = e.Message }).ToArray(),
            };
            return CommandResult.Write(context, json, payload, w =>
            {
                foreach (var e in result.Errors)
                {
                    w.WriteLine($"line {e.Line}: {e.Code}: {e.Message}");
                }

                w.WriteLine(result.Accepted ? $"Imported {result.Imported} residents." : $"Nothing imported ({result.ErrorCount} bad lines).");
            }, result.Accepted ? ExitCodes.Ok : ExitCodes.Negative);
        }, ct));
        return command;
    }

    private static Command Show(CliContext context)
    {
        var common = new CounterCommand.Common();
        var resident = new Option<string>("--resident") { Description = "Resident id.", Required = true };
        var command = new Command("show", "Show a resident, their registry events and their certificates at the authority. Exit 1 when unknown.");
        common.AddTo(command);
        command.Options.Add(resident);
        command.SetAction((parse, ct) => common.RunAsync(context, parse, async (runtime, json) =>
        {
            var id = parse.GetValue(resident)!;
            var found = await runtime.Store.FindResidentAsync(id, ct).ConfigureAwait(false);
            if (found is null)
            {
                return CounterCommand.Refused(context, json, "resident-not-found", $"No resident {id}.");
            }

            var changes = await runtime.Store.ListChangesAsync(id, ct).ConfigureAwait(false);
            var certificates = await runtime.Issuer.FindByHolderAsync(new HolderId(id), ct).ConfigureAwait(false);
            var payload = new
            {
                resident = Describe(found),
                changes = changes.Select(c => new { c.Id, kind = c.Kind.ToString(), c.At, c.StaffId, c.Summary }).ToArray(),
                certificates = certificates.Select(c => new
                {
                    serial = c.Serial.Hex, kind = c.Kind.ToString(), CardId = c.CardId.Value, c.NotAfter, revoked = c.Revocation is not null,
                    reason = c.Revocation?.Reason.ToString(),
                }).ToArray(),
            };
            return CommandResult.Write(context, json, payload, w =>
            {
                w.WriteLine($"{found.Id}  {found.Name}（{found.NameKana}）  {CounterCommand.Date(found.DateOfBirth)}  sex {(int)found.Sex}  {found.Status}");
                w.WriteLine($"  {found.Address}  household {found.HouseholdId}{(found.UnderGuardianship ? "  成年被後見人" : "")}");
                foreach (var c in certificates)
                {
                    w.WriteLine($"  {c.Kind,-14} {c.Serial}  card {c.CardId}  until {c.NotAfter:yyyy-MM-dd}{(c.Revocation is { } r ? $"  REVOKED ({r.Reason})" : "")}");
                }

                foreach (var c in changes)
                {
                    w.WriteLine($"  event {c.At:yyyy-MM-dd HH:mm} {c.Kind} by {c.StaffId}: {c.Summary}");
                }
            });
        }, ct));
        return command;
    }

    private static Command Search(CliContext context)
    {
        var common = new CounterCommand.Common();
        var text = new Option<string>("--text") { Description = "Id, name or reading (prefix)." };
        var birth = new Option<string>("--birth") { Description = "Date of birth YYYY-MM-DD." };
        var limit = new Option<int>("--limit") { Description = "At most this many.", DefaultValueFactory = _ => 50 };
        var command = new Command("search", "Search residents by id, name, reading or date of birth.");
        common.AddTo(command);
        command.Options.Add(text);
        command.Options.Add(birth);
        command.Options.Add(limit);
        command.SetAction(async (parse, ct) =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            DateOnly? date = null;
            if (parse.GetValue(birth) is { } b)
            {
                if (!CounterCommand.TryDate(b, out var d))
                {
                    return CommandResult.BadInput(context, json, "--birth must be YYYY-MM-DD.");
                }

                date = d;
            }

            var query = new ResidentQuery(parse.GetValue(text), date, parse.GetValue(limit));
            try
            {
                query.Validate();
            }
            catch (ArgumentException e)
            {
                return CommandResult.BadInput(context, json, e.Message);
            }

            return await common.RunAsync(context, parse, async (runtime, _) =>
            {
                var found = await runtime.Store.SearchResidentsAsync(query, ct).ConfigureAwait(false);
                return CommandResult.Write(context, json, new { residents = found.Select(Describe).ToArray() }, w =>
                {
                    foreach (var r in found)
                    {
                        w.WriteLine($"{r.Id}  {r.Name}（{r.NameKana}）  {CounterCommand.Date(r.DateOfBirth)}  {r.Address}  {r.Status}");
                    }

                    w.WriteLine($"{found.Count} found.");
                });
            }, ct).ConfigureAwait(false);
        });
        return command;
    }

    private static Command Edit(CliContext context)
    {
        var common = new CounterCommand.Common();
        var resident = new Option<string>("--resident") { Description = "Resident id.", Required = true };
        var kana = new Option<string>("--kana") { Description = "New reading (katakana)." };
        var guardianship = new Option<bool?>("--guardianship") { Description = "true/false: under guardianship (成年被後見人)." };
        var household = new Option<string>("--household") { Description = "New household id." };
        var command = new Command("edit", "Edit fields that do not revoke (reading, guardianship, household). Name, address, birth date and sex change only through `jpki counter change`.");
        common.AddTo(command);
        foreach (var o in new Option[] { resident, kana, guardianship, household })
        {
            command.Options.Add(o);
        }

        command.SetAction((parse, ct) => common.RunAsync(context, parse, async (runtime, json) =>
        {
            var outcome = await runtime.Residents.EditAsync(
                new ResidentEdit(parse.GetValue(resident)!, parse.GetValue(kana), parse.GetValue(guardianship), parse.GetValue(household)), common.StaffOf(parse), ct).ConfigureAwait(false);
            return outcome.IsAllowed
                ? CommandResult.Write(context, json, new { resident = Describe(outcome.Value!) }, w => w.WriteLine($"Updated {outcome.Value!.Id}."))
                : CounterCommand.Refused(context, json, outcome);
        }, ct));
        return command;
    }

    private static Command RegisterCard(CliContext context)
    {
        var common = new CounterCommand.Common();
        var resident = new Option<string>("--resident") { Description = "Resident id.", Required = true };
        var file = new Option<FileInfo>("--card") { Description = "Register the card number, kind and expiry of this virtual card file." };
        var number = new Option<string>("--number") { Description = "Card number (with --kind and --expiry, instead of --card)." };
        var kind = new Option<string>("--kind") { Description = "mynumber or juki.", DefaultValueFactory = _ => "mynumber" };
        kind.AcceptOnlyFromAmong("mynumber", "juki");
        var expiry = new Option<string>("--expiry") { Description = "Card expiry YYYY-MM-DD." };
        var command = new Command("register-card", "Register a card to a resident (the card register the counter checks ownership against).");
        common.AddTo(command);
        foreach (var o in new Option[] { resident, file, number, kind, expiry })
        {
            command.Options.Add(o);
        }

        command.SetAction(async (parse, ct) =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            var cardFile = parse.GetValue(file);
            var cardNumber = parse.GetValue(number);
            DateOnly expiryDate = default;
            if ((cardFile is null) == (cardNumber is null))
            {
                return CommandResult.BadInput(context, json, "Give --card <file>, or --number with --expiry.");
            }

            if (cardNumber is not null && !CounterCommand.TryDate(parse.GetValue(expiry), out expiryDate))
            {
                return CommandResult.BadInput(context, json, "--expiry YYYY-MM-DD is needed with --number.");
            }

            return await common.RunAsync(context, parse, async (runtime, _) =>
            {
                ResidentCard card;
                if (cardFile is not null)
                {
                    using var open = runtime.OpenCardFile(cardFile.FullName);
                    var info = await open.ReadInfoAsync(ct).ConfigureAwait(false);
                    card = new ResidentCard(info.CardId, parse.GetValue(resident)!, info.Kind, info.ExpiresOn);
                }
                else
                {
                    card = new ResidentCard(cardNumber!, parse.GetValue(resident)!, parse.GetValue(kind) == "juki" ? CardKind.JukiCard : CardKind.MyNumberCard, expiryDate);
                }

                var outcome = await runtime.Residents.RegisterCardAsync(card, common.StaffOf(parse), ct).ConfigureAwait(false);
                return outcome.IsAllowed
                    ? CommandResult.Write(context, json, new { card = outcome.Value!.CardId, resident = outcome.Value.HolderId, kind = outcome.Value.Kind.ToString(), expiry = CounterCommand.Date(outcome.Value.ExpiresOn) },
                        w => w.WriteLine($"Card {outcome.Value!.CardId} registered to {outcome.Value.HolderId}."))
                    : CounterCommand.Refused(context, json, outcome);
            }, ct).ConfigureAwait(false);
        });
        return command;
    }

    internal static object Describe(Resident r) => new
    {
        id = r.Id, name = r.Name, nameKana = r.NameKana, address = r.Address, dateOfBirth = CounterCommand.Date(r.DateOfBirth),
        sex = (int)r.Sex, underGuardianship = r.UnderGuardianship, householdId = r.HouseholdId, status = r.Status.ToString(),
    };
}
