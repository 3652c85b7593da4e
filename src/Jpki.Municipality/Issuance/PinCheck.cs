namespace Jpki.Municipality.Issuance;

/// <summary>The result of a PIN verification on the card.</summary>
/// <param name="Verified">True when the PIN matched.</param>
/// <param name="RemainingTries">Tries left after this one (0 = blocked).</param>
public readonly record struct PinCheck(bool Verified, int RemainingTries)
{
    /// <summary>The PIN is blocked: no tries left and not verified.</summary>
    public bool Blocked => !Verified && RemainingTries == 0;

    /// <summary>A successful verification.</summary>
    public static PinCheck Ok(int maxTries) => new(true, maxTries);

    /// <summary>A failed verification.</summary>
    public static PinCheck Wrong(int remainingTries) => new(false, remainingTries);
}
