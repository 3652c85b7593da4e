using Jpki.Authority.Audit;
using Jpki.Authority.Crl;
using Jpki.Authority.Ocsp;
using Jpki.Authority.Tsa;

namespace Jpki.Authority.Ca;

/// <summary>
/// Everything a server needs to run the authority: the CAs at work, the CRL publisher, the OCSP responder and the
/// verifier access rule. Disposing it disposes what it was given to own (CAs, registry) in reverse order.
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
    public AuthorityRuntime(CertificateAuthority authority, IAuditLog audit, string crlDirectory, IReadOnlyList<object>? owned = null, TimestampAuthority? timestamps = null)
    {
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentNullException.ThrowIfNull(audit);
        Authority = authority;
        Audit = audit;
        Crls = new CrlPublisher(authority, audit, crlDirectory);
        Ocsp = new OcspResponder(authority);
        Access = new VerifierAccess(authority.Options, authority.Clock);
        RegistrationAuthorities = new RegistrationAuthorityAccess(authority.Options);
        Timestamps = timestamps;
        _owned = owned ?? [];
    }

    /// <summary>The CAs at work.</summary>
    public CertificateAuthority Authority { get; }

    /// <summary>The audit log.</summary>
    public IAuditLog Audit { get; }

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

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            // Let the OCSP signer recordings reach the store before it closes.
            await Ocsp.RecordingAsync.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // a failed recording must not stop the shutdown; it was already reported by the task
        catch (Exception)
#pragma warning restore CA1031
        {
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
