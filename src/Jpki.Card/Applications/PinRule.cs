using Jpki.Core.Pins;

namespace Jpki.Card.Applications;

/// <summary>
/// What a PIN EF (key reference) accepts and how many tries it has. The user PINs follow <see cref="PinPolicy"/>
/// (JPKI-REFERENCE §5); the 照合番号 and the date-of-birth key of the 券面 APs are fixed-length digit strings derived from
/// what is printed on the card.
/// </summary>
/// <param name="Name">For people and docs, e.g. "照合番号A"; never a value.</param>
/// <param name="MaxTries">Tries after which the reference blocks; 0 = issued blocked (text AP 0012 [R MC]).</param>
/// <param name="PinKind">The user PIN policy, or null for a digit code.</param>
/// <param name="Digits">For digit codes: the exact number of ASCII digits.</param>
internal sealed record PinRule(string Name, int MaxTries, PinKind? PinKind = null, int Digits = 0)
{
    /// <summary>A user PIN governed by <see cref="PinPolicy"/>.</summary>
    public static PinRule For(PinKind kind, string name) => new(name, PinPolicy.For(kind).MaxTries, kind);

    /// <summary>A code of exactly <paramref name="digits"/> ASCII digits.</summary>
    public static PinRule DigitCode(string name, int digits, int maxTries) => new(name, maxTries, Digits: digits);

    /// <summary>A reference every card is issued with blocked: the retry query answers 63 C0, VERIFY 69 84.</summary>
    public static PinRule IssuedBlocked(string name) => new(name, 0);

    /// <summary>The card compares bytes: a new value must already be in the rule's normal form (uppercase ASCII, digits).</summary>
    public bool Accepts(ReadOnlySpan<byte> pin)
    {
        if (pin.IsEmpty || pin.Length > 16)
        {
            return false;
        }

        if (PinKind is null)
        {
            if (Digits == 0 || pin.Length != Digits)
            {
                return false;
            }

            foreach (var b in pin)
            {
                if (b is < (byte)'0' or > (byte)'9')
                {
                    return false;
                }
            }

            return true;
        }

        Span<char> chars = stackalloc char[pin.Length];
        for (var i = 0; i < pin.Length; i++)
        {
            if (pin[i] is < 0x21 or > 0x7E)
            {
                return false;
            }

            chars[i] = (char)pin[i];
        }

        var text = new string(chars);
        chars.Clear();
        var outcome = PinPolicy.For(PinKind.Value).Validate(text);
        return outcome.IsAllowed && string.Equals(outcome.Value, text, StringComparison.Ordinal);
    }
}
