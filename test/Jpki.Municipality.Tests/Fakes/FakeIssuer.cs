using System.Globalization;
using Jpki.Core.Identity;
using Jpki.Municipality.Issuance;

namespace Jpki.Municipality.Tests.Fakes;

/// <summary>An in-memory authority. <see cref="Failing"/> makes every call throw, like an unreachable authority.</summary>
public sealed class FakeIssuer(TimeProvider clock) : ICertificateIssuer
{
    private int _next = 0x1000;

    public List<AuthorityCertificate> Records { get; } = [];

    public List<CertificateIssuance> Requests { get; } = [];

    public bool Failing { get; set; }

    public Task<AuthorityCertificate> IssueAsync(CertificateIssuance request, CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        Requests.Add(request);
        var serial = CertificateSerial.Parse((_next++).ToString("X", CultureInfo.InvariantCulture));
        var der = new byte[] { 0x30, 0x03, 0x02, 0x01, unchecked((byte)_next) };
        var now = clock.GetUtcNow();
        var record = new AuthorityCertificate(serial, request.Kind, request.CardId, request.HolderId, now, Jpki.Core.Time.JapanTime.EndOfDay(request.ExpiryDate), now, request.PreviousSerial, null, der);
        Records.Add(record);
        return Task.FromResult(record);
    }

    public Task<RevokeResult> RevokeAsync(CertificateSerial serial, RevocationReason reason, CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        var index = Records.FindIndex(r => r.Serial == serial);
        if (index < 0)
        {
            return Task.FromResult(RevokeResult.NotFound);
        }

        if (Records[index].Revocation is not null)
        {
            return Task.FromResult(RevokeResult.AlreadyRevoked);
        }

        Records[index] = Records[index] with { Revocation = new CertificateRevocation(clock.GetUtcNow(), reason) };
        return Task.FromResult(RevokeResult.Revoked);
    }

    public Task<IReadOnlyList<AuthorityCertificate>> FindByHolderAsync(HolderId holder, CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        return Task.FromResult<IReadOnlyList<AuthorityCertificate>>(Records.Where(r => r.HolderId == holder).ToList());
    }

    public Task<byte[]> GetCaCertificateAsync(CertificateKind kind, CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        return Task.FromResult(new byte[] { 0x30, 0x03, 0x02, 0x01, (byte)kind });
    }

    public AuthorityCertificate Single(CertificateKind kind, bool revoked) =>
        Records.Single(r => r.Kind == kind && (r.Revocation is not null) == revoked);

    private void ThrowIfFailing()
    {
        if (Failing)
        {
            throw new HttpRequestException("authority unreachable");
        }
    }
}
