using System.Diagnostics;

namespace Jpki.Card.Tests.Interop;

/// <summary>Runs an external tool to completion with a bounded wait; tells which Debian package provides it when missing.</summary>
internal static class ExternalTool
{
    public static readonly (string Path, string Package)[] Required =
    [
        ("/usr/sbin/pcscd", "pcscd"),
        ("/usr/lib/pcsc/drivers/serial/libifdvpcd.so", "vsmartcard-vpcd"),
        ("/usr/bin/pkcs15-tool", "opensc"),
        ("/usr/bin/pkcs11-tool", "opensc"),
        ("/usr/bin/openssl", "openssl"),
        ("/usr/bin/scriptor", "pcsc-tools"),
    ];

    public static void RequireAll()
    {
        foreach (var (path, package) in Required)
        {
            if (!File.Exists(path))
            {
                Assert.Fail($"{path} is missing: install the Debian package '{package}' (apt-get install -y {package}); ./test.sh does this on CI.");
            }
        }

        if (FindOpenScPkcs11() is null)
        {
            Assert.Fail("opensc-pkcs11.so is missing: install the Debian package 'opensc'.");
        }
    }

    public static string? FindOpenScPkcs11()
    {
        foreach (var candidate in new[] { "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so", "/usr/lib/aarch64-linux-gnu/opensc-pkcs11.so", "/usr/lib/opensc-pkcs11.so" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    public static (int ExitCode, string Stdout, string Stderr) Run(string file, IEnumerable<string> arguments, string? stdin = null, int timeoutSeconds = 60)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{Path.GetFileName(file)} did not finish within {timeoutSeconds} s.");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
