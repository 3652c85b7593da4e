using System.Globalization;
using Jpki.Authority.Registry;
using Jpki.Municipality.Issuance;

namespace Jpki.Municipality.Tests.Fakes;

/// <summary>An in-memory authority. <see cref="Failing"/> makes every call throw, like an unreachable authority.</summary>
public sealed class FakeIssuer(TimeProvider clock) : ICertificateIssuer
{
    private int _next = 0x1000;

    public List<CertificateRecord> Records { get; } = [];

    public List<CertificateIssueRequest> Requests { get; } = [];

    public bool Failing { get; set; }

    public Task<IssuedCertificate> IssueAsync(CertificateIssueRequest request, CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        Requests.Add(request);
        var serial = (_next++).ToString("X", CultureInfo.InvariantCulture);
        var der = new byte[] { 0x30, 0x03, 0x02, 0x01, unchecked((byte)_next) };
        var now = clock.GetUtcNow();
        Records.Add(new CertificateRecord(serial, request.Kind, request.CardId, request.HolderId, now, request.NotAfter, now, request.PreviousSerialHex, der, null));
        return Task.FromResult(new IssuedCertificate(serial, request.Kind, request.NotAfter, der));
    }

    public Task<RevokeResult> RevokeAsync(string serialHex, RevocationReason reason, CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        var index = Records.FindIndex(r => r.SerialHex == serialHex);
        if (index < 0)
        {
            return Task.FromResult(RevokeResult.NotFound);
        }

        if (Records[index].Revocation is not null)
        {
            return Task.FromResult(RevokeResult.AlreadyRevoked);
        }

        var now = clock.GetUtcNow();
        Records[index] = Records[index] with { Revocation = new RevocationInfo(now, reason, now) };
        return Task.FromResult(RevokeResult.Revoked);
    }

    public Task<IReadOnlyList<CertificateRecord>> FindByHolderAsync(string holderId, CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        return Task.FromResult<IReadOnlyList<CertificateRecord>>(Records.Where(r => r.HolderId == holderId).ToList());
    }

    public CertificateRecord Single(Jpki.Core.Identity.CertificateKind kind, bool revoked) =>
        Records.Single(r => r.Kind == kind && (r.Revocation is not null) == revoked);

    private void ThrowIfFailing()
    {
        if (Failing)
        {
            throw new HttpRequestException("authority unreachable");
        }
    }
}
