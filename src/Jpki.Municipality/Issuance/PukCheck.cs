namespace Jpki.Municipality.Issuance;

/// <summary>What the card answered to an unblock with its PUK (RESET RETRY COUNTER, docs/card.md).</summary>
/// <param name="Outcome">Unblocked, or why not.</param>
/// <param name="PukTriesLeft">The PUK's tries left after this one (its maximum after a success; 0 when blocked).</param>
public readonly record struct PukCheck(PukOutcome Outcome, int PukTriesLeft)
{
    /// <summary>The card has no PUK (today's RSA card answers RESET RETRY COUNTER with 6D00).</summary>
    public static PukCheck NoPuk { get; } = new(PukOutcome.CardHasNoPuk, 0);
}
