namespace Jpki.Authority.Registry;

/// <summary>
/// The outcomes of issuance requests by request id, durable in the registry: the certificate issued under an id
/// (<see cref="CertificateRecord.Request"/>, unique) or the refusal answered to it. The authority reads it before it
/// issues, so a request repeated after a lost answer — even across a restart, from any process on the registry —
/// answers the first outcome and never issues twice.
/// </summary>
public interface IIssuanceRequestLog
{
    /// <summary>The certificate issued under <paramref name="requestId"/>, or null.</summary>
    Task<CertificateRecord?> FindByRequestIdAsync(string requestId, CancellationToken cancellationToken);

    /// <summary>The refusal answered to <paramref name="requestId"/>, or null.</summary>
    Task<IssuanceRefusal?> FindRefusalAsync(string requestId, CancellationToken cancellationToken);

    /// <summary>
    /// Records a refusal unless one is already recorded for its request id (the first stands); returns the refusal
    /// now recorded for the id, durably.
    /// </summary>
    Task<IssuanceRefusal> RecordRefusalAsync(IssuanceRefusal refusal, CancellationToken cancellationToken);
}
