using Microsoft.Extensions.Logging;

namespace Jpki.Card.Applications;

/// <summary>Switches for behaviour reported by a single source only (JPKI-REFERENCE §0 "[R]"), and where the card logs.</summary>
public sealed record CardOptions
{
    /// <summary>
    /// Accept COMPUTE DIGITAL SIGNATURE with P1 = 01–05 (card-side hashing / PSS, JPKI-REFERENCE §4.1 [R MC]).
    /// Default false: P1 other than 00 answers 6A86.
    /// </summary>
    public bool ExtendedSignModes { get; init; }

    /// <summary>PBKDF2 iterations for PIN verifiers set by this card. Default 100 000.</summary>
    public int PinIterations { get; init; } = Virtual.PinRecord.DefaultIterations;

    /// <summary>
    /// Where the card logs wrong PINs with the tries left and lock-outs (events 2101–2106: card number, application,
    /// reference name, tries — never a PIN). Default null: nowhere.
    /// </summary>
    public ILogger? Logger { get; init; }
}
