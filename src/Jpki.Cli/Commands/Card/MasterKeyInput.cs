using System.CommandLine;
using System.Security.Cryptography;
using System.Text;

namespace Jpki.Cli.Commands.Card;

/// <summary>
/// <c>--master-key-file</c>: the authority's card-management master key (64+ hex characters, or 32+ raw bytes). Without
/// it, a fixed, public DEVELOPMENT master key is used and a warning printed.
/// </summary>
internal static class MasterKeyInput
{
    public static Option<FileInfo> Create() => new("--master-key-file")
    {
        Description = "File with the authority's card-management master key (hex, or raw bytes). Default: the public development key (insecure).",
    };

    public static (byte[]? Key, string? Error) Read(ParseResult parse, Option<FileInfo> option, CliContext context)
    {
        if (parse.GetValue(option) is not { } file)
        {
            context.Stderr.WriteLine("warning: no --master-key-file: using the public DEVELOPMENT master key; such cards are for testing only.");
            return (SHA256.HashData(Encoding.ASCII.GetBytes("OpenJpki development card-management master key (public, insecure)")), null);
        }

        try
        {
            var bytes = File.ReadAllBytes(file.FullName);
            var text = Encoding.ASCII.GetString(bytes).Trim();
            if (text.Length >= 64 && text.All(char.IsAsciiHexDigit))
            {
                return (Convert.FromHexString(text), null);
            }

            return bytes.Length >= 32 ? (bytes, null) : (null, $"{file.Name} holds fewer than 32 key bytes.");
        }
        catch (IOException e)
        {
            return (null, $"Cannot read {file.Name}: {e.Message}");
        }
    }
}
