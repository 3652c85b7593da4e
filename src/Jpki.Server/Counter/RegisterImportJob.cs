using Jpki.Municipality.Residents;

namespace Jpki.Server.Counter;

/// <summary>One register import running in the background (<see cref="RegisterImports"/>): its progress, then its result.</summary>
internal sealed class RegisterImportJob : IProgress<ResidentImportProgress>
{
    private readonly Lock _gate = new();
    private ResidentImportProgress _progress;

    public RegisterImportJob(string id, string staffId, DateTimeOffset startedAt, long totalBytes, CsvTextEncoding requested)
    {
        Id = id;
        StaffId = staffId;
        StartedAt = startedAt;
        TotalBytes = totalBytes;
        Requested = requested;
    }

    public string Id { get; }

    public string StaffId { get; }

    public DateTimeOffset StartedAt { get; }

    /// <summary>The file's size.</summary>
    public long TotalBytes { get; }

    /// <summary>The encoding chosen on the form (or auto).</summary>
    public CsvTextEncoding Requested { get; }

    /// <summary>How far the import has read.</summary>
    public ResidentImportProgress Progress
    {
        get
        {
            lock (_gate)
            {
                return _progress;
            }
        }
    }

    /// <summary>The result, once done.</summary>
    public ResidentImportResult? Result { get; private set; }

    /// <summary>When the import failed (nothing was imported): the exception's type, for people (no data).</summary>
    public string? Failure { get; private set; }

    /// <summary>When it finished.</summary>
    public DateTimeOffset? FinishedAt { get; private set; }

    /// <summary>Completes when the import has finished (successfully, rejected or failed).</summary>
    public Task Completion => _done.Task;

    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Report(ResidentImportProgress value)
    {
        lock (_gate)
        {
            _progress = value;
        }
    }

    public void Finish(ResidentImportResult? result, string? failure, DateTimeOffset at)
    {
        Result = result;
        Failure = failure;
        FinishedAt = at;
        _done.TrySetResult();
    }
}
