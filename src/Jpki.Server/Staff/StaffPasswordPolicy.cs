namespace Jpki.Server.Staff;

/// <summary>
/// What a staff password must be (NIST SP 800-63B §5.1.1.2 in spirit: length and a check against easily guessed
/// values, no composition rules): 10–128 characters, and once the account's own words (login id, parts of the display
/// name) and the commonest password words (password, admin, qwerty, jpki…) are taken out, at least
/// <see cref="MinRemainder"/> characters with <see cref="MinDistinct"/> different ones that are not a run such as
/// <c>123456</c>, <c>abcdef</c> or a keyboard row, nor one unit repeated. <c>password1234</c>, <c>aaaaaaaaaaaa</c>, <c>weak1weak1weak1</c>, <c>admin12345678</c> and
/// <c>qwertyuiop12</c> are refused; a generated one-time password or a phrase such as <c>tanaka-new-pass-2026</c> passes.
/// </summary>
internal static class StaffPasswordPolicy
{
    public const int MinLength = StaffDirectory.MinPasswordLength;
    public const int MaxLength = 128;
    public const int MinRemainder = 6;
    public const int MinDistinct = 5;

    private static readonly string[] CommonWords =
    [
        "password", "passwd", "passw0rd", "p@ssw0rd", "pass", "admin", "administrator", "root", "user", "guest", "login",
        "welcome", "letmein", "qwerty", "azerty", "iloveyou", "monkey", "dragon", "master", "secret", "changeme", "default",
        "jpki", "openjpki", "mynumber", "counter", "staff", "clerk", "supervisor", "kouteki", "madoguchi",
    ];

    private static readonly string[] Runs =
    [
        "0123456789", "9876543210", "abcdefghijklmnopqrstuvwxyz", "zyxwvutsrqponmlkjihgfedcba",
        "qwertyuiop", "poiuytrewq", "asdfghjkl", "lkjhgfdsa", "zxcvbnm", "mnbvcxz", "1qaz2wsx3edc", "qazwsxedc",
    ];

    /// <summary>True when <paramref name="password"/> is acceptable for the account <paramref name="id"/> named <paramref name="displayName"/>.</summary>
    public static bool IsStrong(string? password, string? id, string? displayName)
    {
        if (password is not { Length: >= MinLength and <= MaxLength })
        {
            return false;
        }

        var remainder = password.ToLowerInvariant();
        var words = CommonWords.AsEnumerable();
        if (!string.IsNullOrEmpty(id))
        {
            words = words.Append(id.ToLowerInvariant());
        }

        if (!string.IsNullOrWhiteSpace(displayName))
        {
            words = words.Concat(displayName.ToLowerInvariant().Split([' ', '\u3000'], StringSplitOptions.RemoveEmptyEntries).Where(w => w.Length >= 2));
        }

        foreach (var word in words.OrderByDescending(w => w.Length))
        {
            remainder = remainder.Replace(word, string.Empty, StringComparison.Ordinal);
        }

        // A run of 4 or more from a sequence counts as one character.
        foreach (var run in Runs)
        {
            for (var length = run.Length; length >= 4; length--)
            {
                for (var start = 0; start + length <= run.Length; start++)
                {
                    remainder = remainder.Replace(run.Substring(start, length), "\u0001", StringComparison.Ordinal);
                }
            }
        }

        // A repeated unit (weak1weak1weak1, abcabcabcabc) counts once.
        for (var unit = 1; unit <= remainder.Length / 2; unit++)
        {
            if (remainder.Length % unit == 0 && string.Concat(Enumerable.Repeat(remainder[..unit], remainder.Length / unit)) == remainder)
            {
                remainder = remainder[..unit];
                break;
            }
        }

        return remainder.Length >= MinRemainder && remainder.Distinct().Count() >= MinDistinct;
    }
}
