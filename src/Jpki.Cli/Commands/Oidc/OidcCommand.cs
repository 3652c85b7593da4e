using System.CommandLine;
using System.Globalization;
using Jpki.Cli.Commands.Authority;
using Jpki.Cli.Output;
using Jpki.Oidc;

namespace Jpki.Cli.Commands.Oidc;

/// <summary>
/// <c>jpki oidc client add|list|remove</c> and <c>jpki oidc keys list|rotate|retire</c>: the OpenID Connect provider of
/// <c>jpki serve</c> (<c>/oidc</c>), on the data folder's <c>oidc/</c> (docs/login.md).
/// </summary>
internal static class OidcCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("oidc", "The OpenID Connect provider of `jpki serve` (/oidc, \"log in with the My Number card\"): register relying parties, rotate token keys. See docs/login.md.");
        var client = new Command("client", "Relying parties (OpenID Connect clients): code flow with PKCE S256, redirect URIs matched exactly.");
        client.Subcommands.Add(CreateAdd(context));
        client.Subcommands.Add(CreateList(context));
        client.Subcommands.Add(CreateRemove(context));
        command.Subcommands.Add(client);
        command.Subcommands.Add(OidcKeysCommand.Create(context));
        return command;
    }

    internal static string Folder(DirectoryInfo? data) => Path.Combine(AuthorityCommand.DataFolder(data), "oidc");

    private static Command CreateAdd(CliContext context)
    {
        var data = AuthorityCommand.DataOption();
        var name = new Option<string>("--name") { Description = "The client's name, shown on the login and consent pages (e.g. 〇〇市 子育て支援サービス).", Required = true };
        var id = new Option<string>("--client-id") { Description = "The client id; default: a random one." };
        var redirects = new Option<string[]>("--redirect-uri") { Description = "A redirect URI, matched exactly (repeatable; at least one).", Required = true };
        var logouts = new Option<string[]>("--post-logout-redirect-uri") { Description = "Where the client may send the citizen after logout, matched exactly (repeatable)." };
        var jwks = new Option<FileInfo>("--jwks") { Description = "The client's public keys (JWKS JSON file) for private_key_jwt. Without it a secret is generated (client_secret_basic), printed once." };
        var basic4 = new Option<bool>("--allow-basic4") { Description = "Let the client ask for scope jpki:basic4 (name, address, birth date, sex — with the citizen's consent and signature password)." };
        var alg = new Option<string>("--id-token-alg") { Description = "ID token signature: RS256 (default) or ES256.", DefaultValueFactory = _ => "RS256" };
        alg.AcceptOnlyFromAmong("RS256", "ES256");
        var command = new Command("add", "Register a relying party. Prints its client id (and secret, once: it is stored hashed).") { data, name, id, redirects, logouts, jwks, basic4, alg };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            try
            {
                var registration = new OidcClientRegistration
                {
                    ClientId = parse.GetValue(id),
                    DisplayName = parse.GetValue(name)!,
                    RedirectUris = Uris(parse.GetValue(redirects), "--redirect-uri"),
                    PostLogoutRedirectUris = Uris(parse.GetValue(logouts), "--post-logout-redirect-uri"),
                    JsonWebKeySet = parse.GetValue(jwks) is { } file ? await File.ReadAllTextAsync(file.FullName, cancellationToken).ConfigureAwait(false) : null,
                    AllowBasic4 = parse.GetValue(basic4),
                    IdTokenAlgorithm = parse.GetValue(alg)!,
                };
                await using var registry = OidcClientRegistry.Open(Folder(parse.GetValue(data)));
                var (clientId, secret) = await registry.AddAsync(registration, cancellationToken).ConfigureAwait(false);
                return CommandResult.Write(context, json, new { clientId, clientSecret = secret }, w =>
                {
                    w.WriteLine($"client_id:     {clientId}");
                    if (secret is not null)
                    {
                        w.WriteLine($"client_secret: {secret}");
                        w.WriteLine("(the secret is shown once; it is stored hashed)");
                    }
                });
            }
            catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
            {
                return CommandResult.BadInput(context, json, e.Message);
            }
        });
        return command;
    }

    private static Uri[] Uris(string[]? texts, string option)
        => [.. (texts ?? []).Select(t => Uri.TryCreate(t, UriKind.Absolute, out var uri) ? uri : throw new ArgumentException($"{option}: '{t}' is not an absolute URI."))];

    private static Command CreateList(CliContext context)
    {
        var data = AuthorityCommand.DataOption();
        var command = new Command("list", "List the registered relying parties.") { data };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            await using var registry = OidcClientRegistry.Open(Folder(parse.GetValue(data)));
            var clients = await registry.ListAsync(cancellationToken).ConfigureAwait(false);
            return CommandResult.Write(context, json, new { clients }, w =>
            {
                foreach (var client in clients)
                {
                    w.WriteLine(client.ToString());
                    foreach (var uri in client.RedirectUris)
                    {
                        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  redirect: {uri}"));
                    }
                }

                if (clients.Count == 0)
                {
                    w.WriteLine("No clients. Add one with `jpki oidc client add`.");
                }
            });
        });
        return command;
    }

    private static Command CreateRemove(CliContext context)
    {
        var data = AuthorityCommand.DataOption();
        var id = new Argument<string>("client-id") { Description = "The client to remove." };
        var command = new Command("remove", "Remove a relying party: its codes and tokens stop working.") { data, id };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            await using var registry = OidcClientRegistry.Open(Folder(parse.GetValue(data)));
            var clientId = parse.GetValue(id)!;
            return await registry.RemoveAsync(clientId, cancellationToken).ConfigureAwait(false)
                ? CommandResult.Write(context, json, new { removed = clientId }, w => w.WriteLine($"Removed {clientId}."))
                : CommandResult.BadInput(context, json, $"No client {clientId}.");
        });
        return command;
    }
}
