using System.Diagnostics;
using Jpki.Authority.Tests.Support;

namespace Jpki.Authority.Tests.Keys;

/// <summary>A fresh SoftHSM2 token in a temporary folder (SOFTHSM2_CONF points at it for this process).</summary>
public sealed class SoftHsmToken : IDisposable
{
    public const string Module = "/usr/lib/softhsm/libsofthsm2.so";
    public const string Label = "jpki-test";
    public const string UserPin = "5678";

    private readonly TempDir _dir = new();

    public SoftHsmToken()
    {
        if (!File.Exists(Module))
        {
            throw new InvalidOperationException($"SoftHSM2 is not installed ({Module} missing): run `apt-get install -y softhsm2`.");
        }

        Directory.CreateDirectory(_dir.File("tokens"));
        var conf = _dir.File("softhsm2.conf");
        File.WriteAllText(conf, $"directories.tokendir = {_dir.File("tokens")}\nobjectstore.backend = file\nlog.level = ERROR\n");
        // SoftHSM reads getenv(), which Environment.SetEnvironmentVariable does not change on Unix.
        Environment.SetEnvironmentVariable("SOFTHSM2_CONF", conf);
        _ = NativeMethods.setenv("SOFTHSM2_CONF", conf, 1);
        var info = new ProcessStartInfo("softhsm2-util") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "--init-token", "--free", "--label", Label, "--so-pin", "1234", "--pin", UserPin })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["SOFTHSM2_CONF"] = conf;
        using var process = Process.Start(info) ?? throw new InvalidOperationException("softhsm2-util did not start: apt-get install -y softhsm2");
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("softhsm2-util --init-token failed: " + output);
        }
    }

    public void Dispose() => _dir.Dispose();

    private static class NativeMethods
    {
#pragma warning disable SYSLIB1054, IDE1006 // a plain DllImport keeps the test project free of unsafe code; the C name
        [System.Runtime.InteropServices.DllImport("libc")]
        internal static extern int setenv(
            [System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string name,
            [System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string value,
            int overwrite);
#pragma warning restore SYSLIB1054, IDE1006
    }
}
