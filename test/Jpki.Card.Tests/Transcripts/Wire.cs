namespace Jpki.Card.Tests.Transcripts;

/// <summary>What a transcribed client sends through: one APDU at a time, each tagged with the source line that sends it.</summary>
internal sealed class Wire(RecordingCard card)
{
    public RecordingCard Card { get; } = card;

    /// <summary>Sends <paramref name="apdu"/>; returns SW1, SW2 and the data, as the clients' own <c>Trans</c> helpers do.</summary>
    public (byte Sw1, byte Sw2, byte[] Data) Trans(string source, params byte[] apdu)
    {
        Card.Note = source;
        var response = Card.Transmit(apdu);
        return (response[^2], response[^1], response[..^2]);
    }

    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    public static byte[] Case3(byte cla, byte ins, byte p1, byte p2, byte[] data) => [cla, ins, p1, p2, (byte)data.Length, .. data];
}
