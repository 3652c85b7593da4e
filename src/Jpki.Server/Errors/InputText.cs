using System.Buffers;
using System.Globalization;
using System.Text;

namespace Jpki.Server.Errors;

/// <summary>
/// The characters the server accepts in text it is given (JSON strings, form fields): well-formed UTF-16 (no lone
/// surrogate), assigned Unicode characters only (no unassigned code point, no noncharacter such as U+FFFE), no
/// U+FFFD (what a decoder puts where the bytes were not UTF-8), and no control character except tab, CR and LF.
/// </summary>
internal static class InputText
{
    /// <summary>Longest text in one JSON string of the APIs (names and addresses are far shorter).</summary>
    public const int MaxLength = 1024;

    /// <summary>Null when <paramref name="text"/> is acceptable; otherwise a machine code and an English sentence.</summary>
    public static (string Code, string Message)? Problem(ReadOnlySpan<char> text, bool allowLineBreaks)
    {
        var rest = text;
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var used) != OperationStatus.Done)
            {
                return ("invalid-text", string.Create(CultureInfo.InvariantCulture, $"The text contains a lone surrogate U+{(int)rest[0]:X4} (not a character)."));
            }

            rest = rest[used..];
            if (rune.Value == 0xFFFD)
            {
                return ("invalid-utf8", "The text contains U+FFFD: the bytes sent were not valid UTF-8.");
            }

            var category = Rune.GetUnicodeCategory(rune);
            if (category == UnicodeCategory.OtherNotAssigned)
            {
                return ("unassigned-code-point", string.Create(CultureInfo.InvariantCulture, $"The text contains U+{rune.Value:X4}, which is not an assigned Unicode character."));
            }

            if (category == UnicodeCategory.Control && !(allowLineBreaks && rune.Value is '\t' or '\r' or '\n'))
            {
                return ("control-character", string.Create(CultureInfo.InvariantCulture, $"The text contains the control character U+{rune.Value:X4}."));
            }
        }

        return null;
    }
}
