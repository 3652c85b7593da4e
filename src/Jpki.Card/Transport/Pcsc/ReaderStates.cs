namespace Jpki.Card.Transport.Pcsc;

/// <summary>
/// The <c>SCARD_STATE_*</c> bits of a reader's state, as <c>SCardGetStatusChange</c> reports them (the same values in
/// pcsc-lite, winscard and PCSC.framework; the high 16 bits of the raw value count card events and are not flags).
/// </summary>
[Flags]
public enum ReaderStates : uint
{
    /// <summary>SCARD_STATE_UNAWARE: the caller knows nothing yet.</summary>
    Unaware = 0,

    /// <summary>SCARD_STATE_IGNORE.</summary>
    Ignore = 0x0001,

    /// <summary>SCARD_STATE_CHANGED: differs from the state the caller passed.</summary>
    Changed = 0x0002,

    /// <summary>SCARD_STATE_UNKNOWN: no such reader.</summary>
    Unknown = 0x0004,

    /// <summary>SCARD_STATE_UNAVAILABLE: the reader's state cannot be known.</summary>
    Unavailable = 0x0008,

    /// <summary>SCARD_STATE_EMPTY: no card.</summary>
    Empty = 0x0010,

    /// <summary>SCARD_STATE_PRESENT: a card is in the reader.</summary>
    Present = 0x0020,

    /// <summary>SCARD_STATE_ATRMATCH.</summary>
    AtrMatch = 0x0040,

    /// <summary>SCARD_STATE_EXCLUSIVE: another application holds the card exclusively.</summary>
    Exclusive = 0x0080,

    /// <summary>SCARD_STATE_INUSE: the card is in use (shared) by some application.</summary>
    InUse = 0x0100,

    /// <summary>SCARD_STATE_MUTE: the card does not answer (no ATR).</summary>
    Mute = 0x0200,

    /// <summary>SCARD_STATE_UNPOWERED (pcsc-lite, Windows).</summary>
    Unpowered = 0x0400,
}
