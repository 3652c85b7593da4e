using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Core.Identity;
using Jpki.Verification.Certificates;

namespace Jpki.Verification.Tests.Support;

/// <summary>
/// A JPKI-like test hierarchy made with CertificateRequest: a sign CA (two generations with one DN), an auth CA, an
/// untrusted look-alike, and end-entity certificates with the JPKI policies, key usage and basic 4 info.
/// Keys are generated once per test run (RSA-2048 generation is slow).
/// </summary>
public static class TestPki
{
    /// <summary>The fixed "now" of every test.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 3, 0, 0, TimeSpan.Zero);

    public static readonly X500DistinguishedName SignCaName = new("C=JP, O=JPKI-TEST, OU=JPKI for digital signature, OU=OpenJpki Test");
    public static readonly X500DistinguishedName AuthCaName = new("C=JP, O=JPKI-TEST, OU=JPKI for user authentication, OU=OpenJpki Test");

    private static readonly Lazy<RSA> LazySignCaKey = new(() => RSA.Create(2048));
    private static readonly Lazy<RSA> LazySignCa2Key = new(() => RSA.Create(2048));
    private static readonly Lazy<RSA> LazyAuthCaKey = new(() => RSA.Create(2048));
    private static readonly Lazy<RSA> LazyRogueKey = new(() => RSA.Create(2048));
    private static readonly Lazy<RSA> LazySubjectKey = new(() => RSA.Create(2048));
    private static readonly Lazy<RSA> LazyOtherSubjectKey = new(() => RSA.Create(2048));
    private static readonly Lazy<X509Certificate2> LazySignCa = new(() => CreateRoot(SignCaName, SignCaKey, 1));
    private static readonly Lazy<X509Certificate2> LazySignCa2 = new(() => CreateRoot(SignCaName, SignCa2Key, 2));
    private static readonly Lazy<X509Certificate2> LazyAuthCa = new(() => CreateRoot(AuthCaName, AuthCaKey, 3));
    private static readonly Lazy<X509Certificate2> LazyRogueCa = new(() => CreateRoot(SignCaName, RogueKey, 4));

    public static RSA SignCaKey => LazySignCaKey.Value;

    public static RSA SignCa2Key => LazySignCa2Key.Value;

    public static RSA AuthCaKey => LazyAuthCaKey.Value;

    /// <summary>A key that pretends to be the sign CA (same DN), not trusted.</summary>
    public static RSA RogueKey => LazyRogueKey.Value;

    public static RSA SubjectKey => LazySubjectKey.Value;

    public static RSA OtherSubjectKey => LazyOtherSubjectKey.Value;

    public static X509Certificate2 SignCa => LazySignCa.Value;

    public static X509Certificate2 SignCa2 => LazySignCa2.Value;

    public static X509Certificate2 AuthCa => LazyAuthCa.Value;

    public static X509Certificate2 RogueCa => LazyRogueCa.Value;

    public static readonly BasicFourInfo Holder = new("公的　太郎", "東京都千代田区霞が関２－１－２", new DateOnly(1980, 2, 17), Sex.Male);

    /// <summary>Options for one end-entity certificate.</summary>
    public sealed record Ee
    {
        public CertificateKind Kind { get; init; } = CertificateKind.Signature;

        public long Serial { get; init; } = 0x1001;

        public DateTimeOffset NotBefore { get; init; } = Now.AddDays(-30);

        public DateTimeOffset NotAfter { get; init; } = Now.AddYears(4);

        public RSA? Key { get; init; }

        public X509Certificate2? Issuer { get; init; }

        public RSA? IssuerKey { get; init; }

        public string? PolicyOverride { get; init; }

        public X509KeyUsageFlags? KeyUsage { get; init; }

        public string? CrlUri { get; init; }

        public string? OcspUri { get; init; }

        /// <summary>The basic 4 info otherNames as written, instead of <see cref="Holder"/>'s.</summary>
        public IReadOnlyList<(string Oid, string Value)>? BasicFourInfoEntries { get; init; }
    }

    /// <summary>Issues an end-entity certificate (public part only).</summary>
    public static X509Certificate2 Issue(Ee? options = null)
    {
        var o = options ?? new Ee();
        var isSign = o.Kind == CertificateKind.Signature;
        var issuer = o.Issuer ?? (isSign ? SignCa : AuthCa);
        var issuerKey = o.IssuerKey ?? (isSign ? SignCaKey : AuthCaKey);
        var key = o.Key ?? SubjectKey;
        var subject = isSign
            ? new X500DistinguishedName("C=JP, L=Tokyo-to, L=Chiyoda-ku, CN=20261125000000" + o.Serial.ToString("D5", System.Globalization.CultureInfo.InvariantCulture) + "TEST")
            : new X500DistinguishedName("C=JP, CN=AUTH" + o.Serial.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var usage = o.KeyUsage ?? (isSign ? X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation : X509KeyUsageFlags.DigitalSignature);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        request.CertificateExtensions.Add(Policy(o.PolicyOverride ?? (isSign ? JpkiOids.SignPolicy : JpkiOids.AuthPolicy)));
        if (isSign)
        {
            request.CertificateExtensions.Add(BasicFourInfoSan(Holder, o.BasicFourInfoEntries));
        }

        if (o.CrlUri is { } crl)
        {
            request.CertificateExtensions.Add(CrlDistributionPoint(crl));
        }

        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var generator = X509SignatureGenerator.CreateForRSA(issuerKey, RSASignaturePadding.Pkcs1);
        var serial = BigInteger.Parse("0" + o.Serial.ToString("X", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.NumberStyles.HexNumber).ToByteArray(isUnsigned: false, isBigEndian: true);
        return request.Create(issuer.SubjectName, generator, o.NotBefore, o.NotAfter, serial);
    }

    public static X509Certificate2 WithKey(X509Certificate2 certificate, RSA key) => certificate.CopyWithPrivateKey(key);

    /// <summary>A CRL of <paramref name="issuer"/> signed with <paramref name="key"/>.</summary>
    public static byte[] Crl(
        X509Certificate2 issuer,
        RSA key,
        DateTimeOffset thisUpdate,
        DateTimeOffset nextUpdate,
        params (X509Certificate2 Certificate, DateTimeOffset At, X509RevocationReason Reason)[] revoked)
    {
        var builder = new CertificateRevocationListBuilder();
        foreach (var (certificate, at, reason) in revoked)
        {
            builder.AddEntry(certificate, at, reason);
        }

        var generator = X509SignatureGenerator.CreateForRSA(key, RSASignaturePadding.Pkcs1);
        var akid = X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, includeKeyIdentifier: true, includeIssuerAndSerial: false);
        return builder.Build(issuer.SubjectName, generator, BigInteger.One, nextUpdate, HashAlgorithmName.SHA256, akid, thisUpdate);
    }

    public static X509Extension Policy(string oid)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
        }

        return new X509Extension("2.5.29.32", writer.Encode(), critical: true);
    }

    public static X509Extension BasicFourInfoSan(BasicFourInfo info, IReadOnlyList<(string Oid, string Value)>? entriesOverride = null)
    {
        var entries = entriesOverride ??
        [
            (JpkiOids.Name, info.Name),
            (JpkiOids.DateOfBirth, Jpki.Core.Time.EraDate.Format(info.DateOfBirth)),
            (JpkiOids.Sex, ((int)info.Sex).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            (JpkiOids.Address, info.Address),
            (JpkiOids.NameSubstitutions, new string('0', info.Name.Length)),
            (JpkiOids.AddressSubstitutions, new string('0', info.Address.Length)),
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

    private static X509Extension CrlDistributionPoint(string uri)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence())
        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
        {
            writer.WriteCharacterString(UniversalTagNumber.IA5String, uri, new Asn1Tag(TagClass.ContextSpecific, 6));
        }

        return new X509Extension("2.5.29.31", writer.Encode(), critical: false);
    }

    private static X509Certificate2 CreateRoot(X500DistinguishedName name, RSA key, int serial)
    {
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        using var self = request.CreateSelfSigned(Now.AddYears(-2), Now.AddYears(8));
        _ = serial;
        return X509CertificateLoader.LoadCertificate(self.RawData);
    }
}
