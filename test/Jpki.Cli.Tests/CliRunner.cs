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
}
