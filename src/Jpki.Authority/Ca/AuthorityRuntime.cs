using Jpki.Authority.Audit;
using Jpki.Authority.Crl;
using Jpki.Authority.Ocsp;
using Jpki.Authority.Tsa;
using Jpki.Authority.Registry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Jpki.Authority.Ca;

/// <summary>
/// Everything a server needs to run the authority: the CAs at work, the CRL publisher, the OCSP responder and the
/// verifier access rule. Creating it starts nothing in the background (the command line opens one to issue or revoke);
/// a server calls <see cref="RunAsync"/> to publish and follow revocations. Disposing it disposes what it was given to
/// own (CAs, registry) in reverse order.
/// </summary>
public sealed class AuthorityRuntime : IAsyncDisposable
{
    private readonly IReadOnlyList<object> _owned;

    /// <summary>Assembles the runtime; CRLs are published into <paramref name="crlDirectory"/>.</summary>
    /// <param name="authority">The CAs at work.</param>
    /// <param name="audit">The audit log.</param>
    /// <param name="crlDirectory">Where the current CRL files live.</param>
    /// <param name="owned">Objects disposed with the runtime (IDisposable or IAsyncDisposable), e.g. the CAs and the registry.</param>
    /// <param name="timestamps">The time-stamping authority served at <c>/tsa</c>, owned by the runtime; null for none.</param>
    /// <param name="loggers">Where the publisher and responder log (null: nowhere).</param>
    public AuthorityRuntime(CertificateAuthority authority, IAuditLog audit, string crlDirectory, IReadOnlyList<object>? owned = null, TimestampAuthority? timestamps = null, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentNullException.ThrowIfNull(audit);
        Authority = authority;
        Audit = audit;
        loggers ??= NullLoggerFactory.Instance;

        // The registry stores share published CRLs and signed OCSP answers between processes; any other registry
        // (tests, benchmarks) gets an in-process stand-in.
        Publication = authority.Registry as IRevocationPublicationStore ?? new LocalPublicationStore(authority.Registry);
        Crls = new CrlPublisher(authority, audit, Publication, crlDirectory, loggers.CreateLogger<CrlPublisher>());
        Ocsp = new OcspResponder(authority, Publication, loggers.CreateLogger<OcspResponder>());
        Crls.LeaderWork = Ocsp.PresignAsync;
        authority.Logger = loggers.CreateLogger<CertificateAuthority>();
        if (timestamps is not null)
        {
            timestamps.Logger = loggers.CreateLogger<TimestampAuthority>();
        }

        Access = new VerifierAccess(authority.Options, authority.Clock);
        RegistrationAuthorities = new RegistrationAuthorityAccess(authority.Options);
        Timestamps = timestamps;
        _owned = owned ?? [];
    }

    /// <summary>The CAs at work.</summary>
    public CertificateAuthority Authority { get; }

    /// <summary>The audit log.</summary>
    public IAuditLog Audit { get; }

    /// <summary>Where published revocation data is shared (the registry, or an in-process stand-in).</summary>
    public IRevocationPublicationStore Publication { get; }

    /// <summary>The CRL publisher.</summary>
    public CrlPublisher Crls { get; }

    /// <summary>The OCSP responder.</summary>
    public OcspResponder Ocsp { get; }

    /// <summary>Who may read signature-certificate revocation data.</summary>
    public VerifierAccess Access { get; }

    /// <summary>Who may issue and revoke through the authority API.</summary>
    public RegistrationAuthorityAccess RegistrationAuthorities { get; }

    /// <summary>The RFC 3161 time-stamping authority, or null when this authority runs none.</summary>
    public TimestampAuthority? Timestamps { get; }

    /// <summary>Sends the CA's, TSA's, publisher's and responder's logs to <paramref name="loggers"/> (a host's, once it exists).</summary>
    public void UseLogging(ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        Crls.Logger = loggers.CreateLogger<CrlPublisher>();
        Ocsp.Logger = loggers.CreateLogger<OcspResponder>();
        Authority.Logger = loggers.CreateLogger<CertificateAuthority>();
        if (Timestamps is not null)
        {
            Timestamps.Logger = loggers.CreateLogger<TimestampAuthority>();
        }
    }

    /// <summary>
    /// Runs the background work of a server until <paramref name="stopping"/>: CRL publication (when this process holds
    /// the registry's publisher lease, with OCSP pre-signing) or following another publisher, and the revocation feed
    /// that keeps the OCSP answers in memory current.
    /// </summary>
    public Task RunAsync(CancellationToken stopping) => Task.WhenAll(Crls.RunAsync(stopping), Ocsp.RunAsync(stopping));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            // Let the OCSP signer recordings reach the store before it closes.
            await Ocsp.RecordingAsync.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // a failed recording must not stop the shutdown; it is logged, not thrown
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.OcspRecordingFailed(Ocsp.Logger, ex);
        }

        Ocsp.Dispose();
        Crls.Dispose();
        Timestamps?.Dispose();
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            switch (_owned[i])
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }
}
