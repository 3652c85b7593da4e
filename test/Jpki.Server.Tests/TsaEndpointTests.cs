using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Jpki.Authority.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Server.Tests;

/// <summary>
/// <c>POST /tsa</c> of the embedded authority, driven exactly as a user would: <c>openssl ts -query | curl | openssl ts
/// -reply / -verify</c> against the TSA root served at <c>/tsa/tsa-root.cer</c>; refusals as PKIStatus rejections.
/// </summary>
public sealed class TsaEndpointTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 1, 0, 0, TimeSpan.Zero));
    private WebApplication? _app;
    private string _url = string.Empty;

    public async Task InitializeAsync()
    {
        _app = JpkiServerHost.Build(new JpkiServerOptions { DataDirectory = _dir.File("data"), Urls = "http://127.0.0.1:0" }, _clock);
        await _app.StartAsync();
        _url = _app.Urls.First();
        File.WriteAllText(_dir.File("doc.txt"), "転出届\n");
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _dir.Dispose();
    }

    [Fact]
    public async Task Post_OpensslQueryThroughCurl_OpensslVerifiesAgainstServedRoot()
    {
        Assert.Equal(0, OpenSsl.Run("ts", "-query", "-data", _dir.File("doc.txt"), "-sha256", "-cert", "-out", _dir.File("q.tsq")).ExitCode);

        var curl = Curl("-s", "-f", "-H", "Content-Type: application/timestamp-query", "--data-binary", "@" + _dir.File("q.tsq"), _url + "/tsa", "-o", _dir.File("r.tsr"));
        Assert.True(curl.ExitCode == 0, curl.Stderr);
        Assert.Equal(0, Curl("-s", "-f", _url + "/tsa/tsa-root.cer", "-o", _dir.File("root.cer")).ExitCode);
        Assert.Equal(0, OpenSsl.Run("x509", "-inform", "DER", "-in", _dir.File("root.cer"), "-out", _dir.File("root.pem")).ExitCode);

        var reply = OpenSsl.Run("ts", "-reply", "-in", _dir.File("r.tsr"), "-text");
        Assert.Contains("Status: Granted.", reply.Stdout, StringComparison.Ordinal);
        Assert.Contains("Time stamp: Nov 25 01:00:00 2026 GMT", reply.Stdout, StringComparison.Ordinal);
        var verify = OpenSsl.Run("ts", "-verify", "-in", _dir.File("r.tsr"), "-queryfile", _dir.File("q.tsq"), "-CAfile", _dir.File("root.pem"));
        Assert.True(verify.ExitCode == 0, verify.Stderr);
        Assert.Contains("Verification: OK", verify.Stdout, StringComparison.Ordinal);
        using var http = new HttpClient();
        using var get = await http.GetAsync(new Uri(_url + "/tsa"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
    }

    [Theory]
    [InlineData("text/plain", 10, "transaction not permitted or supported")]
    [InlineData("application/timestamp-query", 5000, "the data submitted has the wrong format")]
    [InlineData("application/timestamp-query", 0, "the data submitted has the wrong format")]
    public async Task Post_WrongMediaTypeOrBody_RejectionTheClientCanRead(string mediaType, int length, string failure)
    {
        using var http = new HttpClient();
        using var body = new ByteArrayContent(new byte[length]);
        body.Headers.ContentType = new MediaTypeHeaderValue(mediaType);

        using var response = await http.PostAsync(new Uri(_url + "/tsa"), body);
        File.WriteAllBytes(_dir.File("bad.tsr"), await response.Content.ReadAsByteArrayAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/timestamp-reply", response.Content.Headers.ContentType?.MediaType);
        var reply = OpenSsl.Run("ts", "-reply", "-in", _dir.File("bad.tsr"), "-text");
        Assert.Contains("Status: Rejected.", reply.Stdout, StringComparison.Ordinal);
        Assert.Contains(failure, reply.Stdout, StringComparison.Ordinal);
    }

    private static (int ExitCode, string Stderr) Curl(params string[] args)
    {
        var info = new ProcessStartInfo("curl") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("curl is not installed: run `apt-get install -y curl`.");
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stderr.Result);
    }
}
