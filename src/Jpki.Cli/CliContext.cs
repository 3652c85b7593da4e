namespace Jpki.Cli;

/// <summary>What every command needs from its host: the output writers and the clock (never the wall clock directly).</summary>
/// <param name="Stdout">Standard output: results.</param>
/// <param name="Stderr">Standard error: diagnostics and warnings.</param>
/// <param name="Clock">The injected clock.</param>
internal sealed record CliContext(TextWriter Stdout, TextWriter Stderr, TimeProvider Clock)
{
    /// <summary>Standard input, for secrets piped in (e.g. <c>jpki rules pin --stdin</c>); empty unless the host gives one.</summary>
    public TextReader Stdin { get; init; } = TextReader.Null;
}
