using System.Security.Cryptography.X509Certificates;
using System.Text;
using Jpki.Signing.Cades;
using Jpki.Signing.Tests.Support;
using Jpki.Verification.Signatures;

namespace Jpki.Signing.Tests.Cades;

/// <summary>
/// CAdES at every baseline level against the real authority and TSA: our validator and <c>openssl cms -verify</c>
/// accept each level; B-LT validates from the embedded data alone; a time-stamped signature made before its
/// certificate was revoked still validates, a bare one does not. Run with both profiles: today's RSA authority and
/// key (<see cref="CadesLevelTests"/>), and a next-generation P-384 authority with the signature made on a
/// next-generation card (<see cref="CadesLevelNextGenerationTests"/>; the TSA is the folder's).
/// </summary>
public abstract class CadesLevelTestsBase
{
    private protected static readonly byte[] Document = Encoding.UTF8.GetBytes("住民票の写しの交付請求 2026-11-25\r\n");

    private protected readonly SigningAuthority _pki;

    private protected CadesLevelTestsBase(SigningAuthority pki) => _pki = pki;

    public static TheoryData<string> Levels => ["B-B", "B-T", "B-LT", "B-LTA"];

    [Theory]
    [MemberData(nameof(Levels))]
    public async Task SignAndAugment_EachLevel_TotalPassedAndOpensslCmsVerifyAccepts(string levelName)
    {
        Assert.True(CadesLevels.TryParse(levelName, out var level));
        var certificate = await _pki.IssueAsync();

        var signature = await SignAsync(certificate, level);
        var report = await _pki.Validator().ValidateAsync(new SignedDocument(DocumentSource.FromBytes(Document), DocumentSource.FromBytes(signature)));

        var single = Assert.Single(report.Signatures);
        Assert.True(single.IsValid, $"{single.Indication}/{single.SubIndication}: {single.Message}");
        Assert.Equal(levelName, single.Level);
        Assert.Equal("CAdES", report.Format);
        Assert.Equal(level >= CadesLevel.BaselineT, single.BestSignatureTimeProven);
        Assert.All(single.Timestamps, t => Assert.Equal(Indication.TotalPassed, t.Indication));
        Assert.Equal(level == CadesLevel.BaselineLta ? 2 : level >= CadesLevel.BaselineT ? 1 : 0, single.Timestamps.Count);

        var dir = _pki.Dir;
        File.WriteAllBytes(dir.File($"doc-{levelName}.txt"), Document);
        File.WriteAllBytes(dir.File($"sig-{levelName}.p7s"), signature);
        File.WriteAllText(dir.File("signca.pem"), _pki.SignCa.ExportCertificatePem());
        var openssl = OpenSsl.Run("cms", "-verify", "-binary", "-inform", "DER", "-in", dir.File($"sig-{levelName}.p7s"), "-content", dir.File($"doc-{levelName}.txt"), "-CAfile", dir.File("signca.pem"), "-purpose", "any", "-out", dir.File($"out-{levelName}.txt"));
        Assert.True(openssl.ExitCode == 0, openssl.Stderr);
        Assert.Contains("Verification successful", openssl.Stderr, StringComparison.Ordinal);
    }

    /// <summary>
    /// openssl's own signature, made with a software key of the profile (RSA-2048 and SHA-256 today; ECDSA P-384 and SHA-384
    /// with the next generation), augmented by us to B-LTA: our validator passes it, openssl still verifies it, and both
    /// refuse it over a changed document.
    /// </summary>
    [Fact]
    public async Task Augment_OpensslCmsSignature_ToBLta_ValidatesAndOpensslStillAccepts_ChangedDocumentRefused()
    {
        var certificate = await _pki.IssueForSoftwareKeyAsync();
        var dir = _pki.Dir;
        File.WriteAllBytes(dir.File("o-doc.txt"), Document);
        File.WriteAllText(dir.File("o-signer.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(dir.File("o-signer.key"), _pki.SoftwareKey.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(dir.File("signca.pem"), _pki.SignCa.ExportCertificatePem());
        var sign = OpenSsl.Run("cms", "-sign", "-binary", "-md", _pki.IsNextGeneration ? "sha384" : "sha256", "-cades", "-in", dir.File("o-doc.txt"), "-signer", dir.File("o-signer.pem"), "-inkey", dir.File("o-signer.key"), "-outform", "DER", "-out", dir.File("o-sig.p7s"));
        Assert.True(sign.ExitCode == 0, sign.Stderr);
        Assert.Contains(_pki.IsNextGeneration ? "ecdsa-with-SHA384" : "rsaEncryption", OpenSsl.Run("cms", "-cmsout", "-print", "-inform", "DER", "-in", dir.File("o-sig.p7s")).Stdout, StringComparison.Ordinal);

        var augmented = await _pki.Augmenter().AugmentAsync(File.ReadAllBytes(dir.File("o-sig.p7s")), CadesLevel.BaselineLta, Document, CancellationToken.None);
        File.WriteAllBytes(dir.File("o-lta.p7s"), augmented.Signature);
        var report = await _pki.Validator().ValidateAsync(Detached(augmented.Signature));

        Assert.True(report.IsValid, report.Signatures[0].Message);
        Assert.Equal("B-LTA", report.Signatures[0].Level);
        var verify = OpenSsl.Run("cms", "-verify", "-binary", "-inform", "DER", "-in", dir.File("o-lta.p7s"), "-content", dir.File("o-doc.txt"), "-CAfile", dir.File("signca.pem"), "-purpose", "any", "-out", dir.File("o-out.txt"));
        Assert.True(verify.ExitCode == 0, verify.Stderr);

        var changed = Encoding.UTF8.GetBytes("住民票の写しの交付請求 2026-11-26\r\n");
        File.WriteAllBytes(dir.File("o-doc-changed.txt"), changed);
        Assert.NotEqual(0, OpenSsl.Run("cms", "-verify", "-binary", "-inform", "DER", "-in", dir.File("o-lta.p7s"), "-content", dir.File("o-doc-changed.txt"), "-CAfile", dir.File("signca.pem"), "-purpose", "any", "-out", dir.File("o-out2.txt")).ExitCode);
        var refused = Assert.Single((await _pki.Validator().ValidateAsync(new SignedDocument(DocumentSource.FromBytes(changed), DocumentSource.FromBytes(augmented.Signature)))).Signatures);
        Assert.False(refused.IsValid);
    }

    [Fact]
    public async Task BLt_ValidatedWithoutAnyOnlineSource_PassesFromEmbeddedData_BTDoesNot()
    {
        var certificate = await _pki.IssueAsync();
        var lt = await SignAsync(certificate, CadesLevel.BaselineLt);
        var t = await SignAsync(certificate, CadesLevel.BaselineT);

        var offlineLt = await _pki.Validator(online: false).ValidateAsync(Detached(lt));
        var offlineT = await _pki.Validator(online: false).ValidateAsync(Detached(t));

        Assert.True(offlineLt.IsValid, offlineLt.Signatures[0].Message);
        Assert.True(offlineLt.Signatures[0].Embedded.OcspResponses + offlineLt.Signatures[0].Embedded.Crls > 0);
        Assert.Equal(Indication.Indeterminate, offlineT.Signatures[0].Indication);
        Assert.Equal(SubIndication.TryLater, offlineT.Signatures[0].SubIndication);
    }

    [Fact]
    public async Task RevokedAfterSigning_TimestampedSignaturesStillPass_BareSignatureRevokedNoPoe()
    {
        var certificate = await _pki.IssueAsync();
        var bare = await SignAsync(certificate, CadesLevel.BaselineB);
        var lta = await SignAsync(certificate, CadesLevel.BaselineLta);
        var t = await SignAsync(certificate, CadesLevel.BaselineT);

        _pki.Clock.Advance(TimeSpan.FromHours(2));
        await _pki.RevokeAsync(certificate, SigningAuthority.Start.AddHours(1));
        var bareReport = (await _pki.Validator().ValidateAsync(Detached(bare))).Signatures[0];
        var ltaReport = (await _pki.Validator().ValidateAsync(Detached(lta))).Signatures[0];
        var tReport = (await _pki.Validator().ValidateAsync(Detached(t))).Signatures[0];

        Assert.Equal(Indication.Indeterminate, bareReport.Indication);
        Assert.Equal(SubIndication.RevokedNoPoe, bareReport.SubIndication);
        Assert.True(ltaReport.IsValid, ltaReport.Message);
        Assert.True(tReport.IsValid, tReport.Message);
        Assert.True(ltaReport.BestSignatureTime < SigningAuthority.Start.AddHours(1));
    }

    private protected async Task<byte[]> SignAsync(X509Certificate2 certificate, CadesLevel level)
    {
        var signature = CadesSigner.Sign(Document, _pki.Signer(certificate), _pki.Clock.GetUtcNow());
        var result = await _pki.Augmenter().AugmentAsync(signature, level, Document, CancellationToken.None);
        Assert.Empty(result.Problems);
        return result.Signature;
    }

    private protected static SignedDocument Detached(byte[] signature) => new(DocumentSource.FromBytes(Document), DocumentSource.FromBytes(signature));
}

/// <summary>CAdES levels with today's RSA authority and a software RSA key (openssl's signature made with it, too).</summary>
public sealed class CadesLevelTests(SigningAuthority pki) : CadesLevelTestsBase(pki), IClassFixture<SigningAuthority>;

/// <summary>CAdES levels with a next-generation authority (P-384) and the signature made on a next-generation card.</summary>
public sealed class CadesLevelNextGenerationTests(NextGenerationSigningAuthority pki) : CadesLevelTestsBase(pki), IClassFixture<NextGenerationSigningAuthority>
{
    [Fact]
    public async Task BLta_SignatureIsEcdsaWithSha384_OpensslTsVerifiesTheArchiveTimestamp()
    {
        var certificate = await _pki.IssueAsync();
        Assert.Contains("P-384", OpenSsl.Run("x509", "-noout", "-text", "-in", Pem(certificate)).Stdout, StringComparison.Ordinal);
        var lta = await SignAsync(certificate, CadesLevel.BaselineLta);
        var dir = _pki.Dir;
        File.WriteAllBytes(dir.File("ng-lta.p7s"), lta);
        var printed = OpenSsl.Run("cms", "-cmsout", "-print", "-inform", "DER", "-in", dir.File("ng-lta.p7s")).Stdout;
        Assert.Contains("ecdsa-with-SHA384", printed, StringComparison.Ordinal);

        // The signature time-stamp token (unsigned attribute id-aa-signatureTimeStampToken) judged by openssl ts -verify
        // against the signature value it stamps and the TSA root.
        var (token, imprintData) = SignatureTimestamp(lta);
        File.WriteAllBytes(dir.File("ng-tst.der"), token);
        File.WriteAllBytes(dir.File("ng-sigvalue.bin"), imprintData);
        File.WriteAllText(dir.File("tsa-root.pem"), _pki.TsaRoot.ExportCertificatePem());
        var ts = OpenSsl.Run("ts", "-verify", "-token_in", "-in", dir.File("ng-tst.der"), "-data", dir.File("ng-sigvalue.bin"), "-CAfile", dir.File("tsa-root.pem"));
        Assert.True(ts.ExitCode == 0 && ts.Stdout.Contains("Verification: OK", StringComparison.Ordinal), ts.Stdout + ts.Stderr);
        imprintData[5] ^= 0x01;
        File.WriteAllBytes(dir.File("ng-sigvalue-flipped.bin"), imprintData);
        Assert.NotEqual(0, OpenSsl.Run("ts", "-verify", "-token_in", "-in", dir.File("ng-tst.der"), "-data", dir.File("ng-sigvalue-flipped.bin"), "-CAfile", dir.File("tsa-root.pem")).ExitCode);
    }

    private string Pem(X509Certificate2 certificate)
    {
        var path = _pki.Dir.File("ng-signer.pem");
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return path;
    }

    /// <summary>The first signer's signature time-stamp token and the signature value it covers (ETSI EN 319 122-1 §5.3).</summary>
    private static (byte[] Token, byte[] SignatureValue) SignatureTimestamp(byte[] cms)
    {
        var signed = new System.Security.Cryptography.Pkcs.SignedCms();
        signed.Decode(cms);
        var signer = signed.SignerInfos[0];
        var attribute = signer.UnsignedAttributes.Cast<System.Security.Cryptography.CryptographicAttributeObject>().First(a => a.Oid.Value == "1.2.840.113549.1.9.16.2.14");
        return (attribute.Values[0].RawData, signer.GetSignature());
    }
}
