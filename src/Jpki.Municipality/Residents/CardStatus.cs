namespace Jpki.Municipality.Residents;

/// <summary>The state of a registered card.</summary>
public enum CardStatus
{
    /// <summary>In use.</summary>
    Active = 1,

    /// <summary>Reported lost (its certificates are revoked with keyCompromise).</summary>
    Lost = 2,

    /// <summary>Returned or invalidated.</summary>
    Returned = 3,
}
