using System.Net;
using System.Net.Http.Headers;
using Jpki.Authority.Ca;
using Jpki.Authority.Crl;
using Jpki.Core.Identity;
using Jpki.Server;
using Jpki.Verification.Revocation;
using Microsoft.AspNetCore.Builder;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Ocsp;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace Jpki.Cli.Tests.Commands.Authority;

/// <summary>
/// Issue 12 item 3: a revocation made by another process — here the real <c>jpki authority revoke</c> executable next to a
/// running <c>jpki serve</c> on the same data folder — reaches the server's OCSP answers and its served (delta) CRL of the
/// certificate's partition, without a restart and without anyone asking first.
/// </summary>
[Trait("Category", "Security")]
public sealed class RevocationAcrossProcessesTests : IAsyncLifetime
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("jpki-cli-crossproc-");
    private AuthorityRuntime _runtime = null!;
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        // As `jpki authority init` then `jpki serve` on one data folder (real clock: the other process has one too).
        await AuthorityFolder.InitializeAsync(_directory.FullName, new AuthoritySettings { TestNames = true, OpenSignatureRevocationData = true, CrlPartitionMonths = 12 }, TimeProvider.System, "test", CancellationToken.None);
        _runtime = await AuthorityFolder.OpenAsync(_directory.FullName, TimeProvider.System, CancellationToken.None);
        _app = JpkiServerHost.Build(new JpkiServerOptions { DataDirectory = _directory.FullName, Urls = "http://127.0.0.1:0" }, TimeProvider.System, _runtime);
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_app.Urls.First()), Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _runtime.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Delete(recursive: true);
    }

    [Fact]
    public async Task RevokeInAnotherProcess_ServerOcspAndDeltaCrlShowIt()
    {
        using var subject = System.Security.Cryptography.RSA.Create(2048);
        var record = await _runtime.Authority.IssueAsync(
            new IssueRequest(CertificateKind.Authentication, subject.ExportSubjectPublicKeyInfo(), "CARD-X", "HOLDER-X", DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime).AddYears(2), null, null, "test"),
            CancellationToken.None);
        Assert.NotEqual(0, record.CrlPartition);
        Assert.Equal(0, await OcspStatusAsync(record.SerialHex));
        var invalidated = Event<string>(h => _runtime.Ocsp.Invalidated += h, h => _runtime.Ocsp.Invalidated -= h, s => s == record.SerialHex);
        var published = Event<CertificateKind>(h => _runtime.Crls.Published += h, h => _runtime.Crls.Published -= h, async k =>
            k == CertificateKind.Authentication && await _runtime.Crls.FindAsync(k, record.CrlPartition, delta: true, CancellationToken.None) is { } d
            && CertificateRevocationList.Decode(await File.ReadAllBytesAsync(d.Path)).TryGetEntry(Convert.FromHexString(record.SerialHex), out _));

        var revoke = await JpkiProcess.RunAsync(new Dictionary<string, string>(), TimeSpan.FromSeconds(60), "authority", "revoke", "--data", _directory.FullName, "--serial", record.SerialHex, "--reason", "key-compromise", "--json");
        Assert.True(revoke.ExitCode == 0, revoke.Stderr + revoke.Stdout);

        // OCSP: the feed drops the cached "good" answer; the next answer over HTTP is "revoked".
        await invalidated.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await OcspStatusAsync(record.SerialHex));

        // CRL: the publisher's delta CRL of the certificate's partition lists it, served over HTTP.
        await published.WaitAsync(TimeSpan.FromMinutes(2));
        using var response = await _http.GetAsync(new Uri(CrlPartitions.PathOf("auth", record.CrlPartition, delta: true), UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var delta = CertificateRevocationList.Decode(await response.Content.ReadAsByteArrayAsync());
        Assert.True(delta.IsDelta);
        Assert.True(delta.TryGetEntry(Convert.FromHexString(record.SerialHex), out var entry));
        Assert.Equal(Jpki.Verification.RevocationReason.KeyCompromise, entry.Reason);
    }

    /// <summary>0 good, 1 revoked, 2 unknown, from an OCSP POST (no nonce: the pre-signed path) to the running server.</summary>
    private async Task<int> OcspStatusAsync(string serialHex)
    {
        var issuer = new BcCertificate(_runtime.Authority.AuthCa.CertificateDer);
        var id = new CertificateID(new AlgorithmIdentifier(Org.BouncyCastle.Asn1.Oiw.OiwObjectIdentifiers.IdSha1, DerNull.Instance), issuer, new Org.BouncyCastle.Math.BigInteger(serialHex, 16));
        var generator = new OcspReqGenerator();
        generator.AddRequest(id);
        using var content = new ByteArrayContent(generator.Generate().GetEncoded());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/ocsp-request");
        using var response = await _http.PostAsync(new Uri("/ocsp", UriKind.Relative), content);
        var basic = (BasicOcspResp)new OcspResp(await response.Content.ReadAsByteArrayAsync()).GetResponseObject();
        return basic.Responses[0].GetCertStatus() switch
        {
            null => 0,
            RevokedStatus => 1,
            _ => 2,
        };
    }

    /// <summary>The next event value for which <paramref name="accept"/> holds.</summary>
    private static Task Event<T>(Action<EventHandler<T>> subscribe, Action<EventHandler<T>> unsubscribe, Func<T, bool> accept)
        => Event(subscribe, unsubscribe, (T value) => Task.FromResult(accept(value)));

    private static Task Event<T>(Action<EventHandler<T>> subscribe, Action<EventHandler<T>> unsubscribe, Func<T, Task<bool>> accept)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        EventHandler<T>? handler = null;
        handler = async (_, value) =>
        {
            try
            {
                if (await accept(value))
                {
                    unsubscribe(handler!);
                    done.TrySetResult();
                }
            }
            catch (Exception ex) when (ex is IOException or RevocationDataException)
            {
                // The file was replaced meanwhile: the next publication is looked at.
            }
        };
        subscribe(handler);
        return done.Task;
    }
}
