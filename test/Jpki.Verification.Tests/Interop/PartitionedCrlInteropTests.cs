using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Authority.Ca;
using Jpki.Authority.Registry;
using Jpki.Authority.Tests.Support;
using Jpki.Core.Identity;
using Jpki.Verification.Revocation;
using Microsoft.Extensions.Time.Testing;
using AuthorityReason = Jpki.Authority.Contracts.RevocationReason;
using AuthorityTempDir = Jpki.Authority.Tests.Support.TempDir;

namespace Jpki.Verification.Tests.Interop;

/// <summary>
/// The authority's partitioned and delta CRLs judged by openssl (<c>openssl verify -crl_check</c>, with and without
/// <c>-use_deltas</c>) and by our verifier, side by side: the same verdict for a good certificate, one revoked in the
/// complete CRL, one revoked only in the delta, a certificate given another partition's CRL (refused by both: openssl says "different CRL scope"), and a
/// certificate issued before partitions (the full CRL).
/// </summary>
[Trait("Category", "Security")]
public sealed class PartitionedCrlInteropTests : IAsyncLifetime
{
    private readonly AuthorityTempDir _dir = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 3, 0, 0, TimeSpan.Zero));
    private readonly InMemoryRegistry _registry = new();
    private readonly InMemoryAuditLog _audit = new();
    private readonly RSA _subjectKey = TestKeys.Load("subject");
    private AuthorityRuntime _runtime = null!;
    private X509Certificate2 _good = null!;
    private X509Certificate2 _revokedInBase = null!;
    private X509Certificate2 _revokedInDelta = null!;
    private X509Certificate2 _otherPartition = null!;
    private X509Certificate2 _legacy = null!;

    private string CaFile => _dir.File("ca.pem");

    public async Task InitializeAsync()
    {
        var options = new AuthorityOptions { CrlPartitionMonths = 12 };
        var authority = new CertificateAuthority(TestKeys.Ca(CertificateKind.Signature), TestKeys.Ca(CertificateKind.Authentication), _registry, _audit, _clock, options);
        _runtime = new AuthorityRuntime(authority, _audit, _dir.File("crl"), [authority.SignCa, authority.AuthCa]);
        await File.WriteAllTextAsync(CaFile, OpenSsl.Pem("CERTIFICATE", authority.AuthCa.CertificateDer));

        // A certificate issued before partitions: its CRL distribution point is the full CRL.
        var legacyAuthority = new CertificateAuthority(authority.SignCa, authority.AuthCa, _registry, _audit, _clock, options with { CrlPartitionMonths = 0 });
        _legacy = await IssueAsync(legacyAuthority, new DateOnly(2031, 2, 17));
        _good = await IssueAsync(authority, new DateOnly(2031, 2, 17));
        _revokedInBase = await IssueAsync(authority, new DateOnly(2031, 5, 1));
        _revokedInDelta = await IssueAsync(authority, new DateOnly(2031, 12, 1));
        _otherPartition = await IssueAsync(authority, new DateOnly(2032, 3, 3));
        await RevokeAsync(authority, _revokedInBase);
        await RevokeAsync(authority, _legacy);
        await _runtime.Crls.PublishAsync(CertificateKind.Authentication, "test", CancellationToken.None);
        await _runtime.Crls.PublishDeltaAsync(CertificateKind.Authentication, "test", CancellationToken.None);
        await RevokeAsync(authority, _revokedInDelta);
        await _runtime.Crls.PublishDeltaAsync(CertificateKind.Authentication, "test", CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _runtime.DisposeAsync();
        _subjectKey.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task GoodCertificate_ItsPartition_BothValid()
    {
        var crls = await FilesAsync((203101, false));

        Assert.Equal("OK", OpenSslVerify(_good, crls, deltas: false));
        Assert.Equal(RevocationState.Good, (await OursAsync(_good, crls)).State);
    }

    [Fact]
    public async Task RevokedInTheCompleteCrl_BothRevoked()
    {
        var crls = await FilesAsync((203101, false), (203101, true));

        Assert.Equal("certificate revoked", OpenSslVerify(_revokedInBase, crls, deltas: true));
        Assert.Equal("certificate revoked", OpenSslVerify(_revokedInBase, crls, deltas: false));
        Assert.Equal(RevocationState.Revoked, (await OursAsync(_revokedInBase, crls)).State);
    }

    [Fact]
    public async Task RevokedAfterTheBase_RevokedWithDeltasOnly()
    {
        var crls = await FilesAsync((203101, false), (203101, true));

        Assert.Equal("certificate revoked", OpenSslVerify(_revokedInDelta, crls, deltas: true));
        Assert.Equal("OK", OpenSslVerify(_revokedInDelta, crls, deltas: false));
        Assert.Equal(RevocationState.Revoked, (await OursAsync(_revokedInDelta, crls)).State);
        Assert.Equal(RevocationState.Good, (await OursAsync(_revokedInDelta, crls, useDeltas: false)).State);
    }

    [Fact]
    public async Task AnotherPartitionsCrl_BothRefuse()
    {
        var crls = await FilesAsync((203101, false), (203101, true));

        Assert.Equal("different CRL scope", OpenSslVerify(_otherPartition, crls, deltas: true));
        var ours = await OursAsync(_otherPartition, crls);
        Assert.Equal(RevocationState.Unknown, ours.State);
        Assert.Contains("does not cover", ours.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CertificateWithoutPartition_FullCrlAndItsDelta()
    {
        var crls = await FilesAsync((0, false), (0, true));

        Assert.Equal("certificate revoked", OpenSslVerify(_legacy, crls, deltas: true));
        Assert.Equal(RevocationState.Revoked, (await OursAsync(_legacy, crls)).State);

        // The full CRL covers every certificate of the CA, partitioned or not; the revocation after the base is in its delta.
        Assert.Equal("certificate revoked", OpenSslVerify(_revokedInDelta, crls, deltas: true));
        Assert.Equal(RevocationState.Revoked, (await OursAsync(_revokedInDelta, crls)).State);
        Assert.Equal("OK", OpenSslVerify(_otherPartition, crls, deltas: true));

        // A partition CRL does not cover the certificate that points at the full CRL.
        var partition = await FilesAsync((203101, false));
        Assert.Equal("different CRL scope", OpenSslVerify(_legacy, partition, deltas: false));
        Assert.Equal(RevocationState.Unknown, (await OursAsync(_legacy, partition)).State);
    }

    private async Task<X509Certificate2> IssueAsync(CertificateAuthority authority, DateOnly expiry)
    {
        var record = await authority.IssueAsync(
            new IssueRequest(CertificateKind.Authentication, _subjectKey.ExportSubjectPublicKeyInfo(), "CARD-X", "HOLDER-X", expiry, null, null, "test"),
            CancellationToken.None);
        return X509CertificateLoader.LoadCertificate(record.Der.Span);
    }

    private async Task RevokeAsync(CertificateAuthority authority, X509Certificate2 certificate)
    {
        Assert.Equal(Jpki.Authority.Contracts.RevokeResult.Revoked, await authority.RevokeAsync(certificate.SerialNumber, AuthorityReason.KeyCompromise, null, "test", CancellationToken.None));
        _clock.Advance(TimeSpan.FromSeconds(1));
    }

    private async Task<string[]> FilesAsync(params (int Partition, bool Delta)[] scopes)
    {
        var files = new List<string>();
        foreach (var (partition, delta) in scopes)
        {
            var crl = await _runtime.Crls.FindAsync(CertificateKind.Authentication, partition, delta, CancellationToken.None);
            Assert.NotNull(crl);
            files.Add(crl.Path);
        }

        return [.. files];
    }

    /// <summary>
    /// openssl's verdict: "OK", or the error text of the leaf (e.g. "certificate revoked"). With
    /// <paramref name="deltas"/>: <c>-extended_crl -use_deltas</c> and every file — openssl 3.0 excludes delta CRLs from
    /// the complete CRLs it chooses among only with <c>-extended_crl</c> (without it, it can take the newer delta for the
    /// complete CRL); without: only the complete CRLs, as a client that knows no deltas fetches.
    /// </summary>
    private string OpenSslVerify(X509Certificate2 certificate, string[] crls, bool deltas)
    {
        var leaf = _dir.File(certificate.SerialNumber + ".pem");
        File.WriteAllText(leaf, certificate.ExportCertificatePem());
        var args = new List<string> { "verify", "-attime", _clock.GetUtcNow().AddMinutes(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), "-CAfile", CaFile, "-crl_check" };
        if (deltas)
        {
            args.AddRange(["-extended_crl", "-use_deltas"]);
        }

        foreach (var crl in crls.Where(c => deltas || !c.EndsWith("-delta.crl", StringComparison.Ordinal)))
        {
            var pem = crl + ".pem";
            File.WriteAllText(pem, OpenSsl.Pem("X509 CRL", File.ReadAllBytes(crl)));
            args.AddRange(["-CRLfile", pem]);
        }

        args.Add(leaf);
        var (exit, stdout, stderr) = OpenSsl.Run([.. args]);
        if (exit == 0)
        {
            Assert.Contains(": OK", stdout, StringComparison.Ordinal);
            return "OK";
        }

        var marker = "lookup: ";
        var at = stderr.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"openssl verify failed without a verification error: {stderr}");
        return stderr[(at + marker.Length)..].Split('\n')[0].Trim();
    }

    private async Task<RevocationStatus> OursAsync(X509Certificate2 certificate, string[] crls, bool useDeltas = true)
    {
        var source = new CrlRevocationSource(new CrlSourceOptions { UseDeltas = useDeltas });
        foreach (var crl in crls)
        {
            source.Add(await File.ReadAllBytesAsync(crl));
        }

        return await source.CheckAsync(certificate, X509CertificateLoader.LoadCertificate(_runtime.Authority.AuthCa.CertificateDer), _clock.GetUtcNow().AddMinutes(1), CancellationToken.None);
    }
}
