namespace Jpki.Card.Client;

/// <summary>The verdict of a VERIFY.</summary>
/// <param name="Verified">True when the card accepted the PIN.</param>
/// <param name="TriesLeft">Tries left after this attempt (the maximum after success; 0 when blocked).</param>
/// <param name="Blocked">True when the PIN is blocked (this attempt exhausted it, or it already was).</param>
public readonly record struct PinVerification(bool Verified, int TriesLeft, bool Blocked);
