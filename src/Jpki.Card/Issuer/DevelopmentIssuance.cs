using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Card.Applications;
using Jpki.Card.Client;
using Jpki.Card.Issuer.Surface;
using Jpki.Core.Identity;
using Jpki.Core.Pins;

namespace Jpki.Card.Issuer;

/// <summary>
/// FOR DEVELOPMENT AND TESTS ONLY: issues a card through the issuer channel. Keys are generated on the card; only the public
/// keys leave it. In two steps so that the certificates can come from elsewhere (<c>jpki card dev-issue</c> has them issued
/// by the data folder's test authority): <see cref="GenerateKeyPairs"/>, then <see cref="Complete"/> with the four
/// certificates. <see cref="Issue"/> does both with self-made TEST certificates from two throw-away self-signed CAs
/// (labelled as tests in every subject), for card-level tests that have no authority.
/// </summary>
public static class DevelopmentIssuance
{
    /// <summary>Generates both key pairs, writes four TEST certificates of throw-away CAs and sets the three PINs.</summary>
    /// <param name="issuer">An issuer client for the card.</param>
    /// <param name="clock">The clock for the validity period (5 years from now).</param>
    /// <param name="authPin">The 4-digit authentication PIN.</param>
    /// <param name="signPassword">The 6–16 character signature password.</param>
    /// <param name="cardPin">The 4-digit card PIN of the text AP.</param>
    /// <param name="holder">Optional basic 4 info and My Number to write into the text AP.</param>
    /// <param name="surface">
    /// With <paramref name="holder"/>: the card's expiry, security code and font, to issue the whole 券面 side (text AP records,
    /// 照合番号A/B, visual AP, common AP key) with a throw-away card-verifiable authority. Without it only text AP EF 0001/0002
    /// are written.
    /// </param>
    /// <returns>The four certificates as written.</returns>
    public static DevelopmentCertificates Issue(
        CardIssuerClient issuer,
        TimeProvider clock,
        ReadOnlySpan<char> authPin,
        ReadOnlySpan<char> signPassword,
        ReadOnlySpan<char> cardPin,
        (string MyNumber, BasicFourInfo Info)? holder = null,
        DevelopmentSurface? surface = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var keys = GenerateKeyPairs(issuer);
        return Complete(issuer, TestCertificates(keys, clock), authPin, signPassword, cardPin, holder, surface);
    }

    /// <summary>Step 1: generates both key pairs (RSA-2048, or P-384 on the next-generation card) on the card (authentication, then signature) and returns their public keys.</summary>
    /// <param name="issuer">An issuer client for the card.</param>
    public static CardPublicKeys GenerateKeyPairs(CardIssuerClient issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        var authentication = issuer.GenerateKeyPair(CertificateKind.Authentication);
        var signature = issuer.GenerateKeyPair(CertificateKind.Signature);
        return new CardPublicKeys(authentication, signature);
    }

    /// <summary>
    /// Step 2: writes the four certificates (issued for the public keys of <see cref="GenerateKeyPairs"/>), sets the PINs and
    /// writes the holder's 券面 side.
    /// </summary>
    /// <param name="issuer">An issuer client for the card.</param>
    /// <param name="certificates">The two end-entity certificates and their CA certificates (DER).</param>
    /// <param name="authPin">The 4-digit authentication PIN.</param>
    /// <param name="signPassword">The 6–16 character signature password.</param>
    /// <param name="cardPin">The 4-digit card PIN of the text AP.</param>
    /// <param name="holder">Optional basic 4 info and My Number to write into the text AP.</param>
    /// <param name="surface">With <paramref name="holder"/>: the 券面 side options (see <see cref="Issue"/>).</param>
    /// <returns><paramref name="certificates"/> with the 券面 side's result.</returns>
    public static DevelopmentCertificates Complete(
        CardIssuerClient issuer,
        DevelopmentCertificates certificates,
        ReadOnlySpan<char> authPin,
        ReadOnlySpan<char> signPassword,
        ReadOnlySpan<char> cardPin,
        (string MyNumber, BasicFourInfo Info)? holder = null,
        DevelopmentSurface? surface = null)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(certificates);
        issuer.WriteCertificate(CertificateSlot.Authentication, certificates.Authentication);
        issuer.WriteCertificate(CertificateSlot.Signature, certificates.Signature);
        issuer.WriteCertificate(CertificateSlot.AuthenticationCa, certificates.AuthenticationCa);
        issuer.WriteCertificate(CertificateSlot.SignatureCa, certificates.SignatureCa);
        issuer.SetPin(PinKind.AuthenticationPin, authPin);
        issuer.SetPin(PinKind.SignaturePassword, signPassword);
        CardSurfaceResult? surfaceResult = null;
        if (holder is { } h && surface is { } options)
        {
            using var authority = CardSurfaceAuthority.CreateDevelopment(options.MunicipalityCode);
            surfaceResult = CardSurfaceIssuance.Issue(
                issuer, new CardSurfaceData(h.MyNumber, h.Info, options.CardExpiry, options.SecurityCode, options.MunicipalityCode), authority, options.Font);
        }
        else if (holder is { } plain)
        {
            issuer.WriteTextData(plain.MyNumber, plain.Info);
        }

        if (issuer.TryAuthenticate(CardApplication.Text))
        {
            issuer.SetPin(PinKind.CardPin, cardPin);
        }

        // The 統合 PIN: one 4-digit PIN for the text AP, the 住基AP and the common AP, as counters set it [R JPKI-REFERENCE §5].
        foreach (var (application, fid) in new[] { (CardApplication.Juki, CardFiles.JukiPin), (CardApplication.Common, CardFiles.CommonPin) })
        {
            if (issuer.TryAuthenticate(application))
            {
                issuer.SetReferenceData(application, fid, cardPin);
            }
        }

        return certificates with { Surface = surfaceResult };
    }

    /// <summary>
    /// Self-made TEST certificates for <paramref name="keys"/>: two throw-away self-signed CAs (keys discarded) and bare
    /// end-entity certificates, valid 5 years — no JPKI profile (no subjectAltName, policy or CRL distribution point).
    /// </summary>
    public static DevelopmentCertificates TestCertificates(CardPublicKeys keys, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(clock);
        var now = clock.GetUtcNow();
        var notBefore = now.AddMinutes(-5);
        var notAfter = now.AddYears(5);
        // The throw-away CAs use the card's algorithm: RSA-2048 / sha256WithRSAEncryption, or P-384 / ecdsa-with-SHA384.
        var ec = keys.Signature.Algorithm == CardKeyAlgorithm.EcdsaP384;
        using var authCaKey = ec ? (AsymmetricAlgorithm)ECDsa.Create(ECCurve.NamedCurves.nistP384) : RSA.Create(2048);
        using var signCaKey = ec ? (AsymmetricAlgorithm)ECDsa.Create(ECCurve.NamedCurves.nistP384) : RSA.Create(2048);
        using var authCa = SelfSignedCa("CN=OpenJpki TEST Authentication CA (not JPKI),O=OpenJpki development,C=JP", authCaKey, notBefore, notAfter);
        using var signCa = SelfSignedCa("CN=OpenJpki TEST Signature CA (not JPKI),O=OpenJpki development,C=JP", signCaKey, notBefore, notAfter);
        var authCert = EndEntity(
            "CN=OpenJpki TEST authentication certificate (not JPKI),O=OpenJpki development,C=JP",
            keys.Authentication, authCa, notBefore, notAfter, X509KeyUsageFlags.DigitalSignature);
        var signCert = EndEntity(
            "CN=OpenJpki TEST signature certificate (not JPKI),O=OpenJpki development,C=JP",
            keys.Signature, signCa, notBefore, notAfter, X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation);
        return new DevelopmentCertificates(authCert, signCert, authCa.RawData, signCa.RawData);
    }

    private static X509Certificate2 SelfSignedCa(string subject, AsymmetricAlgorithm key, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var request = key is ECDsa ecdsa
            ? new CertificateRequest(subject, ecdsa, HashAlgorithmName.SHA384)
            : new CertificateRequest(subject, (RSA)key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var generator = key is ECDsa ec ? X509SignatureGenerator.CreateForECDsa(ec) : X509SignatureGenerator.CreateForRSA((RSA)key, RSASignaturePadding.Pkcs1);
        using var unsigned = request.Create(request.SubjectName, generator, notBefore, notAfter, Serial());
        return key is ECDsa withEc ? unsigned.CopyWithPrivateKey(withEc) : unsigned.CopyWithPrivateKey((RSA)key);
    }

    /// <summary>A random 8-byte serial that is positive and has no leading zero: every card's certificates have the same DER length.</summary>
    private static byte[] Serial()
    {
        var serial = RandomNumberGenerator.GetBytes(8);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
        return serial;
    }

    private static byte[] EndEntity(
        string subject, CardPublicKey publicKey, X509Certificate2 ca, DateTimeOffset notBefore, DateTimeOffset notAfter, X509KeyUsageFlags usage)
    {
        using var caEc = ca.GetECDsaPublicKey();
        var ecCa = caEc is not null;
        var request = new CertificateRequest(
            new X500DistinguishedName(subject),
            PublicKey.CreateFromSubjectPublicKeyInfo(publicKey.SubjectPublicKeyInfo, out _),
            ecCa ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256,
            ecCa ? null : RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var certificate = request.Create(ca, notBefore, notAfter, Serial());
        return certificate.RawData;
    }
}
