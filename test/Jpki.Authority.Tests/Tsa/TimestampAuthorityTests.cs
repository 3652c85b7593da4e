using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Jpki.Authority.Audit;
using Jpki.Authority.Keys;
using Jpki.Authority.Tests.Support;
using Jpki.Authority.Tsa;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Authority.Tests.Tsa;

/// <summary>The TSA in-process, judged by openssl ts: tokens it accepts, rejections it parses, and the audit record of every token.</summary>
public sealed class TimestampAuthorityTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 3, 0, 0, 123, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(Now);
    private readonly InMemoryAuditLog _audit = new();
    private readonly TempDir _dir = new();
    private readonly TimestampAuthority _tsa;

    public TimestampAuthorityTests()
    {
        using var rootKey = new SoftwareCaKey(TestKeys.Load("auth-ca"));
        _tsa = TimestampAuthority.Create(rootKey, new SoftwareCaKey(TestKeys.Load("subject")), testNames: true, _audit, _clock);
        File.WriteAllText(_dir.File("root.pem"), OpenSsl.Pem("CERTIFICATE", _tsa.RootCertificate.RawData));
        File.WriteAllText(_dir.File("tsa.pem"), OpenSsl.Pem("CERTIFICATE", _tsa.Certificate.RawData));
        File.WriteAllText(_dir.File("doc.txt"), "転入届 2026-11-25\n");
    }

    public void Dispose()
    {
        _tsa.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Respond_OpensslQuery_OpensslVerifiesTheToken()
    {
        var query = Query("-data", _dir.File("doc.txt"), "-sha256", "-cert");

        var answer = await _tsa.RespondAsync(query, CancellationToken.None);
        File.WriteAllBytes(_dir.File("r.tsr"), answer.Der);

        Assert.True(answer.Granted);
        var verify = OpenSsl.Run("ts", "-verify", "-in", _dir.File("r.tsr"), "-queryfile", _dir.File("q.tsq"), "-CAfile", _dir.File("root.pem"));
        Assert.True(verify.ExitCode == 0, verify.Stderr);
        Assert.Contains("Verification: OK", verify.Stdout, StringComparison.Ordinal);
        var byData = OpenSsl.Run("ts", "-verify", "-in", _dir.File("r.tsr"), "-data", _dir.File("doc.txt"), "-CAfile", _dir.File("root.pem"));
        Assert.True(byData.ExitCode == 0, byData.Stderr);
    }

    [Fact]
    public async Task Respond_GrantedAndRefused_LogTheTokenSerialAndTheFailure()
    {
        var logs = new CollectingLoggerProvider();
        _tsa.Logger = logs.CreateLogger("Jpki.Authority.Tsa");

        var granted = await _tsa.RespondAsync(Query("-data", _dir.File("doc.txt"), "-sha256"), CancellationToken.None);
        var refused = await _tsa.RespondAsync(Query("-data", _dir.File("doc.txt"), "-sha1"), CancellationToken.None);

        Assert.True(granted.Granted);
        var issued = Assert.Single(logs.Of(4130));
        Assert.Equal((granted.Serial.ToString(), "SHA256"), (issued.Values["Serial"], issued.Values["Algorithm"]));
        Assert.Equal(TimestampFailure.BadAlgorithm.ToString(), Assert.Single(logs.Of(4131)).Values["Failure"]);
        Assert.False(refused.Granted);
    }

    [Fact]
    public async Task Respond_Granted_TokenCarriesClockTimeAccuracyPolicyNonceAndAuditSerial()
    {
        _ = await _tsa.RespondAsync(Query("-data", _dir.File("doc.txt"), "-sha256"), CancellationToken.None);
        var query = Query("-data", _dir.File("doc.txt"), "-sha512", "-cert");

        var answer = await _tsa.RespondAsync(query, CancellationToken.None);
        File.WriteAllBytes(_dir.File("r.tsr"), answer.Der);
        var text = OpenSsl.Run("ts", "-reply", "-in", _dir.File("r.tsr"), "-text").Stdout;

        Assert.Equal(2, answer.Serial);
        Assert.Contains("Status: Granted.", text, StringComparison.Ordinal);
        Assert.Contains("Serial number: 0x02", text, StringComparison.Ordinal);
        Assert.Contains("Time stamp: Nov 25 03:00:00.123 2026 GMT", text, StringComparison.Ordinal);
        Assert.Contains("Accuracy: 0x01 seconds", text, StringComparison.Ordinal);
        Assert.Contains("Policy OID: " + TimestampAuthorityOptions.DefaultPolicy, text, StringComparison.Ordinal);
        Assert.Contains("Hash Algorithm: sha512", text, StringComparison.Ordinal);
        var queryText = OpenSsl.Run("ts", "-query", "-in", _dir.File("q.tsq"), "-text").Stdout;
        var nonce = queryText.Split('\n').Single(l => l.StartsWith("Nonce:", StringComparison.Ordinal));
        Assert.Contains(nonce, text, StringComparison.Ordinal);
        var entry = _audit.Entries[1];
        Assert.Equal("tsa.stamp", entry.Action);
        Assert.Equal("SHA512:" + Convert.ToHexString(SHA512.HashData(File.ReadAllBytes(_dir.File("doc.txt")))), entry.Subject);
        Assert.Equal(Now, entry.At);
    }

    [Fact]
    public async Task Respond_RequestedPolicyOfThisTsa_Honoured_OtherPolicyRejected()
    {
        var ours = await _tsa.RespondAsync(Query("-data", _dir.File("doc.txt"), "-tspolicy", TimestampAuthorityOptions.DefaultPolicy), CancellationToken.None);
        var other = await _tsa.RespondAsync(Query("-data", _dir.File("doc.txt"), "-tspolicy", "1.2.3.4.5"), CancellationToken.None);
        File.WriteAllBytes(_dir.File("r.tsr"), other.Der);

        Assert.True(ours.Granted);
        Assert.False(other.Granted);
        Assert.Equal(TimestampFailure.UnacceptedPolicy, other.Failure);
        var text = OpenSsl.Run("ts", "-reply", "-in", _dir.File("r.tsr"), "-text").Stdout;
        Assert.Contains("Status: Rejected.", text, StringComparison.Ordinal);
        Assert.Contains("Failure info: the requested TSA policy is not supported by the TSA", text, StringComparison.Ordinal);
        Assert.Single(_audit.Entries);
    }

    [Fact]
    public async Task Respond_WithoutCertReq_TokenWithoutCertificate_OpensslNeedsTheTsaCertificateGiven()
    {
        var answer = await _tsa.RespondAsync(Query("-data", _dir.File("doc.txt"), "-no_nonce"), CancellationToken.None);
        File.WriteAllBytes(_dir.File("r.tsr"), answer.Der);
        var token = TokenOf(answer.Der);

        Assert.Empty(token.AsSignedCms().Certificates);
        Assert.Null(token.TokenInfo.GetNonce());
        var withCertificate = OpenSsl.Run("ts", "-verify", "-in", _dir.File("r.tsr"), "-queryfile", _dir.File("q.tsq"), "-CAfile", _dir.File("root.pem"), "-untrusted", _dir.File("tsa.pem"));
        Assert.True(withCertificate.ExitCode == 0, withCertificate.Stderr);
    }

    [Fact]
    public async Task Respond_ForgedToken_OpensslRefusesWrongImprintAndNonTsaSigner()
    {
        var answer = await _tsa.RespondAsync(Query("-data", _dir.File("doc.txt"), "-cert"), CancellationToken.None);
        File.WriteAllBytes(_dir.File("r.tsr"), answer.Der);
        File.WriteAllText(_dir.File("other.txt"), "別の書類\n");

        var wrongData = OpenSsl.Run("ts", "-verify", "-in", _dir.File("r.tsr"), "-data", _dir.File("other.txt"), "-CAfile", _dir.File("root.pem"));

        Assert.NotEqual(0, wrongData.ExitCode);
        Assert.Contains("message imprint mismatch", wrongData.Stderr, StringComparison.Ordinal);
    }

    public static TheoryData<string, TimestampFailure> Malformed => new()
    {
        { "empty", TimestampFailure.BadDataFormat },
        { "garbage", TimestampFailure.BadDataFormat },
        { "truncated", TimestampFailure.BadDataFormat },
        { "trailing", TimestampFailure.BadDataFormat },
        { "sha1", TimestampFailure.BadAlgorithm },
        { "short-imprint", TimestampFailure.BadDataFormat },
        { "extension", TimestampFailure.UnacceptedExtension },
        { "version2", TimestampFailure.BadDataFormat },
        { "oversized", TimestampFailure.BadDataFormat },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task Respond_BadRequest_RejectionWithFailureBit_OpensslReadsIt(string kind, TimestampFailure expected)
    {
        var good = Query("-data", _dir.File("doc.txt"));
        byte[] request = kind switch
        {
            "empty" => [],
            "garbage" => "POST /tsa HTTP/1.1"u8.ToArray(),
            "truncated" => good[..(good.Length / 2)],
            "trailing" => [.. good, 0x00],
            "sha1" => Query("-data", _dir.File("doc.txt"), "-sha1"),
            "short-imprint" => Request(version: 1, SHA256.HashData("x"u8)[..20], extension: false),
            "extension" => Request(version: 1, SHA256.HashData("x"u8), extension: true),
            "version2" => Request(version: 2, SHA256.HashData("x"u8), extension: false),
            _ => new byte[5000],
        };

        var answer = await _tsa.RespondAsync(request, CancellationToken.None);
        File.WriteAllBytes(_dir.File("r.tsr"), answer.Der);

        Assert.False(answer.Granted);
        Assert.Equal(expected, answer.Failure);
        Assert.Empty(_audit.Entries);
        var text = OpenSsl.Run("ts", "-reply", "-in", _dir.File("r.tsr"), "-text");
        Assert.True(text.ExitCode == 0, text.Stderr);
        Assert.Contains("Status: Rejected.", text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Respond_AuditLogDown_SystemFailureAndNoToken()
    {
        using var rootKey = new SoftwareCaKey(TestKeys.Load("auth-ca"));
        using var tsa = TimestampAuthority.Create(rootKey, new SoftwareCaKey(TestKeys.Load("subject")), testNames: true, new FailingAuditLog(), _clock);

        var answer = await tsa.RespondAsync(Query("-data", _dir.File("doc.txt")), CancellationToken.None);

        Assert.False(answer.Granted);
        Assert.Equal(TimestampFailure.SystemFailure, answer.Failure);
        Assert.Null(answer.Serial);
    }

    [Fact]
    public void Create_CertificateWithoutTimeStampingUsage_Refused()
    {
        using var rsa = TestKeys.Load("subject");
        var request = new CertificateRequest("CN=not a TSA", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var self = request.CreateSelfSigned(Now.AddDays(-1), Now.AddYears(1));
        using var unit = new SoftwareCaKey(TestKeys.Load("subject"));

        Assert.Throws<ArgumentException>(() => new TimestampAuthority(unit, self.RawData, self.RawData, _audit, _clock));
    }

    private byte[] Query(params string[] args)
    {
        var run = OpenSsl.Run(["ts", "-query", .. args, "-out", _dir.File("q.tsq")]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        return File.ReadAllBytes(_dir.File("q.tsq"));
    }

    /// <summary>A TimeStampReq written by hand, for the shapes openssl will not produce.</summary>
    private static byte[] Request(int version, byte[] imprint, bool extension)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(version);
            using (writer.PushSequence())
            {
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier("2.16.840.1.101.3.4.2.1");
                }

                writer.WriteOctetString(imprint);
            }

            if (extension)
            {
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier("1.2.3.4");
                    writer.WriteOctetString([0x05, 0x00]);
                }
            }
        }

        return writer.Encode();
    }

    private static Rfc3161TimestampToken TokenOf(byte[] response)
    {
        var outer = new AsnReader(response, AsnEncodingRules.DER).ReadSequence();
        _ = outer.ReadEncodedValue();
        Assert.True(Rfc3161TimestampToken.TryDecode(outer.ReadEncodedValue(), out var token, out _));
        return token!;
    }

    private sealed class FailingAuditLog : IAuditLog
    {
        public Task<long> AppendAsync(AuditEntry entry, CancellationToken cancellationToken) => throw new IOException("disk full");

        public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken) => throw new IOException("disk full");
    }
}
