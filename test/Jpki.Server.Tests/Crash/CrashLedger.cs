using System.Collections.Concurrent;

namespace Jpki.Server.Tests.Crash;

/// <summary>
/// What the clients of a crash run were told: issuances and revocations acknowledged (201/200 received), and those whose
/// outcome is unknown because the connection dropped when the server was killed. Thread-safe.
/// </summary>
internal sealed class CrashLedger
{
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly SemaphoreSlim _acknowledgements = new(0, int.MaxValue);
    private int _issueUnknown;
    private int _revokeUnknownCount;
    private int _ocspChecks;
    private int _ocspDropped;

    /// <summary>Acknowledged issuances: serial → (kind slug, SHA-256 of the certificate the answer carried).</summary>
    public ConcurrentDictionary<string, (string Kind, string Sha256)> Issued { get; } = new(StringComparer.Ordinal);

    /// <summary>Acknowledged revocations: serial → reason name.</summary>
    public ConcurrentDictionary<string, string> Revoked { get; } = new(StringComparer.Ordinal);

    /// <summary>Every serial a revocation was sent for (acknowledged or not).</summary>
    public ConcurrentDictionary<string, byte> RevocationSent { get; } = new(StringComparer.Ordinal);

    /// <summary>Acknowledged, not yet revoked serials the clients may revoke next.</summary>
    public ConcurrentQueue<string> Revocable { get; } = new();

    public int IssueUnknown => _issueUnknown;

    public int RevokeUnknown => _revokeUnknownCount;

    public int OcspChecksDuringLoad => _ocspChecks;

    public int OcspChecksDropped => _ocspDropped;

    public IReadOnlyCollection<string> Failures => _failures;

    public void IssueOutcomeUnknown() => Interlocked.Increment(ref _issueUnknown);

    public void RevokeOutcomeUnknown() => Interlocked.Increment(ref _revokeUnknownCount);

    /// <summary>How long other processes took to answer revoked after an acknowledged revocation (cross-process checks only).</summary>
    public ConcurrentQueue<TimeSpan> CrossProcessOcspDelays { get; } = new();

    /// <summary>Counts an OCSP check that said revoked; <paramref name="crossProcessDelay"/> when another process answered.</summary>
    public void OcspChecked(TimeSpan? crossProcessDelay = null)
    {
        Interlocked.Increment(ref _ocspChecks);
        if (crossProcessDelay is { } delay)
        {
            CrossProcessOcspDelays.Enqueue(delay);
        }
    }

    public void OcspCheckDropped() => Interlocked.Increment(ref _ocspDropped);

    public void Fail(string message) => _failures.Enqueue(message);

    /// <summary>Counts one acknowledgement (issuance or revocation) for <see cref="WaitForAcknowledgementsAsync"/>.</summary>
    public void Acknowledged() => _acknowledgements.Release();

    /// <summary>Forgets the acknowledgements counted so far (the killer calls it after a restart).</summary>
    public void ResetAcknowledgements()
    {
        while (_acknowledgements.Wait(0))
        {
        }
    }

    /// <summary>Waits until <paramref name="count"/> acknowledgements arrived since the last reset; false on timeout.</summary>
    public async Task<bool> WaitForAcknowledgementsAsync(int count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        for (var i = 0; i < count; i++)
        {
            if (!await _acknowledgements.WaitAsync(timeout, cancellationToken))
            {
                return false;
            }
        }

        return true;
    }
}
