using Jpki.Cli;

return await JpkiCommand.InvokeAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
