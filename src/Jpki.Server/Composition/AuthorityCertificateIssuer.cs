using Jpki.Authority.Ca;
using Jpki.Authority.Contracts;
using Jpki.Core.Identity;
using Jpki.Municipality.Issuance;

namespace Jpki.Server.Composition;

/// <summary>
/// <see cref="ICertificateIssuer"/> over an in-process <see cref="CertificateAuthority"/> (software or PKCS#11 CA key,
/// SQLite or PostgreSQL registry): the counter and the authority in one process (<c>jpki serve --role all</c>, the
/// <c>jpki counter</c> commands on a data folder). It speaks the same contract as <see cref="HttpCertificateIssuer"/>
/// and maps it through <see cref="AuthorityContract"/>, as the authority API does.
/// </summary>
public sealed class AuthorityCertificateIssuer : ICertificateIssuer
{
    private readonly CertificateAuthority _authority;
    private readonly string _actor;

    /// <summary>Creates the adapter.</summary>
    /// <param name="authority">The authority.</param>
    /// <param name="actor">Who the authority's audit log names (the counter service).</param>
    public AuthorityCertificateIssuer(CertificateAuthority authority, string actor)
    {
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        _authority = authority;
        _actor = actor;
    }

    /// <inheritdoc/>
    public async Task<AuthorityCertificate> IssueAsync(CertificateIssuance request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            var record = await _authority.IssueAsync(request.ToIssueRequest(_actor), cancellationToken).ConfigureAwait(false);
            return record.ToContract();
        }
        catch (IssueRequestException e)
        {
            throw new AuthorityRefusedException(e.Code, e.Message, e);
        }
        catch (IssuanceRequestConflictException e)
        {
            throw new AuthorityRefusedException(IssuanceRequestConflictException.Code, e.Message, e);
        }
        catch (ArgumentException e)
        {
            throw new AuthorityRefusedException(e.Message, e);
        }
        catch (Jpki.Authority.Profiles.JpkiProfileException e)
        {
            throw new AuthorityRefusedException(e.Message, e);
        }
    }

    /// <inheritdoc/>
    public Task<RevokeResult> RevokeAsync(CertificateSerial serial, RevocationReason reason, CancellationToken cancellationToken) =>
        _authority.RevokeAsync(serial.Hex, reason, null, _actor, cancellationToken);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<AuthorityCertificate>> FindByHolderAsync(HolderId holder, CancellationToken cancellationToken)
    {
        var records = await _authority.Registry.FindByHolderAsync(holder.Value, cancellationToken).ConfigureAwait(false);
        return [.. records.Select(r => r.ToContract())];
    }

    /// <inheritdoc/>
    public Task<byte[]> GetCaCertificateAsync(CertificateKind kind, CancellationToken cancellationToken) =>
        Task.FromResult(_authority.CaOf(kind).CertificateDer.ToArray());
}
