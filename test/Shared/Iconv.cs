using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Xunit;

namespace Jpki.Testing;

/// <summary>
/// glibc's iconv (Debian libc-bin, on every machine): the encoder that is not ours, for the bytes a municipal system
/// writes (CP932) and for the check that a text is JIS X 0208/0212 (EUC-JP-MS).
/// </summary>
public static class Iconv
{
    /// <summary><paramref name="text"/> encoded by <c>iconv -f UTF-8 -t <paramref name="encoding"/></c>; fails the test when iconv refuses.</summary>
    public static byte[] Encode(string text, string encoding)
    {
        var start = new ProcessStartInfo("iconv", ["-f", "UTF-8", "-t", encoding])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("iconv did not start");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException("iconv is not installed (Debian package libc-bin).", e);
        }

        using (process)
        {
            // Written while the output is read: a register of megabytes would otherwise fill both pipes and hang.
            var input = Task.Run(() =>
            {
                process.StandardInput.BaseStream.Write(Encoding.UTF8.GetBytes(text));
                process.StandardInput.Close();
            });
            var error = process.StandardError.ReadToEndAsync();
            using var output = new MemoryStream();
            process.StandardOutput.BaseStream.CopyTo(output);
            input.GetAwaiter().GetResult();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"iconv -t {encoding} refused the text: {error.GetAwaiter().GetResult()}");
            return output.ToArray();
        }
    }
}
