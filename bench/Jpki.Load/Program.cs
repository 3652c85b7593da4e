using Jpki.Load;

// jpki-load: load generator for an OpenJpki server on this machine (docs/load.md).
return await LoadCommand.InvokeAsync(args, new LoadContext(Console.Out, Console.Error, TimeProvider.System)).ConfigureAwait(false);
