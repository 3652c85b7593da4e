using System.Diagnostics;
using Xunit;

namespace Jpki.Testing;

/// <summary>
/// Runs a program the tests take as judge or generator (python3, iconv, sqlite3): its exit code, stdout bytes and
/// stderr; the input is written while the output is read. A missing program fails the test with the Debian package to install.
/// </summary>
public static class ExternalTool
{
    public static async Task<(int Exit, byte[] Output, string Error)> RunAsync(
        string program, string package, IEnumerable<string> arguments, byte[]? input = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Fail($"{program} is needed: apt-get install {package} ({e.Message})");
            throw;
        }

        using (process)
        {
            var stdout = new MemoryStream();
            var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
            var stderr = process.StandardError.ReadToEndAsync();
            if (input is not null)
            {
                await process.StandardInput.BaseStream.WriteAsync(input);
            }

            process.StandardInput.Close();
            await copy;
            var error = await stderr;
            await process.WaitForExitAsync();
            return (process.ExitCode, stdout.ToArray(), error);
        }
    }
}
