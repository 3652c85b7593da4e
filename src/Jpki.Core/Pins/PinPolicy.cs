using Jpki.Core.Rules;

namespace Jpki.Core.Pins;

/// <summary>
/// The format and retry rules of one kind of PIN (JPKI-REFERENCE §5). <see cref="Validate"/> never echoes the
/// candidate: refusals say which rule was broken, not what was typed.
/// </summary>
public sealed class PinPolicy
{
    private static readonly PinPolicy Signature = new(PinKind.SignaturePassword, 6, 16, 5, lettersAllowed: true);
    private static readonly PinPolicy Authentication = new(PinKind.AuthenticationPin, 4, 4, 3, lettersAllowed: false);
    private static readonly PinPolicy Card = new(PinKind.CardPin, 4, 4, 3, lettersAllowed: false);

    private readonly bool _lettersAllowed;

    private PinPolicy(PinKind kind, int minLength, int maxLength, int maxTries, bool lettersAllowed)
    {
        Kind = kind;
        MinLength = minLength;
        MaxLength = maxLength;
        MaxTries = maxTries;
        _lettersAllowed = lettersAllowed;
    }

    /// <summary>Which PIN this policy governs.</summary>
    public PinKind Kind { get; }

    /// <summary>Fewest characters.</summary>
    public int MinLength { get; }

    /// <summary>Most characters.</summary>
    public int MaxLength { get; }

    /// <summary>Consecutive wrong entries before the PIN blocks (the card's retry counter maximum).</summary>
    public int MaxTries { get; }

    /// <summary>A one-line description of the rule for people, e.g. shown next to a PIN field.</summary>
    public string Description => Kind == PinKind.SignaturePassword
        ? $"{MinLength}–{MaxLength} characters of A–Z and 0–9 with at least one letter and one digit (lowercase is uppercased); {MaxTries} tries"
        : $"exactly {MinLength} digits; {MaxTries} tries";

    /// <summary>The policy of <paramref name="kind"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Unknown kind.</exception>
    public static PinPolicy For(PinKind kind) => kind switch
    {
        PinKind.SignaturePassword => Signature,
        PinKind.AuthenticationPin => Authentication,
        PinKind.CardPin => Card,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown PIN kind."),
    };

    /// <summary>
    /// Checks <paramref name="candidate"/> and returns it normalised as the card stores it (the signature password
    /// uppercased, JPKI-REFERENCE §5 "Lowercase handling"). Refusal codes: <c>pin-empty</c>, <c>pin-too-short</c>,
    /// <c>pin-too-long</c>, <c>pin-bad-character</c>, <c>pin-needs-letter</c>, <c>pin-needs-digit</c>.
    /// </summary>
    public RuleOutcome<string> Validate(string? candidate)
    {
        var format = CheckFormat(candidate);
        if (!format.IsAllowed)
        {
            return RuleOutcome<string>.Refuse(format.Code!, format.Message!);
        }

        return RuleOutcome<string>.Allow(_lettersAllowed ? candidate!.ToUpperInvariant() : candidate!);
    }

    /// <summary>
    /// The same checks as <see cref="Validate"/> on a PIN held in a buffer the caller zeroes (no string is made of it):
    /// e.g. a PIN typed at a prompt before it is sent to the card, so that a malformed one is refused without spending
    /// a try. Allowed outcomes carry true.
    /// </summary>
    public RuleOutcome<bool> CheckFormat(ReadOnlySpan<char> candidate)
    {
        if (candidate.IsEmpty)
        {
            return RuleOutcome<bool>.Refuse("pin-empty", $"The {Name} is empty; it must be {Description}.");
        }

        if (candidate.Length < MinLength)
        {
            return RuleOutcome<bool>.Refuse("pin-too-short", $"The {Name} has {candidate.Length} characters; it needs at least {MinLength}.");
        }

        if (candidate.Length > MaxLength)
        {
            return RuleOutcome<bool>.Refuse("pin-too-long", $"The {Name} has {candidate.Length} characters; it may have at most {MaxLength}.");
        }

        var letters = 0;
        var digits = 0;
        foreach (var raw in candidate)
        {
            var c = _lettersAllowed ? char.ToUpperInvariant(raw) : raw;
            if (c is >= '0' and <= '9')
            {
                digits++;
            }
            else if (_lettersAllowed && c is >= 'A' and <= 'Z')
            {
                letters++;
            }
            else
            {
                var allowed = _lettersAllowed ? "A–Z and 0–9" : "the digits 0–9";
                return RuleOutcome<bool>.Refuse("pin-bad-character", $"The {Name} may contain only {allowed}.");
            }
        }

        if (_lettersAllowed && letters == 0)
        {
            return RuleOutcome<bool>.Refuse("pin-needs-letter", $"The {Name} needs at least one letter A–Z.");
        }

        if (_lettersAllowed && digits == 0)
        {
            return RuleOutcome<bool>.Refuse("pin-needs-digit", $"The {Name} needs at least one digit 0–9.");
        }

        return RuleOutcome<bool>.Allow(true);
    }

    private string Name => Kind switch
    {
        PinKind.SignaturePassword => "signature password",
        PinKind.AuthenticationPin => "authentication PIN",
        _ => "card PIN",
    };
}
