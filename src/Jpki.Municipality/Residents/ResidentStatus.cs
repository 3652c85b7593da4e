namespace Jpki.Municipality.Residents;

/// <summary>The state of a resident record.</summary>
public enum ResidentStatus
{
    /// <summary>Registered in this municipality.</summary>
    Active = 1,

    /// <summary>Moved out (転出); the record is kept for history.</summary>
    MovedOut = 2,

    /// <summary>Deceased; the record is kept for history.</summary>
    Deceased = 3,
}
