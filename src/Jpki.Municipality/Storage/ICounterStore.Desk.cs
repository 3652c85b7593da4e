using Jpki.Municipality.Residents;

namespace Jpki.Municipality.Storage;

/// <summary>What the counter desk needs: streaming register import and counted, paged search (migration 3), one-time form submissions (migration 4).</summary>
public partial interface ICounterStore
{
    /// <summary>Begins an all-or-nothing import (one transaction; see <see cref="IResidentImport"/>). The caller disposes it.</summary>
    Task<IResidentImport> BeginResidentImportAsync(CancellationToken cancellationToken);

    /// <summary>How many residents match <paramref name="query"/> (its limit and offset ignored): the true count of a search.</summary>
    Task<int> CountResidentsAsync(ResidentQuery query, CancellationToken cancellationToken);

    /// <summary>Claims a form submission (pending); false (nothing changed) when its id was claimed before.</summary>
    Task<bool> ClaimSubmissionAsync(FormSubmission submission, CancellationToken cancellationToken);

    /// <summary>The submission with <paramref name="id"/>, or null.</summary>
    Task<FormSubmission?> FindSubmissionAsync(string id, CancellationToken cancellationToken);

    /// <summary>Records the result of a pending submission.</summary>
    Task CompleteSubmissionAsync(string id, string outcome, string? location, string? payload, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Forgets a pending submission whose action failed, so that the form can be sent again.</summary>
    Task ReleaseSubmissionAsync(string id, CancellationToken cancellationToken);

    /// <summary>Deletes submissions claimed before <paramref name="before"/>; returns how many.</summary>
    Task<int> PurgeSubmissionsAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
