namespace Jpki.Load;

/// <summary>Where the tool writes and which clock it reads (answers' freshness, prepared certificates' validity).</summary>
internal sealed record LoadContext(TextWriter Stdout, TextWriter Stderr, TimeProvider Clock);
