namespace Jpki.Card;

/// <summary>A card as a reader sees it: an answer-to-reset, APDUs in and out, and a reset.</summary>
public interface ICard
{
    /// <summary>The answer-to-reset, e.g. <c>3B E0 00 FF 81 31 FE 45 14</c> for a My Number card.</summary>
    ReadOnlyMemory<byte> Atr { get; }

    /// <summary>Processes one command APDU and returns the response (data ‖ SW1 SW2). Never throws on malformed input.</summary>
    byte[] Transmit(ReadOnlySpan<byte> commandApdu);

    /// <summary>A power cycle or warm reset: clears the volatile security state (selected AP, verified PINs).</summary>
    void Reset();
}
