namespace Jpki.Load;

/// <summary>Exit codes: 0 zero errors, 1 errors (or nothing succeeded), 2 bad usage (including a non-loopback target).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Errors = 1;
    public const int BadUsage = 2;
}
