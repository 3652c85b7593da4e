using Jpki.Core.Rules;

namespace Jpki.Core.Pins;

/// <summary>
/// The format of the next-generation card's PUK (JPKI-REFERENCE §14: "an optional PUK" [R]; its length and tries are
/// ours [I], docs/card.md): exactly <see cref="Digits"/> ASCII digits, blocked after <see cref="MaxTries"/> wrong ones.
/// <see cref="CheckFormat"/> never echoes the candidate.
/// </summary>
public static class PukPolicy
{
    /// <summary>The PUK's length in digits.</summary>
    public const int Digits = 8;

    /// <summary>Wrong PUKs in a row after which the PUK blocks.</summary>
    public const int MaxTries = 10;

    /// <summary>Refusal code of a PUK that is not <see cref="Digits"/> digits.</summary>
    public const string BadFormatCode = "puk-format";

    /// <summary>
    /// Checks <paramref name="candidate"/> (held in a buffer the caller zeroes) before anything is sent to the card, so
    /// that a mistyped PUK spends no try. Refused <see cref="BadFormatCode"/>.
    /// </summary>
    public static RuleOutcome<bool> CheckFormat(ReadOnlySpan<char> candidate)
    {
        if (candidate.Length != Digits)
        {
            return RuleOutcome<bool>.Refuse(BadFormatCode, $"The PUK has {candidate.Length} characters; it is exactly {Digits} digits (from the letter that came with the card).");
        }

        foreach (var c in candidate)
        {
            if (c is < '0' or > '9')
            {
                return RuleOutcome<bool>.Refuse(BadFormatCode, $"The PUK may contain only the digits 0–9; it is exactly {Digits} digits.");
            }
        }

        return RuleOutcome<bool>.Allow(true);
    }
}
