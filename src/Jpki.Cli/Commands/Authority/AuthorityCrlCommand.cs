using Jpki.Authority.Contracts;
using System.CommandLine;
using Jpki.Authority.Crl;
using Jpki.Core.Identity;
using Jpki.Cli.Output;

namespace Jpki.Cli.Commands.Authority;

/// <summary><c>jpki authority crl</c>: builds a full CRL into a file.</summary>
internal static class AuthorityCrlCommand
{
    public static Command Create(CliContext context)
    {
        var data = AuthorityCommand.DataOption();
        var kind = new Option<string>("--kind") { Description = "sign or auth.", Required = true };
        kind.AcceptOnlyFromAmong([.. WireNames.KindNames]);
        var output = new Option<FileInfo>("--out") { Description = "Where to write the CRL (DER).", Required = true };
        var actor = AuthorityCommand.ActorOption();
        var command = new Command("crl", "Build and sign a full CRL of one CA (RFC 5280 v2, next CRL number, 24 h validity) streaming from the registry.");
        foreach (var option in new Option[] { data, kind, output, actor })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            return await AuthorityCommand.WithAuthorityAsync(context, json, parse.GetValue(data), async runtime =>
            {
                WireNames.TryParseKind(parse.GetValue(kind), out var certificateKind);
                var path = parse.GetValue(output)!.FullName;
                CrlDocument document;
                await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
                {
                    document = await CrlPublisher.BuildAsync(runtime.Authority, runtime.Audit, certificateKind, file, AuthorityCommand.Actor(parse.GetValue(actor)), cancellationToken).ConfigureAwait(false);
                }

                return CommandResult.Write(context, json, new { file = path, document.Number, document.ThisUpdate, document.NextUpdate, entries = document.EntryCount, bytes = document.Length }, text =>
                    text.WriteLine($"CRL #{document.Number} of the {parse.GetValue(kind)} CA: {document.EntryCount} entries, {document.Length} bytes, next update {document.NextUpdate:O} → {path}"));
            }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
