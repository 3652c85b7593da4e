namespace Jpki.Card.Transport.Pcsc;

/// <summary>One <c>SCARD_READERSTATE</c> as values: what <see cref="ReaderStateLayout"/> writes and reads.</summary>
/// <param name="Reader">Address of the reader name (a NUL-terminated string in the platform's encoding).</param>
/// <param name="UserData">Opaque caller data (unused: 0).</param>
/// <param name="CurrentState">The state the caller believes the reader is in (<see cref="ReaderStates"/>; 0 = unaware).</param>
/// <param name="EventState">The state PC/SC reports; the high 16 bits count card events (pcsc-lite, Windows).</param>
/// <param name="Atr">The card's answer-to-reset when one is present.</param>
internal readonly record struct ReaderStateEntry(nint Reader, nint UserData, uint CurrentState, uint EventState, ReadOnlyMemory<byte> Atr);
