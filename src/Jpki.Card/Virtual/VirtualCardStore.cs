using Jpki.Core.Storage;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jpki.Card.Virtual;

/// <summary>
/// The card file on disk: JSON written atomically (temp file in the same directory, flushed to disk, renamed over the
/// card, directory synced) under an exclusive lock file held for as long as the card is in use.
/// </summary>
internal sealed class VirtualCardStore : ICardImageSink, IDisposable
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly FileStream _lock;

    private VirtualCardStore(string path, FileStream lockStream)
    {
        Path = path;
        _lock = lockStream;
    }

    public string Path { get; }

    /// <summary>Test hook: called at each stage of a write; an exception thrown here simulates a crash there.</summary>
    internal Action<CardWriteStage>? FaultHook { get; set; }

    /// <summary>Takes the card's lock. Throws <see cref="VirtualCardException"/> <c>card-in-use</c> if another holder has it.</summary>
    public static VirtualCardStore Acquire(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory))
        {
            throw new VirtualCardException("card-file-missing", $"The directory of the card file does not exist: {directory}");
        }

        try
        {
            // FileShare.None takes an exclusive flock on Unix and a share-deny lock on Windows.
            var lockStream = new FileStream(full + ".lock", PrivateFiles.CreateOptions(FileMode.OpenOrCreate, FileAccess.ReadWrite));
            RemoveStaleTempFiles(full);
            return new VirtualCardStore(full, lockStream);
        }
        catch (IOException e)
        {
            throw new VirtualCardException(
                "card-in-use",
                $"The card {System.IO.Path.GetFileName(full)} is in use by another process (it is inserted elsewhere); remove it there first.",
                e);
        }
    }

    /// <summary>
    /// Deletes temp files left by a writer that was killed before it could rename or delete its temp file. They can only
    /// belong to a dead writer: temp files are written under the lock, and the lock is ours now.
    /// </summary>
    private static void RemoveStaleTempFiles(string full)
    {
        var directory = System.IO.Path.GetDirectoryName(full)!;
        foreach (var stale in Directory.EnumerateFiles(directory, TempPrefix(full) + "*.tmp"))
        {
            File.Delete(stale);
        }
    }

    private static string TempPrefix(string full) => $".{System.IO.Path.GetFileName(full)}.";

    public CardImage Load()
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(Path);
        }
        catch (FileNotFoundException e)
        {
            throw new VirtualCardException("card-file-missing", $"No card file at {Path}.", e);
        }

        CardImage? image;
        try
        {
            image = JsonSerializer.Deserialize<CardImage>(bytes, Json);
        }
        catch (JsonException e)
        {
            throw new VirtualCardException("card-file-invalid", $"{Path} is not a virtual card file.", e);
        }

        if (image is null || image.ManagementKey.Length != Issuer.CardManagementKey.Length || string.IsNullOrEmpty(image.CardNumber))
        {
            throw new VirtualCardException("card-file-invalid", $"{Path} is not a complete virtual card file.");
        }

        if (image.FormatVersion is < 1 or > CardImage.CurrentFormatVersion
            || (image.FormatVersion == CardImage.CurrentFormatVersion && Profiles.CardProfile.Find(image.Profile) is null))
        {
            throw new VirtualCardException("card-file-version", $"{Path} has format version {image.FormatVersion} (profile '{image.Profile}'); this build reads versions 1 to {CardImage.CurrentFormatVersion} and the profiles {string.Join(", ", Profiles.CardProfile.All.Select(p => p.Id))}.");
        }

        return image;
    }

    public void Persist(CardImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(image, Json);
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        var temp = System.IO.Path.Combine(directory, $"{TempPrefix(Path)}{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, PrivateFiles.CreateOptions()))
            {
                var half = bytes.Length / 2;
                stream.Write(bytes, 0, half);
                FaultHook?.Invoke(CardWriteStage.PartlyWritten);
                stream.Write(bytes, half, bytes.Length - half);
                stream.Flush(flushToDisk: true);
            }

            FaultHook?.Invoke(CardWriteStage.TempFlushed);
            File.Move(temp, Path, overwrite: true);
            FaultHook?.Invoke(CardWriteStage.Renamed);

            // The rename is durable only once the directory is: without this a power loss could bring the old card back.
            DirectorySync.Flush(directory);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }

        FaultHook?.Invoke(CardWriteStage.Committed);
    }

    public void Dispose() => _lock.Dispose();
}
