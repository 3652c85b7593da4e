using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Authority.Ca;
using Jpki.Authority.Profiles;
using Jpki.Card.Applications;
using Jpki.Card.Client;
using Jpki.Card.Issuer;
using Jpki.Card.Transport;
using Jpki.Card.Virtual;
using Jpki.Core.Identity;
using Jpki.Core.Pins;
using Jpki.Verification.Cms;

namespace Jpki.Server.Tests.OnlineApplication;

/// <summary>
/// A virtual My Number card whose key pairs were generated on the card and whose certificates were issued by the
/// server's own authority (as the counter does), and signing with it the way <c>jpki sign</c> does.
/// </summary>
internal sealed class CitizenCard
{
    public const string SignPassword = "ABC123";
    public const string AuthPin = "1234";

    private static readonly byte[] MasterKey = SHA256.HashData("OpenJpki e-application test master key"u8);
    private static readonly CardOptions Options = new() { PinIterations = 1000 };

    private CitizenCard(string path, string signSerial, string authSerial, string holder)
    {
        Holder = holder;
        Path = path;
        SignSerialHex = signSerial;
        AuthSerialHex = authSerial;
    }

    public string Path { get; }

    public string SignSerialHex { get; }

    public string AuthSerialHex { get; }

    /// <summary>The registry's holder id (a renewal keeps the holder of the card it renews).</summary>
    public string Holder { get; }

    private static string HolderOf(string number, CitizenCard? renewing) => renewing?.Holder ?? "holder-" + number;

    /// <summary>
    /// Issues a card: today's RSA-2048 My Number card, or with <paramref name="profile"/> = <see cref="Jpki.Card.Profiles.CardProfile.NextGeneration"/>
    /// the next-generation P-384 card (then <paramref name="authority"/> must be a nextgen authority, which certifies P-384 keys only).
    /// </summary>
    public static async Task<CitizenCard> IssueAsync(AuthorityRuntime authority, string directory, string number, BasicFourInfo holder, CitizenCard? renewing = null, Jpki.Card.Profiles.CardProfile? profile = null)
    {
        var path = System.IO.Path.Combine(directory, number + ".jpkicard");
        using var key = CardManagementKey.Derive(MasterKey, number);
        using var card = VirtualCard.Create(path, new VirtualCardSpec(number, "holder-" + number, CardKind.MyNumberCard, new DateOnly(2035, 3, 31)) { Profile = profile }, key, Options);
        using var transport = new InProcessTransport(card);
        var issuer = new CardIssuerClient(new JpkiCardClient(transport), key, number);
        var expiry = new DateOnly(2031, 3, 31);

        var signPublic = issuer.GenerateKeyPair(CertificateKind.Signature);
        var subject = new SignatureSubject(
            "Tokyo-to", "Chiyoda-ku", holder.Name, SignatureSubject.NoSubstitution(holder.Name),
            holder.Address, SignatureSubject.NoSubstitution(holder.Address), holder.DateOfBirth, holder.Sex);
        var sign = await authority.Authority.IssueAsync(
            new IssueRequest(CertificateKind.Signature, signPublic.SubjectPublicKeyInfo, number, HolderOf(number, renewing), expiry, subject, renewing?.SignSerialHex, "test"),
            CancellationToken.None);
        var authPublic = issuer.GenerateKeyPair(CertificateKind.Authentication);
        var auth = await authority.Authority.IssueAsync(
            new IssueRequest(CertificateKind.Authentication, authPublic.SubjectPublicKeyInfo, number, HolderOf(number, renewing), expiry, null, renewing?.AuthSerialHex, "test"),
            CancellationToken.None);

        issuer.WriteCertificate(CertificateSlot.Signature, sign.Der.Span);
        issuer.WriteCertificate(CertificateSlot.SignatureCa, authority.Authority.SignCa.CertificateDer);
        issuer.WriteCertificate(CertificateSlot.Authentication, auth.Der.Span);
        issuer.WriteCertificate(CertificateSlot.AuthenticationCa, authority.Authority.AuthCa.CertificateDer);
        issuer.SetPin(PinKind.SignaturePassword, SignPassword);
        issuer.SetPin(PinKind.AuthenticationPin, AuthPin);
        issuer.SetPin(PinKind.CardPin, "5678");
        return new CitizenCard(path, sign.SerialHex, auth.SerialHex, HolderOf(number, renewing));
    }

    /// <summary>A detached CMS over <paramref name="document"/>, as <c>jpki sign --card</c> makes it (or with the auth key when asked).</summary>
    public byte[] SignDetached(byte[] document, DateTimeOffset signingTime, CertificateKind kind = CertificateKind.Signature)
    {
        using var card = VirtualCard.Open(Path, Options);
        using var transport = new InProcessTransport(card);
        var client = new JpkiCardClient(transport);
        var verified = kind == CertificateKind.Signature
            ? client.Verify(PinKind.SignaturePassword, SignPassword)
            : client.Verify(PinKind.AuthenticationPin, AuthPin);
        Assert.True(verified.Verified);
        var der = client.ReadCertificate(kind == CertificateKind.Signature ? CertificateSlot.Signature : CertificateSlot.Authentication)!;
        using var certificate = X509CertificateLoader.LoadCertificate(der);
        using var publicKey = certificate.GetRSAPublicKey()!;
        using var rsa = new CardRsaForTests(client, publicKey, kind);
        return CmsSignatureBuilder.Sign(document, certificate, rsa, true, signingTime);
    }

    /// <summary>Runs <paramref name="sign"/> with the card's signature key unlocked (as <c>jpki sign --format xades|pades</c> does).</summary>
    public T WithSigner<T>(Func<Jpki.Signing.Signers.ISigner, T> sign)
    {
        using var card = VirtualCard.Open(Path, Options);
        using var transport = new InProcessTransport(card);
        var client = new JpkiCardClient(transport);
        Assert.True(client.Verify(PinKind.SignaturePassword, SignPassword).Verified);
        return sign(Jpki.Signing.Signers.CardSigner.FromCard(client));
    }

    private sealed class CardRsaForTests : RSA
    {
        private readonly JpkiCardClient _client;
        private readonly RSAParameters _public;
        private readonly CertificateKind _kind;

        public CardRsaForTests(JpkiCardClient client, RSA publicKey, CertificateKind kind)
        {
            _client = client;
            _kind = kind;
            _public = publicKey.ExportParameters(false);
            KeySizeValue = publicKey.KeySize;
            LegalKeySizesValue = [new KeySizes(KeySizeValue, KeySizeValue, 0)];
        }

        public override RSAParameters ExportParameters(bool includePrivateParameters)
            => includePrivateParameters ? throw new CryptographicException("on the card") : _public;

        public override void ImportParameters(RSAParameters parameters) => throw new NotSupportedException();

        public override byte[] SignHash(byte[] hash, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding)
            => _client.SignSha256Hash(_kind, hash);

        public override bool VerifyHash(byte[] hash, byte[] signature, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding)
        {
            using var rsa = Create(_public);
            return rsa.VerifyHash(hash, signature, hashAlgorithm, padding);
        }
    }
}
