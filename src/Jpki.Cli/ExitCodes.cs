namespace Jpki.Cli;

/// <summary>The exit codes of every <c>jpki</c> command.</summary>
internal static class ExitCodes
{
    /// <summary>Success, or a positive verdict.</summary>
    public const int Ok = 0;

    /// <summary>A negative verdict: refused, invalid, revoked, not allowed.</summary>
    public const int Negative = 1;

    /// <summary>Bad usage or bad input: unknown option, unparsable date, unreadable file.</summary>
    public const int BadInput = 2;
}
