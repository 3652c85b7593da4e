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
        var (exit, output, error) = ExternalTool.RunAsync("iconv", "libc-bin", ["-f", "UTF-8", "-t", encoding], Encoding.UTF8.GetBytes(text)).GetAwaiter().GetResult();
        Assert.True(exit == 0, $"iconv -t {encoding} refused the text: {error}");
        return output;
    }
}
