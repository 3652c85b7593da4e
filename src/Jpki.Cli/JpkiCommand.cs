using System.CommandLine;
using Jpki.Cli.Commands;
using Jpki.Cli.Commands.Authority;
using Jpki.Cli.Commands.Card;
using Jpki.Cli.Commands.Counter;
using Jpki.Cli.Commands.Login;
using Jpki.Cli.Commands.Rules;
using Jpki.Cli.Commands.Sign;
using Jpki.Cli.Commands.Verify;
using Jpki.Cli.Output;

namespace Jpki.Cli;

/// <summary>The root of the <c>jpki</c> command tree.</summary>
internal static class JpkiCommand
{
    /// <summary>Builds the command tree. <paramref name="context"/> carries the output writers and the clock.</summary>
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand(
            "OpenJpki — Japan's Public Personal Authentication Service (公的個人認証サービス): the authority, the municipal counter, the card and the relying parties.\n" +
            "Exit codes: 0 success, 1 negative verdict, 2 bad usage or input.");
        root.Options.Add(GlobalOptions.Json);
        root.Subcommands.Add(ServeCommand.Create(context));
        root.Subcommands.Add(RulesCommand.Create(context));
        root.Subcommands.Add(AuthorityCommand.Create(context));
        root.Subcommands.Add(CardCommand.Create(context));
        root.Subcommands.Add(CounterCommand.Create(context));
        root.Subcommands.Add(SignCommand.Create(context));
        root.Subcommands.Add(Commands.SignHelper.SignHelperCommand.Create(context));
        root.Subcommands.Add(VerifyCommand.Create(context));
        root.Subcommands.Add(LoginCommand.Create(context));
        root.Subcommands.Add(Commands.Oidc.OidcCommand.Create(context));
        return root;
    }

    /// <summary>
    /// Parses and runs <paramref name="args"/>; parse errors exit with <see cref="ExitCodes.BadInput"/>.
    /// <paramref name="stdin"/> defaults to the console's standard input.
    /// </summary>
    public static Task<int> InvokeAsync(string[] args, TextWriter stdout, TextWriter stderr, TimeProvider? clock = null, TextReader? stdin = null)
    {
        var context = new CliContext(stdout, stderr, clock ?? TimeProvider.System) { Stdin = stdin ?? Console.In };
        var root = Build(context);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                stderr.WriteLine($"error: {error.Message}");
            }

            stderr.WriteLine("Run with --help to see the usage.");
            return Task.FromResult(ExitCodes.BadInput);
        }

        return parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
    }
}
