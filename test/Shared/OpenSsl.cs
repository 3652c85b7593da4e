using System.Diagnostics;

namespace Jpki.Testing;

/// <summary>Runs the openssl command line tool: the independent implementation our certificates, CRLs, OCSP answers and CMS are checked against.</summary>
public static class OpenSsl
{
    public static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        var info = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("openssl did not start");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("openssl is not installed: run `apt-get install -y openssl`.", ex);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            return (process.ExitCode, stdout.Result, stderr.Result);
        }
    }

    public static string Pem(string label, byte[] der)
        => new(System.Security.Cryptography.PemEncoding.Write(label, der));
}
