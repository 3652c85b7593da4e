using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Jpki.Core.Time;
using Jpki.Municipality.Residents;
using Jpki.Verification.Certificates;

namespace Jpki.Fuzz;

/// <summary>
/// Writes the seed corpus: small valid inputs for each target. The certificate, CRL, OCSP and CMS seeds come from one
/// throw-away test PKI (a root with the JPKI-like profile, a signature and an authentication certificate); its root is
/// <c>certificate/root.der</c>, which the fuzz build embeds as a trust anchor. Run once; the corpus is committed.
/// </summary>
internal static class SeedWriter
{
    private static readonly DateTimeOffset Now = FuzzVerifier.Now;

    public static void Write(string corpus)
    {
        WriteApdu(Path.Combine(corpus, ApduTarget.TargetName));
        WriteCsv(Path.Combine(corpus, CsvTarget.TargetName));

        using var rootKey = RSA.Create(2048);
        using var signKey = RSA.Create(2048);
        using var authKey = RSA.Create(2048);
        var rootName = new X500DistinguishedName("C=JP, O=JPKI-TEST, OU=JPKI for digital signature, OU=OpenJpki fuzz seed");
        var rootRequest = new CertificateRequest(rootName, rootKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, critical: true));
        rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, critical: false));
        using var root = rootRequest.CreateSelfSigned(Now.AddYears(-2), Now.AddYears(8));

        var sign = EndEntity(root, rootKey, signKey, "C=JP, L=Tokyo-to, L=Chiyoda-ku, CN=2026112500000001001FUZZ", 0x1001, JpkiOids.SignPolicy, signature: true);
        var auth = EndEntity(root, rootKey, authKey, "C=JP, CN=AUTH1002", 0x1002, JpkiOids.AuthPolicy, signature: false);

        var certificates = Path.Combine(corpus, CertificateTarget.TargetName);
        Directory.CreateDirectory(certificates);
        File.WriteAllBytes(Path.Combine(certificates, "root.der"), root.RawData);
        File.WriteAllBytes(Path.Combine(certificates, "sign-ee.der"), sign.RawData);
        File.WriteAllBytes(Path.Combine(certificates, "auth-ee.der"), auth.RawData);
        File.WriteAllText(Path.Combine(certificates, "sign-ee.pem"), sign.ExportCertificatePem() + "\n");
        File.WriteAllBytes(Path.Combine(certificates, "jlis-signca03.der"), FuzzVerifier.JlisRoot.RawData);
        File.WriteAllBytes(Path.Combine(certificates, "crl.der"), Crl(root, rootKey, sign));

        var ocsp = Path.Combine(corpus, OcspRequestTarget.TargetName);
        Directory.CreateDirectory(ocsp);
        File.WriteAllBytes(Path.Combine(ocsp, "sha1-one.der"), OcspRequest(root, HashAlgorithmName.SHA1, [sign], nonce: null));
        File.WriteAllBytes(Path.Combine(ocsp, "sha1-nonce.der"), OcspRequest(root, HashAlgorithmName.SHA1, [sign], RandomNumberGenerator.GetBytes(16)));
        File.WriteAllBytes(Path.Combine(ocsp, "sha256-two.der"), OcspRequest(root, HashAlgorithmName.SHA256, [sign, auth], nonce: null));

        var cms = Path.Combine(corpus, CmsTarget.TargetName);
        Directory.CreateDirectory(cms);
        using var signer = sign.CopyWithPrivateKey(signKey);
        File.WriteAllBytes(Path.Combine(cms, "attached-cades.p7s"), Cms(signer, root, detached: false, essV2: true));
        File.WriteAllBytes(Path.Combine(cms, "detached-cades.p7s"), Cms(signer, root, detached: true, essV2: true));
        File.WriteAllBytes(Path.Combine(cms, "attached-plain.p7s"), Cms(signer, null, detached: false, essV2: false));
    }

    private static void WriteApdu(string folder)
    {
        Directory.CreateDirectory(folder);
        const string SelectJpki = "00A4040C0AD392F000260100000001";
        const string SelectText = "00A4040C0AD3921000310001010408";
        var auth = Hex(ApduTarget.AuthPin);
        var sign = Hex(ApduTarget.SignPassword);
        var text = Hex(ApduTarget.CardPin);
        var digestInfo = "3031300D060960864801650304020105000420" + Convert.ToHexString(SHA256.HashData("fuzz"u8));
        var seeds = new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            ["read-token-info"] = [SelectJpki, "00A4020C020006", "00B0000000"],
            ["read-auth-certificate"] = [SelectJpki, "00A4020C02000A", "00B0000004", "00B0000400"],
            ["verify-auth-sign"] = [SelectJpki, "00A4020C020018", "0020008004" + auth, "00A4020C020017", "802A0080" + Lc(digestInfo) + digestInfo + "00"],
            ["verify-sign-sign"] = [SelectJpki, "00A4020C02001B", "00200080" + Lc(sign) + sign, "00A4020C02001A", "802A0080" + Lc(digestInfo) + digestInfo + "00"],
            ["read-sign-certificate"] = [SelectJpki, "00A4020C02001B", "00200080" + Lc(sign) + sign, "00A4020C020001", "00B0000004", "00B0010000"],
            ["wrong-pin-retries"] = [SelectJpki, "00A4020C020018", "002000800439393939", "00200080", "002000800439393939", "00200080"],
            ["change-pin"] = [SelectJpki, "00A4020C020018", "0020008004" + auth, "0024018004" + Hex("4321"), "0020008004" + Hex("4321")],
            ["text-ap"] = [SelectText, "00A4020C020011", "0020008004" + text, "00A4020C020002", "00B0000000", "00A4020C020001", "00B0000000"],
            ["reset-between"] = [SelectJpki, "00A4020C020018", "0020008004" + auth, string.Empty, "00A4020C020017", "802A0080" + Lc(digestInfo) + digestInfo + "00"],
            ["issuer-challenge"] = ["E4840000" + "10", "E482000020" + new string('0', 64)],
        };
        foreach (var (name, apdus) in seeds)
        {
            using var output = new MemoryStream();
            foreach (var apdu in apdus)
            {
                var bytes = Convert.FromHexString(apdu);
                output.WriteByte(checked((byte)bytes.Length));
                output.Write(bytes);
            }

            File.WriteAllBytes(Path.Combine(folder, name + ".bin"), output.ToArray());
        }

        static string Hex(string ascii) => Convert.ToHexString(Encoding.ASCII.GetBytes(ascii));
        static string Lc(string hex) => (hex.Length / 2).ToString("X2", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void WriteCsv(string folder)
    {
        Directory.CreateDirectory(folder);
        var good = ResidentCsv.Header + "\n"
            + "R1,山田　太郎,ヤマダ　タロウ,東京都千代田区千代田１－１,1980-02-17,1,0,H1\n"
            + "R2,山田　花子,ヤマダ　ハナコ,\"東京都千代田区千代田１－１, ２階\",1982-03-01,2,0,H1\r\n"
            + "R3,\"佐藤 \"\"次郎\"\"\",サトウ　ジロウ,大阪府大阪市北区１,2000-02-29,9,1,H2\n";
        File.WriteAllBytes(Path.Combine(folder, "good.csv"), Encoding.UTF8.GetBytes(good));
        File.WriteAllBytes(Path.Combine(folder, "bom.csv"), [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(good)]);
        File.WriteAllBytes(Path.Combine(folder, "bad-rows.csv"), Encoding.UTF8.GetBytes(
            ResidentCsv.Header + "\nR1,,ヤマダ,東京,1980-02-17,1,0,H1\nR1,山田,ヤマダ,東京,2999-02-17,7,2,\nR3,\"山田,ヤマダ,東京,1980-13-01,1,0,H1\n"));
    }

    private static X509Certificate2 EndEntity(X509Certificate2 issuer, RSA issuerKey, RSA key, string subject, long serial, string policy, bool signature)
    {
        var request = new CertificateRequest(new X500DistinguishedName(subject), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var usage = signature ? X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation : X509KeyUsageFlags.DigitalSignature;
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        var policies = new AsnWriter(AsnEncodingRules.DER);
        using (policies.PushSequence())
        using (policies.PushSequence())
        {
            policies.WriteObjectIdentifier(policy);
        }

        request.CertificateExtensions.Add(new X509Extension("2.5.29.32", policies.Encode(), critical: true));
        if (signature)
        {
            request.CertificateExtensions.Add(BasicFourInfoSan());
        }

        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var generator = X509SignatureGenerator.CreateForRSA(issuerKey, RSASignaturePadding.Pkcs1);
        var serialBytes = new BigInteger(serial).ToByteArray(isUnsigned: false, isBigEndian: true);
        return request.Create(issuer.SubjectName, generator, Now.AddDays(-30), Now.AddYears(4), serialBytes);
    }

    private static X509Extension BasicFourInfoSan()
    {
        const string Name = "公的　太郎";
        const string Address = "東京都千代田区霞が関２－１－２";
        (string Oid, string Value)[] entries =
        [
            (JpkiOids.Name, Name),
            (JpkiOids.DateOfBirth, EraDate.Format(new DateOnly(1980, 2, 17))),
            (JpkiOids.Sex, "1"),
            (JpkiOids.Address, Address),
            (JpkiOids.NameSubstitutions, new string('0', Name.Length)),
            (JpkiOids.AddressSubstitutions, new string('0', Address.Length)),
        ];
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var (oid, value) in entries)
            {
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                {
                    writer.WriteObjectIdentifier(oid);
                    using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                    {
                        writer.WriteCharacterString(UniversalTagNumber.UTF8String, value);
                    }
                }
            }
        }

        return new X509Extension("2.5.29.17", writer.Encode(), critical: false);
    }

    private static byte[] Crl(X509Certificate2 issuer, RSA key, X509Certificate2 revoked)
    {
        var builder = new CertificateRevocationListBuilder();
        builder.AddEntry(revoked, Now.AddDays(-1), X509RevocationReason.KeyCompromise);
        builder.AddEntry([0x10, 0x09], Now.AddDays(-2), X509RevocationReason.CessationOfOperation);
        var generator = X509SignatureGenerator.CreateForRSA(key, RSASignaturePadding.Pkcs1);
        var akid = X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, includeKeyIdentifier: true, includeIssuerAndSerial: false);
        return builder.Build(issuer.SubjectName, generator, BigInteger.One, Now.AddDays(1), HashAlgorithmName.SHA256, akid, Now.AddHours(-1));
    }

    private static byte[] OcspRequest(X509Certificate2 issuer, HashAlgorithmName hash, X509Certificate2[] certificates, byte[]? nonce)
    {
        var hashOid = hash == HashAlgorithmName.SHA1 ? "1.3.14.3.2.26" : "2.16.840.1.101.3.4.2.1";
        var nameHash = CryptographicOperations.HashData(hash, issuer.SubjectName.RawData);
        var keyHash = CryptographicOperations.HashData(hash, issuer.PublicKey.EncodedKeyValue.RawData);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                foreach (var certificate in certificates)
                {
                    using (writer.PushSequence())
                    using (writer.PushSequence())
                    {
                        using (writer.PushSequence())
                        {
                            writer.WriteObjectIdentifier(hashOid);
                            writer.WriteNull();
                        }

                        writer.WriteOctetString(nameHash);
                        writer.WriteOctetString(keyHash);
                        writer.WriteInteger(certificate.SerialNumberBytes.Span);
                    }
                }
            }

            if (nonce is not null)
            {
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 2, isConstructed: true)))
                using (writer.PushSequence())
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier("1.3.6.1.5.5.7.48.1.2");
                    var inner = new AsnWriter(AsnEncodingRules.DER);
                    inner.WriteOctetString(nonce);
                    writer.WriteOctetString(inner.Encode());
                }
            }
        }

        return writer.Encode();
    }

    private static byte[] Cms(X509Certificate2 signer, X509Certificate2? extra, bool detached, bool essV2)
    {
        var cms = new SignedCms(new ContentInfo(CmsTarget.DetachedContent), detached);
        var cmsSigner = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, signer) { DigestAlgorithm = new Oid("2.16.840.1.101.3.4.2.1"), IncludeOption = X509IncludeOption.EndCertOnly };
        cmsSigner.SignedAttributes.Add(new Pkcs9SigningTime(Now.UtcDateTime));
        if (essV2)
        {
            cmsSigner.SignedAttributes.Add(new AsnEncodedData("1.2.840.113549.1.9.16.2.47", SigningCertificateV2(signer)));
        }

        if (extra is not null)
        {
            cmsSigner.Certificates.Add(extra);
        }

        cms.ComputeSignature(cmsSigner);
        return cms.Encode();
    }

    private static byte[] SigningCertificateV2(X509Certificate2 certificate)
    {
        // SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 } ; ESSCertIDv2 with the default SHA-256.
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence())
        using (writer.PushSequence())
        {
            writer.WriteOctetString(SHA256.HashData(certificate.RawData));
        }

        return writer.Encode();
    }
}
