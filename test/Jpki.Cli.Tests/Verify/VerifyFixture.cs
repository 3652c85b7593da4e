using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Verification.Certificates;

namespace Jpki.Cli.Tests.Verify;

/// <summary>A temp directory with a JPKI-like root, sign and auth certificates, a CRL and a signed document.</summary>
public sealed class VerifyFixture : IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 3, 0, 0, TimeSpan.Zero);

    public VerifyFixture()
    {
        Directory.CreateDirectory(Dir);
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("C=JP, O=JPKI-TEST, OU=CLI test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var ca = caRequest.CreateSelfSigned(Now.AddYears(-1), Now.AddYears(5));
        File.WriteAllText(TrustPem, ca.ExportCertificatePem());

        SignCertificate = Issue(ca, caKey, JpkiOids.SignPolicy, X509KeyUsageFlags.NonRepudiation | X509KeyUsageFlags.DigitalSignature, 0x11, withBasicFour: true);
        AuthCertificate = Issue(ca, caKey, JpkiOids.AuthPolicy, X509KeyUsageFlags.DigitalSignature, 0x22, withBasicFour: false);
        File.WriteAllText(AuthPem, AuthCertificate.ExportCertificatePem());

        var crl = new CertificateRevocationListBuilder();
        File.WriteAllBytes(CrlPath, crl.Build(ca, BigInteger.One, Now.AddDays(7), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, Now.AddDays(-1)));

        // A newer CRL (#2) that lists the signature certificate: issue 12's rollback case needs both.
        var revoked = new CertificateRevocationListBuilder();
        revoked.AddEntry(SignCertificate, Now.AddHours(-1), X509RevocationReason.KeyCompromise);
        File.WriteAllBytes(RevokedCrlPath, revoked.Build(ca, new BigInteger(2), Now.AddDays(7), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, Now.AddMinutes(-30)));

        File.WriteAllBytes(Document, "申請書"u8.ToArray());
        File.WriteAllBytes(AttachedSignature, Jpki.Verification.Cms.CmsSignatureBuilder.Sign(File.ReadAllBytes(Document), SignCertificate, SubjectKey, detached: false, Now.AddMinutes(-5)));
        File.WriteAllBytes(Signature, Jpki.Verification.Cms.CmsSignatureBuilder.Sign(File.ReadAllBytes(Document), SignCertificate, SubjectKey, detached: true, Now.AddMinutes(-5)));
    }

    public string Dir { get; } = Path.Combine(Path.GetTempPath(), "jpki-cli-verify-" + Guid.NewGuid().ToString("N"));

    public string TrustPem => Path.Combine(Dir, "ca.pem");

    public string AuthPem => Path.Combine(Dir, "auth.pem");

    public string CrlPath => Path.Combine(Dir, "ca.crl");

    /// <summary>CRL #2 of the CA, listing the signature certificate (keyCompromise, an hour before <see cref="Now"/>).</summary>
    public string RevokedCrlPath => Path.Combine(Dir, "ca-2.crl");

    public string Document => Path.Combine(Dir, "request.txt");

    public string Signature => Path.Combine(Dir, "request.txt.p7s");

    public string AttachedSignature => Path.Combine(Dir, "attached.p7s");

    public RSA SubjectKey { get; } = RSA.Create(2048);

    public X509Certificate2 SignCertificate { get; }

    public X509Certificate2 AuthCertificate { get; }

    public void Dispose()
    {
        SubjectKey.Dispose();
        Directory.Delete(Dir, recursive: true);
    }

    private X509Certificate2 Issue(X509Certificate2 ca, RSA caKey, string policy, X509KeyUsageFlags usage, byte serial, bool withBasicFour)
    {
        var request = new CertificateRequest($"C=JP, CN=CLI{serial}", SubjectKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(policy);
        }

        request.CertificateExtensions.Add(new X509Extension("2.5.29.32", writer.Encode(), true));
        if (withBasicFour)
        {
            var san = new AsnWriter(AsnEncodingRules.DER);
            using (san.PushSequence())
            {
                foreach (var (oid, value) in new[] { (JpkiOids.Name, "公的　花子"), (JpkiOids.DateOfBirth, "419900101"), (JpkiOids.Sex, "2"), (JpkiOids.Address, "茨城県水戸市中央１－４－１") })
                {
                    using (san.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true)))
                    {
                        san.WriteObjectIdentifier(oid);
                        using (san.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true)))
                        {
                            san.WriteCharacterString(UniversalTagNumber.UTF8String, value);
                        }
                    }
                }
            }

            request.CertificateExtensions.Add(new X509Extension("2.5.29.17", san.Encode(), false));
        }

        return request.Create(ca.SubjectName, X509SignatureGenerator.CreateForRSA(caKey, RSASignaturePadding.Pkcs1), Now.AddDays(-10), Now.AddYears(3), [serial]);
    }
}
