namespace Jpki.Municipality.Issuance;

/// <summary>The result of a PIN verification on the card.</summary>
/// <param name="Verified">True when the PIN matched.</param>
/// <param name="RemainingTries">Tries left after this one (0 = blocked).</param>
/// <param name="NotSet">The PIN has no value on the card yet (VERIFY answers 6985): nothing was counted.</param>
public readonly record struct PinCheck(bool Verified, int RemainingTries, bool NotSet = false)
{
    /// <summary>The PIN is blocked: no tries left and not verified.</summary>
    public bool Blocked => !Verified && !NotSet && RemainingTries == 0;

    /// <summary>A successful verification.</summary>
    public static PinCheck Ok(int maxTries) => new(true, maxTries);

    /// <summary>A failed verification.</summary>
    public static PinCheck Wrong(int remainingTries) => new(false, remainingTries);

    /// <summary>The PIN was never set.</summary>
    public static PinCheck Unset(int maxTries) => new(false, maxTries, NotSet: true);
}
