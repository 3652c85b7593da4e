using Jpki.Authority.Ca;
using Jpki.Authority.Profiles;
using Jpki.Authority.Registry;
using Jpki.Core.Identity;
using Jpki.Core.Time;

namespace Jpki.Municipality.Issuance;

/// <summary>
/// <see cref="ICertificateIssuer"/> over an in-process <see cref="CertificateAuthority"/> (software or PKCS#11 CA key,
/// SQLite or PostgreSQL registry). The municipality's romanised prefecture and name go into the signature
/// certificate's subject DN.
/// </summary>
public sealed class AuthorityCertificateIssuer : ICertificateIssuer
{
    private readonly CertificateAuthority _authority;
    private readonly string _prefecture;
    private readonly string _municipality;
    private readonly string _actor;

    /// <summary>Creates the adapter.</summary>
    /// <param name="authority">The authority.</param>
    /// <param name="prefecture">Romanised prefecture, e.g. <c>Tokyo-to</c>.</param>
    /// <param name="municipality">Romanised municipality, e.g. <c>Kiyose-shi</c>.</param>
    /// <param name="actor">Who the authority's audit log names (the counter service).</param>
    public AuthorityCertificateIssuer(CertificateAuthority authority, string prefecture, string municipality, string actor)
    {
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentException.ThrowIfNullOrWhiteSpace(prefecture);
        ArgumentException.ThrowIfNullOrWhiteSpace(municipality);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        _authority = authority;
        _prefecture = prefecture;
        _municipality = municipality;
        _actor = actor;
    }

    /// <inheritdoc/>
    public async Task<IssuedCertificate> IssueAsync(CertificateIssueRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        SignatureSubject? subject = null;
        if (request.Kind == CertificateKind.Signature)
        {
            var info = request.MappedInfo ?? throw new ArgumentException("A signature certificate needs the mapped basic 4 info.", nameof(request));
            subject = new SignatureSubject(
                _prefecture, _municipality,
                info.Name, request.NameFlags ?? SignatureSubject.NoSubstitution(info.Name),
                info.Address, request.AddressFlags ?? SignatureSubject.NoSubstitution(info.Address),
                info.DateOfBirth, info.Sex);
        }

        var record = await _authority.IssueAsync(
            new IssueRequest(request.Kind, request.SubjectPublicKeyInfo, request.CardId, request.HolderId, JapanTime.ToJapanDate(request.NotAfter), subject, request.PreviousSerialHex, _actor),
            cancellationToken).ConfigureAwait(false);
        return new IssuedCertificate(record.SerialHex, record.Kind, record.NotAfter, record.Der);
    }

    /// <inheritdoc/>
    public Task<RevokeResult> RevokeAsync(string serialHex, RevocationReason reason, CancellationToken cancellationToken) =>
        _authority.RevokeAsync(serialHex, reason, null, _actor, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<CertificateRecord>> FindByHolderAsync(string holderId, CancellationToken cancellationToken) =>
        _authority.Registry.FindByHolderAsync(holderId, cancellationToken);
}
