namespace Jpki.Municipality.Residents;

/// <summary>A recorded registry change and the state of its revocations after the immediate attempt.</summary>
/// <param name="Change">The event.</param>
/// <param name="Resident">The record after the change.</param>
/// <param name="Revocations">Its revocation tasks: done, or pending (retried by <see cref="RegistryChangeService.RetryPendingAsync"/>).</param>
public sealed record ResidentChangeResult(ResidentChangeRecord Change, Resident Resident, IReadOnlyList<RevocationTask> Revocations)
{
    /// <summary>True when every revocation was confirmed by the authority.</summary>
    public bool AllRevocationsDone => Revocations.All(t => t.Status == RevocationTaskStatus.Done);
}
