using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;

namespace Jpki.Municipality.Residents;

/// <summary>
/// Reads a resident CSV file (<see cref="ResidentCsv"/>) from a stream, line by line, without holding the file: memory
/// stays at one 64 KB buffer whatever the size (a register of 100,000 residents is ≈ 10 MB). Lines longer than
/// <see cref="ResidentCsv.MaxLineBytes"/> are reported and skipped without being buffered. The encoding is detected
/// from the first 64 KB or given (<see cref="CsvTextEncoding"/>); every line is decoded strictly, so a byte sequence
/// that is not valid in the encoding is an error on its line, never a silent U+FFFD.
/// </summary>
public sealed class ResidentCsvReader
{
    private const int BufferSize = 64 * 1024;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly Lazy<System.Text.Encoding> StrictCp932 = new(() =>
    {
        System.Text.Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return System.Text.Encoding.GetEncoding(932, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    });

    private readonly Stream _stream;
    private readonly DateOnly _today;
    private readonly CsvTextEncoding _requested;

    /// <summary>Creates a reader over <paramref name="stream"/> (not disposed by the reader).</summary>
    /// <param name="stream">The file.</param>
    /// <param name="today">Today in Japan: dates of birth after it are rejected.</param>
    /// <param name="encoding">The encoding, or <see cref="CsvTextEncoding.Auto"/> to detect it.</param>
    public ResidentCsvReader(Stream stream, DateOnly today, CsvTextEncoding encoding = CsvTextEncoding.Auto)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _today = today;
        _requested = encoding;
    }

    /// <summary>The encoding the file is read with (known after the first row): <see cref="CsvTextEncoding.Utf8"/> or <see cref="CsvTextEncoding.ShiftJis"/>.</summary>
    public CsvTextEncoding Encoding { get; private set; }

    /// <summary>Bytes read from the stream so far (for progress).</summary>
    public long BytesRead { get; private set; }

    /// <summary>Lines read so far, the header included (for progress).</summary>
    public int LinesRead { get; private set; }

    /// <summary>
    /// The data lines, good and bad, in file order; then, for a file without a header line, one <c>empty-file</c> error.
    /// A wrong header ends the file (one <c>bad-header</c> error).
    /// </summary>
    public async IAsyncEnumerable<ResidentCsvRow> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferSize];
        var end = await FillAsync(buffer, 0, cancellationToken).ConfigureAwait(false);
        var eof = end < buffer.Length;
        Encoding = Detect(_requested, buffer.AsSpan(0, end), eof);
        var parser = new ResidentCsv.LineParser(_today, EncodingOf(Encoding));
        var start = Encoding == CsvTextEncoding.Utf8 && buffer.AsSpan(0, end).StartsWith("\uFEFF"u8) ? 3 : 0;
        var skipping = false;
        while (!parser.Stop)
        {
            ResidentCsvRow? row = null;
            var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                if (!skipping)
                {
                    row = newline > ResidentCsv.MaxLineBytes ? parser.TooLong() : parser.Line(buffer.AsSpan(start, newline), isLast: eof && start + newline + 1 == end);
                }

                skipping = false;
                start += newline + 1;
            }
            else
            {
                if (end - start > ResidentCsv.MaxLineBytes)
                {
                    // Longer than any good line: report it once and drop its bytes up to the next LF.
                    if (!skipping)
                    {
                        row = parser.TooLong();
                        skipping = true;
                    }

                    start = end;
                }

                if (eof)
                {
                    if (start < end && !skipping)
                    {
                        row = parser.Line(buffer.AsSpan(start, end - start), isLast: true);
                    }

                    LinesRead = parser.LineNumber;
                    if (row is not null)
                    {
                        yield return row;
                    }

                    break;
                }

                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
                var filled = await FillAsync(buffer, end, cancellationToken).ConfigureAwait(false);
                eof = filled < buffer.Length;
                end = filled;
            }

            LinesRead = parser.LineNumber;
            if (row is not null)
            {
                yield return row;
            }
        }

        if (parser.End() is { } empty)
        {
            yield return new ResidentCsvRow(empty.Line, null, empty);
        }
    }

    /// <summary>The strict decoder of <paramref name="encoding"/> (UTF-8 or CP932).</summary>
    internal static System.Text.Encoding EncodingOf(CsvTextEncoding encoding) => encoding == CsvTextEncoding.ShiftJis ? StrictCp932.Value : StrictUtf8;

    /// <summary>The encoding to read <paramref name="head"/> (the start of a file) with.</summary>
    internal static System.Text.Encoding Resolve(CsvTextEncoding requested, ReadOnlySpan<byte> head) =>
        EncodingOf(Detect(requested, head.Length > BufferSize ? head[..BufferSize] : head, head.Length <= BufferSize));

    private static CsvTextEncoding Detect(CsvTextEncoding requested, ReadOnlySpan<byte> head, bool whole)
    {
        if (requested != CsvTextEncoding.Auto)
        {
            return requested;
        }

        if (head.StartsWith("\uFEFF"u8))
        {
            return CsvTextEncoding.Utf8;
        }

        if (!whole)
        {
            // Judge complete lines only: the buffer may end inside a multi-byte character.
            var lastNewline = head.LastIndexOf((byte)'\n');
            head = lastNewline >= 0 ? head[..(lastNewline + 1)] : head[..Math.Max(0, head.Length - 3)];
        }

        if (Utf8.IsValid(head))
        {
            return CsvTextEncoding.Utf8;
        }

        // Not all valid: a UTF-8 file with a damaged line (reported on its line), or Shift_JIS? In Shift_JIS text most
        // bytes above 0x7F break UTF-8 (a kanji's lead byte 0x81–0x9F is a lone continuation byte) and a valid sequence
        // forms only by chance; in UTF-8 with damage most sequences are valid. (Trying Shift_JIS first would be wrong:
        // UTF-8 Japanese often decodes as Shift_JIS without error, into the wrong characters.)
        var valid = 0;
        var invalid = 0;
        var inBadRun = false;
        while (!head.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(head, out _, out var consumed);
            if (status == OperationStatus.Done)
            {
                valid += consumed > 1 ? 1 : 0;
                inBadRun = false;
            }
            else if (status == OperationStatus.InvalidData)
            {
                // One damaged character is a run of bad bytes: count it once.
                invalid += inBadRun ? 0 : 1;
                inBadRun = true;
            }

            head = head[Math.Max(1, consumed)..];
        }

        return valid > 2 * invalid ? CsvTextEncoding.Utf8 : CsvTextEncoding.ShiftJis;
    }

    /// <summary>Reads until the buffer is full or the stream ends; returns the new end.</summary>
    private async Task<int> FillAsync(byte[] buffer, int end, CancellationToken cancellationToken)
    {
        while (end < buffer.Length)
        {
            var read = await _stream.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            end += read;
            BytesRead += read;
        }

        return end;
    }
}
