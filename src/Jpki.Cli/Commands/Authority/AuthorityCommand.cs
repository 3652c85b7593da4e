using System.CommandLine;
using Jpki.Authority.Ca;
using Jpki.Cli.Output;

namespace Jpki.Cli.Commands.Authority;

/// <summary><c>jpki authority</c>: the J-LIS role — the sign and auth CAs of a data folder.</summary>
internal static class AuthorityCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("authority", "The two JPKI CAs (signature, authentication) of a data folder: init, issue, revoke, show, crl, audit, backup, restore.");
        command.Subcommands.Add(AuthorityInitCommand.Create(context));
        command.Subcommands.Add(AuthorityIssueCommand.Create(context));
        command.Subcommands.Add(AuthorityRevokeCommand.Create(context));
        command.Subcommands.Add(AuthorityShowCommand.Create(context));
        command.Subcommands.Add(AuthorityCrlCommand.Create(context));
        command.Subcommands.Add(AuditCommand.Create(context));
        command.Subcommands.Add(AuthorityBackupCommand.CreateBackup(context));
        command.Subcommands.Add(AuthorityBackupCommand.CreateRestore(context));
        return command;
    }

    internal static Option<DirectoryInfo> DataOption() => new("--data")
    {
        Description = "Data folder holding the authority. Default: $JPKI_DATA, else ./jpki-data.",
    };

    internal static Option<string> ActorOption() => new("--actor")
    {
        Description = "Who acts, for the audit log (a staff account or service name). Default: cli:$USER.",
    };

    internal static string DataFolder(DirectoryInfo? data)
        => data?.FullName ?? Environment.GetEnvironmentVariable("JPKI_DATA") ?? Path.Combine(Environment.CurrentDirectory, "jpki-data");

    internal static string Actor(string? actor) => actor ?? "cli:" + (Environment.UserName ?? "unknown");

    /// <summary>Opens the folder's authority and runs <paramref name="action"/>; turns outside-data failures into exit 2.</summary>
    internal static async Task<int> WithAuthorityAsync(CliContext context, bool json, DirectoryInfo? data, Func<AuthorityRuntime, Task<int>> action, CancellationToken cancellationToken)
    {
        var folder = DataFolder(data);
        if (!AuthorityFolder.IsInitialized(folder))
        {
            return CommandResult.BadInput(context, json, $"{folder} holds no authority: run `jpki authority init --data {folder}` first.");
        }

        try
        {
            await using var runtime = await AuthorityFolder.OpenAsync(folder, context.Clock, cancellationToken).ConfigureAwait(false);
            return await action(runtime).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsDataFailure(ex))
        {
            return CommandResult.BadInput(context, json, Message(ex));
        }
    }

    /// <summary>A failure caused by the data folder or the input (bad request, unreadable or unwritable files, keys, registry): exit 2, not a crash.</summary>
    internal static bool IsDataFailure(Exception ex)
        => ex is ArgumentException or IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException
            or Jpki.Authority.Keys.Pkcs11KeyException or System.Data.Common.DbException or InvalidDataException or System.Text.Json.JsonException;

    /// <summary>The sentence to print for a <see cref="IsDataFailure"/> exception.</summary>
    internal static string Message(Exception ex) => ex is ArgumentException ? Sentence(ex.Message) : ex.Message;

    /// <summary>An ArgumentException's own sentence, without the " (Parameter 'x')" and "Actual value was …" the BCL appends.</summary>
    internal static string Sentence(string message)
    {
        var cut = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return cut < 0 ? message : message[..cut];
    }
}
