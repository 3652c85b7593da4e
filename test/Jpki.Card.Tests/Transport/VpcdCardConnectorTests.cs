using Jpki.Card.Transport.Vpcd;

namespace Jpki.Card.Tests.Transport;

public sealed class VpcdCardConnectorTests
{
    /// <summary>Reads from a script of vpcd messages, records what the card writes back.</summary>
    private sealed class ScriptedStream(byte[] input) : Stream
    {
        private readonly MemoryStream _input = new(input);

        public MemoryStream Output { get; } = new();

        public long Consumed => _input.Position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        // One byte at a time: the card must cope with vpcd 0.8 sending length and payload separately.
        public override int Read(byte[] buffer, int offset, int count) => _input.Read(buffer, offset, Math.Min(1, count));

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Output.Write(buffer, offset, count);
    }

    [Fact]
    public async Task Serve_ControlAndApdus_FramedRepliesOnlyForAtrAndApdus()
    {
        using var card = TestCard.Create();
        var script = Convert.FromHexString(
            "000104" + // get ATR
            "000101" + // power on: no reply
            "000F" + Apdus.SelectJpki + // SELECT AP
            "000700A4020C020018" + // SELECT EF 0018
            "00040020" + "0080" + // retry query (4-byte APDU)
            "000102" + // reset: no reply, clears state
            "000700A4020C020018" + // SELECT EF without AP now fails
            "000100"); // power off
        using var stream = new ScriptedStream(script);
        await new VpcdCardConnector(card.Card).ServeAsync(stream, CancellationToken.None);
        Assert.Equal(
            "0009" + "3BE000FF8131FE4514" + "00029000" + "00029000" + "000263C3" + "00026A82",
            Convert.ToHexString(stream.Output.ToArray()));
    }

    [Fact]
    public async Task Serve_ReArmsTheAcknowledgementHookBeforeEveryLengthAndEveryApduPayload()
    {
        using var card = TestCard.Create();
        // get ATR (1-byte payload), SELECT AP (APDU), power off; then EOF.
        var script = Convert.FromHexString("000104" + "000F" + Apdus.SelectJpki + "000100");
        using var stream = new ScriptedStream(script);
        var armedAt = new List<long>();
        await new VpcdCardConnector(card.Card).ServeAsync(stream, () => armedAt.Add(stream.Consumed), CancellationToken.None);
        // Before each of the 3 lengths and the EOF read (offsets 0, 3, 20, 23), and before the APDU's payload (offset 5):
        // vpcd 0.8 sends that payload as a second segment, which must be acknowledged at once.
        Assert.Equal([0, 3, 5, 20, 23], armedAt);
    }

    [Fact]
    public async Task Serve_EofMidMessage_ReturnsAndResetsNothingElse()
    {
        using var card = TestCard.Create();
        using var stream = new ScriptedStream(Convert.FromHexString("000F00A404"));
        await new VpcdCardConnector(card.Card).ServeAsync(stream, CancellationToken.None);
        Assert.Equal(0, stream.Output.Length);
    }

    [Fact]
    public async Task Run_NoVpcdListening_KeepsRetryingUntilCancelled()
    {
        using var card = TestCard.Create(issue: false);
        using var cancel = new CancellationTokenSource();
        var connected = 0;
        var connector = new VpcdCardConnector(card.Card, "127.0.0.1", 1) { ConnectionChanged = c => connected += c ? 1 : 0 };
        var run = connector.RunAsync(cancel.Token);
        Assert.False(run.IsCompleted);
        await cancel.CancelAsync();
        await run;
        Assert.Equal(0, connected);
    }
}
