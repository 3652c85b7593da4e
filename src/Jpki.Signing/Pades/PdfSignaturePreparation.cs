using System.Security.Cryptography;
using Jpki.Verification.Pades;

namespace Jpki.Signing.Pades;

/// <summary>
/// A PDF with a signature field prepared for signing: the original bytes and the incremental update (with a
/// <c>/Contents</c> placeholder) are written to a temporary file beside the output, and the SHA-256 of the
/// <c>/ByteRange</c> — the whole file except <c>/Contents</c> — is known. <see cref="Complete"/> writes the CMS (or
/// time-stamp token) into the placeholder and moves the file to the output; disposing without completing deletes it.
/// The input is streamed (copied and hashed in 80 KiB blocks), never loaded whole.
/// </summary>
public sealed class PdfSignaturePreparation : IDisposable
{
    private readonly string _temporary;
    private readonly string _output;
    private readonly long _contentsStart;
    private readonly int _contentsBytes;
    private bool _completed;

    private PdfSignaturePreparation(string temporary, string output, long contentsStart, int contentsBytes, long[] byteRange, byte[] digest, string fieldName)
    {
        _temporary = temporary;
        _output = output;
        _contentsStart = contentsStart;
        _contentsBytes = contentsBytes;
        ByteRange = byteRange;
        Sha256 = digest;
        FieldName = fieldName;
    }

    /// <summary>The SHA-256 of the signed byte ranges (what the CMS message-digest or the time-stamp imprint must be).</summary>
    public byte[] Sha256 { get; }

    /// <summary>
    /// The hash of the signed byte ranges with <paramref name="algorithm"/>: <see cref="Sha256"/> for SHA-256, otherwise
    /// the ranges are read again from the prepared file (in blocks) — SHA-384 for a next-generation card's P-384 key.
    /// </summary>
    /// <exception cref="InvalidOperationException">Already completed.</exception>
    public byte[] Hash(HashAlgorithmName algorithm)
    {
        if (_completed)
        {
            throw new InvalidOperationException("The signature was already written.");
        }

        if (algorithm == HashAlgorithmName.SHA256)
        {
            return (byte[])Sha256.Clone();
        }

        using var hash = IncrementalHash.CreateHash(algorithm);
        using var file = new FileStream(_temporary, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.SequentialScan);
        var buffer = new byte[81920];
        for (var i = 0; i < 4; i += 2)
        {
            file.Position = ByteRange[i];
            var left = ByteRange[i + 1];
            while (left > 0)
            {
                var read = file.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                if (read == 0)
                {
                    throw new IOException("The prepared file is shorter than its /ByteRange.");
                }

                hash.AppendData(buffer, 0, read);
                left -= read;
            }
        }

        return hash.GetHashAndReset();
    }

    /// <summary>The <c>/ByteRange</c>: <c>[0, b, c, d]</c>.</summary>
    public IReadOnlyList<long> ByteRange { get; }

    /// <summary>The name of the new signature field.</summary>
    public string FieldName { get; }

    /// <summary>The room for <c>/Contents</c>, in bytes.</summary>
    public int ContentsCapacity => _contentsBytes;

    internal static PdfSignaturePreparation Create(string input, string output, Func<PdfFile, PdfIncrementalUpdate, string> addObjects, int contentsBytes)
    {
        string field = string.Empty;
        var (temporary, contentsStart, range, digest) = WriteUpdate(input, output, (file, update) => field = addObjects(file, update), withSignature: true);
        return new PdfSignaturePreparation(temporary, output, contentsStart, contentsBytes, range, digest, field);
    }

    /// <summary>
    /// Appends an incremental update without a signature (e.g. a DSS) to <paramref name="input"/> and writes the result
    /// to <paramref name="output"/> (through a temporary file beside it, renamed into place).
    /// </summary>
    internal static void Append(string input, string output, Action<PdfFile, PdfIncrementalUpdate> addObjects)
    {
        var (temporary, _, _, _) = WriteUpdate(input, output, addObjects, withSignature: false);
        try
        {
            File.Move(temporary, output, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Copies <paramref name="input"/> to a temporary file beside <paramref name="output"/> in blocks and appends the
    /// update; with a signature, fills in its <c>/ByteRange</c> and hashes the ranges (SHA-256) while copying.
    /// </summary>
    private static (string Temporary, long ContentsStart, long[] Range, byte[] Digest) WriteUpdate(string input, string output, Action<PdfFile, PdfIncrementalUpdate> addObjects, bool withSignature)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(output))!;
        var temporary = Path.Combine(directory, "." + Path.GetFileName(output) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            using var source = new FileStream(input, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.SequentialScan);
            var file = PdfFile.Open(source);
            var update = new PdfIncrementalUpdate(file);
            addObjects(file, update);
            var length = source.Length;
            var endsWithEol = length > 0 && file.ReadAt(length - 1, 1)[0] is (byte)'\n' or (byte)'\r';
            var (bytes, marks) = update.Build(length, endsWithEol);
            if (withSignature != marks.ContentsStart > 0)
            {
                throw new InvalidOperationException(withSignature ? "The update holds no signature placeholder." : "The update holds a signature placeholder.");
            }

            var contentsStart = length + marks.ContentsStart;
            var contentsEnd = length + marks.ContentsEnd;
            var total = length + bytes.Length;
            long[] range = withSignature ? [0, contentsStart, contentsEnd, total - contentsEnd] : [];
            if (withSignature)
            {
                PdfIncrementalUpdate.ByteRangeText(range).CopyTo(bytes, marks.ByteRange);
            }

            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using (var target = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920))
            {
                source.Position = 0;
                var buffer = new byte[81920];
                int read;
                while ((read = source.Read(buffer)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    target.Write(buffer, 0, read);
                }

                if (withSignature)
                {
                    hash.AppendData(bytes, 0, marks.ContentsStart);
                    hash.AppendData(bytes, marks.ContentsEnd, bytes.Length - marks.ContentsEnd);
                }

                target.Write(bytes);
                target.Flush(flushToDisk: !withSignature);
            }

            return (temporary, contentsStart, range, hash.GetHashAndReset());
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>Writes <paramref name="contents"/> (DER CMS or time-stamp token) into the placeholder and moves the file to the output (replacing it).</summary>
    /// <exception cref="InvalidOperationException">Already completed, or the contents do not fit.</exception>
    public void Complete(ReadOnlySpan<byte> contents)
    {
        if (_completed)
        {
            throw new InvalidOperationException("The signature was already written.");
        }

        if (contents.Length > _contentsBytes)
        {
            throw new InvalidOperationException($"The signature ({contents.Length} bytes) does not fit the {_contentsBytes} bytes reserved for /Contents.");
        }

        var hex = System.Text.Encoding.ASCII.GetBytes(Convert.ToHexString(contents));
        using (var target = new FileStream(_temporary, FileMode.Open, FileAccess.Write, FileShare.None))
        {
            target.Position = _contentsStart + 1;
            target.Write(hex);
            target.Flush(flushToDisk: true);
        }

        File.Move(_temporary, _output, overwrite: true);
        _completed = true;
    }

    /// <summary>Deletes the temporary file unless the signature was completed.</summary>
    public void Dispose()
    {
        if (!_completed)
        {
            File.Delete(_temporary);
        }
    }
}
