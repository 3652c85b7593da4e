using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Jpki.Signing.Cades;
using Jpki.Signing.Tests.Support;
using Jpki.Verification.Cades;
using Jpki.Verification.Signatures;

namespace Jpki.Signing.Tests.Cades;

/// <summary>
/// What must be refused: a changed document, truncated or garbled CMS, a time-stamp over other data, a time-stamp
/// signed by a certificate that is not a TSA's — each a clear negative verdict from our validator (never an
/// exception), and refused by openssl ts too where openssl can judge it.
/// </summary>
public sealed class CadesBadInputTests : IClassFixture<SigningAuthority>
{
    private static readonly byte[] Document = Encoding.UTF8.GetBytes("印鑑登録証明書の交付請求\r\n");

    private readonly SigningAuthority _pki;

    public CadesBadInputTests(SigningAuthority pki) => _pki = pki;

    [Fact]
    public async Task Validate_DocumentChangedAfterSigning_TotalFailedHashFailure()
    {
        var signature = await SignAsync(CadesLevel.BaselineT);

        var report = await _pki.Validator().ValidateAsync(new SignedDocument(DocumentSource.FromBytes("印鑑登録証明書の交付請求!\r\n"u8.ToArray()), DocumentSource.FromBytes(signature)));

        var single = Assert.Single(report.Signatures);
        Assert.Equal(Indication.TotalFailed, single.Indication);
        Assert.Equal(SubIndication.HashFailure, single.SubIndication);
        Assert.Equal("content-tampered", single.Verdict);
    }

    [Fact]
    public async Task Validate_TruncatedAndGarbledCms_NegativeVerdictNeverException()
    {
        var signature = await SignAsync(CadesLevel.BaselineLta);
        var validator = _pki.Validator(online: false);
        List<byte[]> truncated = [[], [0x30], [0x30, 0x80], "not a signature"u8.ToArray()];
        for (var length = 1; length < signature.Length; length += Math.Max(1, signature.Length / 60))
        {
            truncated.Add(signature[..length]);
        }

        foreach (var input in truncated)
        {
            var report = await validator.ValidateAsync(Detached(input));
            Assert.False(report.IsValid, $"A signature cut to {input.Length} bytes validated.");
        }

        // Bit flips: nearly every byte of a B-LTA signature is covered by a signature, a hash or the archive
        // time-stamp's hash index; the few that are not (e.g. SignedData.digestAlgorithms) may validate, and must not throw.
        var random = new Random(15);
        var refused = 0;
        for (var i = 0; i < 60; i++)
        {
            var flipped = (byte[])signature.Clone();
            flipped[random.Next(flipped.Length)] ^= (byte)(1 << random.Next(8));
            refused += (await validator.ValidateAsync(Detached(flipped))).IsValid ? 0 : 1;
        }

        Assert.True(refused >= 55, $"Only {refused} of 60 bit-flipped signatures were refused.");
    }

    [Fact]
    public async Task Validate_SignatureTimestampOverOtherData_TimestampHashFailure_SignatureIndeterminate_OpensslRefusesToken()
    {
        var signature = await SignAsync(CadesLevel.BaselineB);
        var wrong = await _pki.Augmenter().AugmentAsync(await SignAsync(CadesLevel.BaselineB, "別の書類"u8.ToArray()), CadesLevel.BaselineT, "別の書類"u8.ToArray(), CancellationToken.None);
        var foreignToken = SignatureTimestampOf(wrong.Signature);
        var forged = WithSignatureTimestamp(signature, foreignToken);

        var report = (await _pki.Validator().ValidateAsync(Detached(forged))).Signatures[0];

        Assert.Equal(Indication.Indeterminate, report.Indication);
        Assert.Equal(SubIndication.SigConstraintsFailure, report.SubIndication);
        Assert.Equal("bad-timestamp", report.Verdict);
        var timestamp = Assert.Single(report.Timestamps);
        Assert.Equal(Indication.TotalFailed, timestamp.Indication);
        Assert.Equal(SubIndication.HashFailure, timestamp.SubIndication);
        Assert.False(timestamp.UsedAsProof);

        var dir = _pki.Dir;
        File.WriteAllBytes(dir.File("foreign.tst"), foreignToken);
        File.WriteAllText(dir.File("tsaroot.pem"), _pki.TsaRoot.ExportCertificatePem());
        var digest = Convert.ToHexString(SHA256.HashData(SignedDataView.Read(signature).SignerInfos[0].SignatureValue));
        var openssl = OpenSsl.Run("ts", "-verify", "-token_in", "-in", dir.File("foreign.tst"), "-digest", digest, "-CAfile", dir.File("tsaroot.pem"));
        Assert.NotEqual(0, openssl.ExitCode);
        Assert.Contains("message imprint mismatch", openssl.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_SignatureTimestampSignedByNonTsaCertificate_Refused_OpensslRefusesToken()
    {
        var certificate = await _pki.IssueAsync();
        var signature = await SignAsync(CadesLevel.BaselineB, Document, certificate);
        var signatureValue = SignedDataView.Read(signature).SignerInfos[0].SignatureValue;
        var token = NonTsaToken(SHA256.HashData(signatureValue), certificate);

        var report = (await _pki.Validator().ValidateAsync(Detached(WithSignatureTimestamp(signature, token)))).Signatures[0];

        var timestamp = Assert.Single(report.Timestamps);
        Assert.True(timestamp.Indication == Indication.Indeterminate, timestamp.Message);
        Assert.Equal(SubIndication.ChainConstraintsFailure, timestamp.SubIndication);
        Assert.Contains("not a TSA certificate", timestamp.Message, StringComparison.Ordinal);
        Assert.Equal(Indication.Indeterminate, report.Indication);
        Assert.Equal(SubIndication.SigConstraintsFailure, report.SubIndication);

        var dir = _pki.Dir;
        File.WriteAllBytes(dir.File("nontsa.tst"), token);
        File.WriteAllText(dir.File("signca.pem"), _pki.SignCa.ExportCertificatePem());
        var openssl = OpenSsl.Run("ts", "-verify", "-token_in", "-in", dir.File("nontsa.tst"), "-digest", Convert.ToHexString(SHA256.HashData(signatureValue)), "-CAfile", dir.File("signca.pem"));
        Assert.NotEqual(0, openssl.ExitCode);
    }

    [Fact]
    public async Task Validate_UntrustedTsa_TimestampNotUsedAsProof_SignatureJudgedAtValidationTime()
    {
        var signature = await SignAsync(CadesLevel.BaselineT);
        var validator = new SignatureValidator(new Jpki.Verification.JpkiVerifier(_pki.Trust(), [new Jpki.Verification.Revocation.OcspRevocationSource(_pki.Http, _pki.Clock, new() { ResponderUri = new Uri(_pki.Base, "/ocsp") })], _pki.Clock));

        var report = (await validator.ValidateAsync(Detached(signature))).Signatures[0];

        Assert.True(report.IsValid, report.Message);
        Assert.False(report.BestSignatureTimeProven);
        Assert.Equal(SubIndication.NoCertificateChainFound, Assert.Single(report.Timestamps).SubIndication);
    }

    [Fact]
    public async Task Validate_NotASignature_ReportWithoutSignatures()
    {
        var report = await _pki.Validator().ValidateAsync(new SignedDocument(DocumentSource.FromBytes("住民票の写しの交付請求書 (plain text)"u8.ToArray())));

        Assert.Equal("unknown", report.Format);
        Assert.Empty(report.Signatures);
        Assert.False(report.IsValid);
        Assert.NotNull(report.Message);
    }

    [Fact]
    public async Task ReportJson_EtsiSpellings()
    {
        var report = await _pki.Validator().ValidateAsync(Detached(await SignAsync(CadesLevel.BaselineT)));

        var json = ValidationReportJson.Serialize(report);

        Assert.Contains("\"indication\": \"TOTAL-PASSED\"", json, StringComparison.Ordinal);
        Assert.Contains("\"kind\": \"signature-timestamp\"", json, StringComparison.Ordinal);
        Assert.Contains("\"bestSignatureTime\"", json, StringComparison.Ordinal);
        Assert.Contains("太郎", json, StringComparison.Ordinal);
    }

    private async Task<byte[]> SignAsync(CadesLevel level, byte[]? document = null, X509Certificate2? certificate = null)
    {
        document ??= Document;
        certificate ??= await _pki.IssueAsync();
        var signature = CadesSigner.Sign(document, _pki.Signer(certificate), _pki.Clock.GetUtcNow());
        return (await _pki.Augmenter().AugmentAsync(signature, level, document, CancellationToken.None)).Signature;
    }

    private static SignedDocument Detached(byte[] signature) => new(DocumentSource.FromBytes(Document), DocumentSource.FromBytes(signature));

    private static byte[] SignatureTimestampOf(byte[] signature)
        => SignedDataView.Read(signature).SignerInfos[0].UnsignedAttributes.Single(a => a.Type == CadesOids.SignatureTimeStamp).Values[0].ToArray();

    private static byte[] WithSignatureTimestamp(byte[] signature, byte[] token)
    {
        var view = SignedDataView.Read(signature);
        return view.Rewrite(view.Certificates, view.Crls, 0, [AttributeView.Encode(CadesOids.SignatureTimeStamp, token)]);
    }

    /// <summary>A well-formed time-stamp token over <paramref name="imprint"/>, signed by the citizen's key: not a TSA.</summary>
    private byte[] NonTsaToken(byte[] imprint, X509Certificate2 signer)
    {
        var info = new Rfc3161TimestampTokenInfo(new Oid("1.2.3.4"), new Oid("2.16.840.1.101.3.4.2.1"), imprint, new byte[] { 0x01 }, _pki.Clock.GetUtcNow());
        var cms = new SignedCms(new ContentInfo(new Oid("1.2.840.113549.1.9.16.1.4"), info.Encode()), detached: false);
        var cmsSigner = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, signer, _pki.SubjectKey) { DigestAlgorithm = new Oid("2.16.840.1.101.3.4.2.1"), IncludeOption = X509IncludeOption.EndCertOnly };
        cmsSigner.SignedAttributes.Add(new AsnEncodedData(Jpki.Core.Cms.SigningCertificateV2.Oid, Jpki.Core.Cms.SigningCertificateV2.Encode(signer)));
        cms.ComputeSignature(cmsSigner, silent: true);
        return cms.Encode();
    }
}
