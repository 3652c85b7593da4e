namespace Jpki.Card.Tests.Transcripts;

/// <summary>
/// Wraps a card and records every exchange for a transcript. Answers whose data differs from card to card are recorded
/// as length only: certificate and signed-record EFs, signatures, INTERNAL AUTHENTICATE, GET CHALLENGE and the issuer channel.
/// </summary>
internal sealed class RecordingCard : ICard
{
    private static readonly HashSet<string> VariableFiles =
    [
        "D392F000260100000001/0001", "D392F000260100000001/0002", "D392F000260100000001/000A", "D392F000260100000001/000B",
        "D3921000310001010408/0003", "D3921000310001010408/0004", "D3921000310001010408/0005", "D3921000310001010408/0007",
        "D3921000310001010402/0001", "D3921000310001010402/0002", "D3921000310001010402/0004", "D3921000310001010402/0005",
    ];

    private readonly ICard _inner;
    private string _application = "";
    private string _file = "";

    public RecordingCard(ICard inner) => _inner = inner;

    public List<Transcript.Exchange> Exchanges { get; } = [];

    /// <summary>A note for the next recorded command (the client function and source line that sends it).</summary>
    public string? Note { get; set; }

    public ReadOnlyMemory<byte> Atr => _inner.Atr;

    public byte[] Transmit(ReadOnlySpan<byte> commandApdu)
    {
        var command = commandApdu.ToArray();
        var response = _inner.Transmit(command);
        var ok = response[^2] == 0x90 && response[^1] == 0x00;
        if (ok && command.Length > 4 && command[1] == 0xA4 && command[2] == 0x04)
        {
            _application = Convert.ToHexString(command.AsSpan(5, command[4]));
            _file = "";
        }
        else if (ok && command.Length >= 7 && command[1] == 0xA4 && command[2] == 0x02)
        {
            _file = Convert.ToHexString(command.AsSpan(5, 2));
        }
        else if (command[1] is 0xB0 or 0xB2 && ((command[1] == 0xB0 && (command[2] & 0x80) != 0) || (command[1] == 0xB2 && (command[3] >> 3) != 0)))
        {
            _file = (command[1] == 0xB0 ? command[2] & 0x1F : command[3] >> 3).ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
        }

        var variable = command[0] == 0xE4
            || (command[0] == 0x80 && command[1] == 0x2A)
            || command[1] is 0x84 or 0x88
            || (command[1] is 0xB0 or 0xB2 && VariableFiles.Contains(_application + "/" + _file));
        var data = response[..^2];
        Exchanges.Add(new Transcript.Exchange(command, new Transcript.Answer(variable ? null : data, data.Length, response[^2..]), Note, 0));
        Note = null;
        return response;
    }

    public void Reset() => _inner.Reset();
}
