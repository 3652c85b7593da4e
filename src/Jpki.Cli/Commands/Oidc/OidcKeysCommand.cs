using System.CommandLine;
using System.Globalization;
using Jpki.Cli.Output;
using Jpki.Oidc;

namespace Jpki.Cli.Commands.Oidc;

/// <summary><c>jpki oidc keys list|rotate|retire</c>: the provider's token keys.</summary>
internal static class OidcKeysCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("keys", "The provider's token-signing keys (RS256, ES256) and code-encryption keys. A rotation adds a new current key and keeps the old ones published, so nobody is logged out; restart `jpki serve` to use it.");
        command.Subcommands.Add(Create(context, "list", "List the keys (newest of each kind is current).", (folder, clock, _) => OidcKeyRing.OpenOrCreate(folder, clock).Keys));
        command.Subcommands.Add(Create(context, "rotate", "Add a new current key of each kind; the old ones keep validating tokens already issued.", (folder, clock, _) => OidcKeyRing.Rotate(folder, clock).Keys));
        var age = new Option<TimeSpan>("--older-than") { Description = "Only keys created at least this long ago (default 1.00:00:00: longer than any token and the relying parties' JWKS caches).", DefaultValueFactory = _ => TimeSpan.FromDays(1) };
        command.Subcommands.Add(Create(context, "retire", "Delete the keys that are no longer current and older than --older-than (tokens they signed stop validating).", (folder, clock, parse) =>
            OidcKeyRing.OpenOrCreate(folder, clock).Retire(clock.GetUtcNow() - parse.GetValue(age)), age));
        return command;
    }

    private static Command Create(CliContext context, string name, string description, Func<string, TimeProvider, ParseResult, IReadOnlyList<OidcKey>> action, Option? extra = null)
    {
        var data = Authority.AuthorityCommand.DataOption();
        var command = new Command(name, description) { data };
        if (extra is not null)
        {
            command.Options.Add(extra);
        }

        command.SetAction(parse =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            IReadOnlyList<OidcKey> keys;
            try
            {
                keys = action(Path.Combine(OidcCommand.Folder(parse.GetValue(data)), "keys"), context.Clock, parse);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                return CommandResult.BadInput(context, json, e.Message);
            }

            var rows = keys.Select(k => new { kind = k.Kind.ToString(), kid = k.Key.KeyId, createdAt = k.CreatedAt, file = Path.GetFileName(k.Path) }).ToList();
            return CommandResult.Write(context, json, new { keys = rows }, w =>
            {
                foreach (var row in rows)
                {
                    w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{row.kind,-11} {row.kid}  {row.createdAt:yyyy-MM-ddTHH:mm:ssZ}  {row.file}"));
                }
            });
        });
        return command;
    }
}
