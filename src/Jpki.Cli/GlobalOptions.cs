using System.CommandLine;

namespace Jpki.Cli;

/// <summary>Options that every command accepts.</summary>
internal static class GlobalOptions
{
    /// <summary><c>--json</c>: machine-readable output on stdout.</summary>
    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Write the result as JSON for programs instead of text for people.",
        Recursive = true,
    };
}
