using Jpki.Core.Storage;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Jpki.Municipality.Residents;
using Jpki.Municipality.Staff;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Jpki.Server.Counter;

/// <summary>
/// Register imports from the staff page and the API: the upload is streamed to a temporary file in the data folder
/// (<c>&lt;data&gt;/tmp</c>, mode 600: it holds personal data) so that a slow upload never holds the database's write
/// lock, then imported in the background in one transaction (<see cref="ResidentRegistry.ImportCsvAsync(Stream, StaffAccount, ResidentImportOptions, CancellationToken)"/>)
/// while its progress is shown; the file is deleted afterwards. Jobs are kept in memory for a day (the journal keeps the
/// outcome for good). A server restart mid-import rolls the transaction back: nothing is imported.
/// </summary>
internal sealed partial class RegisterImports(CounterWeb web, JpkiServerOptions options, TimeProvider clock, IHostApplicationLifetime lifetime, ILogger<RegisterImports> log)
{
    private static readonly TimeSpan Retention = TimeSpan.FromDays(1);
    private readonly ConcurrentDictionary<string, RegisterImportJob> _jobs = new(StringComparer.Ordinal);

    /// <summary>Spools <paramref name="upload"/> and starts the import; returns once the file is on disk.</summary>
    public async Task<RegisterImportJob> StartAsync(Stream upload, CsvTextEncoding encoding, StaffAccount staff, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        ArgumentNullException.ThrowIfNull(staff);
        Prune();
        var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        var folder = Path.Combine(options.DataDirectory, "tmp");
        PrivateFiles.CreateFolder(folder);
        var path = Path.Combine(folder, $"import-{id}.csv");
        long size;
        try
        {
            var spool = PrivateFiles.CreateOptions(FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.Asynchronous);

            await using (var file = new FileStream(path, spool))
            {
                await upload.CopyToAsync(file, 81920, cancellationToken).ConfigureAwait(false);
                size = file.Length;
            }
        }
        catch
        {
            File.Delete(path);
            throw;
        }

        var job = new RegisterImportJob(id, staff.Id, clock.GetUtcNow(), size, encoding);
        _jobs[id] = job;
        _ = Task.Run(() => RunAsync(job, path, staff), CancellationToken.None);
        return job;
    }

    /// <summary>The job <paramref name="id"/> started by <paramref name="staffId"/>, or null.</summary>
    public RegisterImportJob? Find(string id, string staffId) =>
        _jobs.TryGetValue(id, out var job) && job.StaffId == staffId ? job : null;

    private async Task RunAsync(RegisterImportJob job, string path, StaffAccount staff)
    {
        ResidentImportResult? result = null;
        Exception? failure = null;
        try
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
            result = await web.Registry.ImportCsvAsync(file, staff, new ResidentImportOptions(job.Requested, job), lifetime.ApplicationStopping).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Nothing was committed: the import is one transaction.
            failure = e;
        }

        // The spooled register (personal data) is gone before anyone hears the import finished.
        try
        {
            File.Delete(path);
        }
        catch (IOException e)
        {
            LogNotDeleted(e, path);
        }

        if (result is not null)
        {
            job.Finish(result, null, clock.GetUtcNow());
            LogImported(job.Id, result.Imported, result.ErrorCount, result.Lines);
        }
        else
        {
            job.Finish(null, failure!.GetType().Name, clock.GetUtcNow());
            LogFailed(failure, job.Id);
        }
    }

    private void Prune()
    {
        var before = clock.GetUtcNow() - Retention;
        foreach (var (id, job) in _jobs)
        {
            if (job.FinishedAt is { } at && at < before)
            {
                _jobs.TryRemove(id, out _);
            }
        }
    }

    [LoggerMessage(EventId = 5210, Level = LogLevel.Information, Message = "Register import {JobId}: {Imported} residents imported, {Errors} bad lines, {Lines} lines read")]
    private partial void LogImported(string jobId, int imported, int errors, int lines);

    [LoggerMessage(EventId = 5211, Level = LogLevel.Error, Message = "Register import {JobId} failed; nothing was imported")]
    private partial void LogFailed(Exception exception, string jobId);

    [LoggerMessage(EventId = 5212, Level = LogLevel.Warning, Message = "The temporary import file {Path} could not be deleted")]
    private partial void LogNotDeleted(Exception exception, string path);
}
