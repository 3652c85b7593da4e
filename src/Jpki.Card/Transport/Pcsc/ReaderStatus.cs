namespace Jpki.Card.Transport.Pcsc;

/// <summary>What PC/SC reports about one reader, read with <c>SCardGetStatusChange</c> (no connection to the card).</summary>
/// <param name="Reader">The reader's name.</param>
/// <param name="State">The state bits.</param>
/// <param name="EventCount">The reader's card-event counter (high 16 bits of the raw state; 0 where not kept).</param>
/// <param name="Atr">The card's answer-to-reset, empty without a card.</param>
public sealed record ReaderStatus(string Reader, ReaderStates State, int EventCount, ReadOnlyMemory<byte> Atr)
{
    /// <summary>A card that answers is in the reader.</summary>
    public bool CardPresent => State.HasFlag(ReaderStates.Present) && !State.HasFlag(ReaderStates.Mute);

    /// <summary>Another application holds the card exclusively: a shared connection would be refused.</summary>
    public bool Exclusive => State.HasFlag(ReaderStates.Exclusive);

    /// <summary>Some application is connected to the card.</summary>
    public bool InUse => State.HasFlag(ReaderStates.InUse);

    /// <summary>Builds a status from the raw <c>dwEventState</c>.</summary>
    internal static ReaderStatus FromRaw(string reader, uint eventState, ReadOnlyMemory<byte> atr) =>
        new(reader, (ReaderStates)(eventState & 0xFFFF), (int)(eventState >> 16), atr);
}
