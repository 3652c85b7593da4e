namespace Jpki.Cli.Tests;

/// <summary>Runs the jpki command tree in-process and captures its output.</summary>
internal static class CliRunner
{
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(TimeProvider? clock, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await JpkiCommand.InvokeAsync(args, stdout, stderr, clock);
        return (code, stdout.ToString(), stderr.ToString());
    }

    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args) => RunAsync(null, args);

    /// <summary>Runs with <paramref name="stdin"/> as standard input.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunWithInputAsync(string stdin, params string[] args)
    {
        using var input = new StringReader(stdin);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await JpkiCommand.InvokeAsync(args, stdout, stderr, null, input);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>
    /// Issues certificates onto the virtual <paramref name="card"/> with <c>jpki card dev-issue</c> from the authority in
    /// <paramref name="data"/>: authentication PIN 1234, signature password ABC123, card PIN 5678, passed through the
    /// environment variables <c>{envPrefix}_AUTH</c>, <c>_SIGN</c> and <c>_CARD</c> as a user would.
    /// </summary>
    public static async Task DevIssueAsync(string card, string data, string envPrefix)
    {
        Environment.SetEnvironmentVariable(envPrefix + "_AUTH", "1234");
        Environment.SetEnvironmentVariable(envPrefix + "_SIGN", "ABC123");
        Environment.SetEnvironmentVariable(envPrefix + "_CARD", "5678");
        var issued = await RunAsync(
            "card", "dev-issue", "--card", card, "--data", data,
            "--auth-pin-env", envPrefix + "_AUTH", "--sign-password-env", envPrefix + "_SIGN", "--card-pin-env", envPrefix + "_CARD");
        Xunit.Assert.True(issued.ExitCode == 0, issued.Stderr);
    }
}
