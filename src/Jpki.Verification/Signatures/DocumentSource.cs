namespace Jpki.Verification.Signatures;

/// <summary>
/// Bytes to validate — a file or memory — readable as a stream, so a validator of a 100 MB PDF hashes byte ranges
/// instead of loading the file whole. Immutable while a validation runs.
/// </summary>
public sealed class DocumentSource
{
    private readonly string? _path;
    private readonly ReadOnlyMemory<byte> _bytes;

    private DocumentSource(string? path, ReadOnlyMemory<byte> bytes, string? name, long length)
    {
        _path = path;
        _bytes = bytes;
        Name = name;
        Length = length;
    }

    /// <summary>A name for reports (the file name), or null.</summary>
    public string? Name { get; }

    /// <summary>The length in bytes.</summary>
    public long Length { get; }

    /// <summary>Bytes in memory.</summary>
    public static DocumentSource FromBytes(ReadOnlyMemory<byte> bytes, string? name = null) => new(null, bytes, name, bytes.Length);

    /// <summary>A file, opened for each read (its length is taken now).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static DocumentSource FromFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"{path} does not exist.", path);
        }

        return new(info.FullName, default, info.Name, info.Length);
    }

    /// <summary>Opens a read-only stream over the bytes (the caller disposes it).</summary>
    public Stream OpenRead() => _path is null
        ? new MemoryStream(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(_bytes, out var segment) ? segment.Array! : _bytes.ToArray(), segment.Offset, segment.Count, writable: false)
        : new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.SequentialScan);

    /// <summary>The first <paramref name="count"/> bytes (fewer when shorter), for format detection.</summary>
    public byte[] Head(int count)
    {
        if (_path is null)
        {
            return _bytes[..(int)Math.Min(count, _bytes.Length)].ToArray();
        }

        using var stream = OpenRead();
        var buffer = new byte[(int)Math.Min(count, Length)];
        stream.ReadExactly(buffer);
        return buffer;
    }

    /// <summary>All the bytes (for formats whose signatures are small, like CMS and XML; not for large PDFs).</summary>
    /// <exception cref="InvalidDataException">Longer than <paramref name="limit"/> bytes.</exception>
    public async Task<ReadOnlyMemory<byte>> ReadAllAsync(long limit, CancellationToken cancellationToken)
    {
        if (Length > limit)
        {
            throw new InvalidDataException($"{Name ?? "The input"} is larger than {limit} bytes.");
        }

        if (_path is null)
        {
            return _bytes;
        }

        return await File.ReadAllBytesAsync(_path, cancellationToken).ConfigureAwait(false);
    }
}
