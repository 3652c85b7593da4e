using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Authority.Ca;
using Jpki.Authority.Keys;
using Jpki.Authority.Tests.Support;
using Jpki.Authority.Tsa;
using Jpki.Card.Applications;
using Jpki.Card.Client;
using Jpki.Card.Issuer;
using Jpki.Card.Profiles;
using Jpki.Card.Transport;
using Jpki.Card.Virtual;
using Jpki.Core.Identity;
using Jpki.Core.Pins;
using Jpki.Server;
using Jpki.Signing.Cades;
using Jpki.Signing.Revocation;
using Jpki.Signing.Signers;
using Jpki.Signing.Timestamps;
using Jpki.Verification;
using Jpki.Verification.Revocation;
using Jpki.Verification.Signatures;
using Jpki.Verification.Trust;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Signing.Tests.Support;

/// <summary>
/// The real authority and its TSA served by <c>JpkiServerHost</c> on a free loopback port, with a JPKI signature
/// certificate issued for the test subject key: CDP and AIA in the certificate point at this server, so B-LT data is
/// gathered from the real <c>/ocsp</c> and <c>/crl</c>, and time-stamps come from the real <c>/tsa</c>.
/// With the <c>nextgen</c> profile (<see cref="NextGenerationSigningAuthority"/>) the authority is a data folder initialised
/// <c>--profile nextgen</c> (P-384 CAs, ecdsa-with-SHA384 certificates, CRLs and OCSP answers; its TSA is the folder's)
/// and the signer is a next-generation virtual card whose P-384 key was generated on the card: <see cref="Signer"/> signs
/// on the card.
/// </summary>
public class SigningAuthority : IAsyncLifetime
{
    public static readonly DateTimeOffset Start = new(2026, 11, 25, 3, 0, 0, TimeSpan.Zero);

    private const string CardPassword = "ABC123";

    private readonly InMemoryRegistry _registry = new();
    private readonly InMemoryAuditLog _audit = new();
    private AuthorityRuntime? _runtime;
    private WebApplication? _app;
    private VirtualCard? _card;
    private InProcessTransport? _transport;
    private JpkiCardClient? _client;
    private byte[]? _cardKey;

    public SigningAuthority()
        : this(AuthoritySettings.ProfileJpki)
    {
    }

    protected SigningAuthority(string profile) => Profile = profile;

    /// <summary><c>jpki</c> (RSA-2048 CAs and a software RSA subject key) or <c>nextgen</c> (P-384 CAs and a next-generation card).</summary>
    public string Profile { get; }

    public bool IsNextGeneration => Profile == AuthoritySettings.ProfileNextGeneration;

    public FakeTimeProvider Clock { get; } = new(Start);

    public TempDir Dir { get; } = new();

    public RSA SubjectKey { get; } = TestKeys.Load("subject");

    /// <summary>A software P-384 key: the outside signers' key (openssl cms, xmlsec1) with the next-generation profile.</summary>
    public ECDsa SoftwareEcKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP384);

    /// <summary>
    /// The key the outside tools sign with in this profile: the RSA-2048 <see cref="SubjectKey"/> with today's authority, the
    /// ECDSA P-384 <see cref="SoftwareEcKey"/> with the next-generation one (whose own signer is a card).
    /// </summary>
    public AsymmetricAlgorithm SoftwareKey => IsNextGeneration ? SoftwareEcKey : SubjectKey;

    public HttpClient Http { get; } = new();

    public Uri Base { get; private set; } = new("http://127.0.0.1/");

    public AuthorityRuntime Runtime => _runtime!;

    public X509Certificate2 SignCa => X509CertificateLoader.LoadCertificate(Runtime.Authority.SignCa.CertificateDer);

    public X509Certificate2 TsaRoot => Runtime.Timestamps!.RootCertificate;

    public async Task InitializeAsync()
    {
        if (IsNextGeneration)
        {
            CreateCard();
        }

        // A free port can be taken by another process between probing and binding (the machine is shared): try again.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StartAsync(FreePort());
                return;
            }
            catch (IOException) when (attempt < 5 && _app is not null)
            {
                await _app.DisposeAsync();
                _app = null;
            }
        }
    }

    private async Task StartAsync(int port)
    {
        Base = new Uri($"http://127.0.0.1:{port}/");
        if (IsNextGeneration)
        {
            // One folder per attempt: the CRL and OCSP addresses in the certificates name the port.
            var data = Dir.File($"data-{port}");
            await AuthorityFolder.InitializeAsync(
                data,
                new AuthoritySettings { TestNames = false, PublicBaseUrl = Base.ToString().TrimEnd('/'), OpenSignatureRevocationData = true, Profile = Profile },
                Clock,
                "test",
                CancellationToken.None);
            _runtime = await AuthorityFolder.OpenAsync(data, Clock, CancellationToken.None);
            _app = JpkiServerHost.Build(new JpkiServerOptions { DataDirectory = data, Urls = Base.ToString().TrimEnd('/') }, Clock, _runtime);
            await _app.StartAsync();
            await PublishCrlsAsync();
            return;
        }

        var authority = new CertificateAuthority(
            TestKeys.Ca(CertificateKind.Signature),
            TestKeys.Ca(CertificateKind.Authentication),
            _registry,
            _audit,
            Clock,
            new AuthorityOptions { PublicBaseUrl = Base.ToString().TrimEnd('/'), OpenSignatureRevocationData = true });
        using var tsaRoot = new SoftwareCaKey(TestKeys.Load("auth-ca"));
        var tsa = TimestampAuthority.Create(tsaRoot, SoftwareCaKey.Generate(), testNames: true, _audit, Clock);
        _runtime = new AuthorityRuntime(authority, _audit, Dir.File("crl"), [authority.SignCa, authority.AuthCa], tsa);
        _app = JpkiServerHost.Build(new JpkiServerOptions { DataDirectory = Dir.File("data"), Urls = Base.ToString().TrimEnd('/') }, Clock, _runtime);
        await _app.StartAsync();
        await PublishCrlsAsync();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        if (_runtime is not null)
        {
            await _runtime.DisposeAsync();
        }

        _transport?.Dispose();
        _card?.Dispose();
        SubjectKey.Dispose();
        SoftwareEcKey.Dispose();
        Dir.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>A new JPKI signature certificate for the subject key.</summary>
    public Task<X509Certificate2> IssueAsync() => IssueAsync(_cardKey ?? SubjectKey.ExportSubjectPublicKeyInfo());

    /// <summary>A new JPKI signature certificate for <see cref="SoftwareKey"/> (RSA-2048, or P-384 with the next generation).</summary>
    public Task<X509Certificate2> IssueForSoftwareKeyAsync() => IssueAsync(SoftwareKey.ExportSubjectPublicKeyInfo());

    private async Task<X509Certificate2> IssueAsync(byte[] subjectPublicKeyInfo)
    {
        var record = await Runtime.Authority.IssueAsync(
            new IssueRequest(CertificateKind.Signature, subjectPublicKeyInfo, "CARD-SIGN", "HOLDER-SIGN", new DateOnly(2031, 2, 17), Fixtures.Taro, null, "test"),
            CancellationToken.None);
        return X509CertificateLoader.LoadCertificate(record.Der.Span);
    }

    public async Task RevokeAsync(X509Certificate2 certificate, DateTimeOffset at)
    {
        await Runtime.Authority.RevokeAsync(certificate.SerialNumber, Jpki.Authority.Contracts.RevocationReason.KeyCompromise, at, "test", CancellationToken.None);
        await PublishCrlsAsync();
    }

    public Task PublishCrlsAsync() => Runtime.Crls.PublishAsync(CertificateKind.Signature, "test", CancellationToken.None);

    /// <summary>The signer for <paramref name="certificate"/>: the software RSA subject key, or the next-generation card.</summary>
    public ISigner Signer(X509Certificate2 certificate)
        => _client is null ? new RsaKeySigner(certificate, SubjectKey, [SignCa]) : new CardSigner(_client, certificate, [SignCa]);

    /// <summary>A next-generation card with a P-384 signature key generated on it, its password verified for the run.</summary>
    private void CreateCard()
    {
        const string number = "NEXTGENLT01";
        var master = SHA256.HashData("next-generation long-term signing test"u8);
        using var key = CardManagementKey.Derive(master, number);
        _card = VirtualCard.Create(Dir.File("nextgen.jpkicard"), new VirtualCardSpec(number, "HOLDER-SIGN", CardKind.MyNumberCard, new DateOnly(2036, 3, 17)) { Profile = CardProfile.NextGeneration }, key, new CardOptions { PinIterations = 1000 });
        _transport = new InProcessTransport(_card);
        _client = new JpkiCardClient(_transport);
        var issuer = new CardIssuerClient(_client, key, number);
        _cardKey = issuer.GenerateKeyPair(CertificateKind.Signature).SubjectPublicKeyInfo;
        issuer.SetPin(PinKind.SignaturePassword, CardPassword);
        _client.Logout();
        Assert.True(_client.Verify(PinKind.SignaturePassword, CardPassword).Verified);
    }

    public CadesAugmenter Augmenter() => new(
        new HttpTimestampClient(Http, new Uri(Base, "/tsa")),
        new OnlineValidationDataSource(Http, new OnlineValidationDataOptions { ExtraCertificates = [SignCa, TsaRoot] }));

    /// <summary>The sign CA trusted as a relying party configures its own authority: pinned (it carries the J-LIS name).</summary>
    public TrustStore Trust() => new TrustStoreBuilder().PinJlisFingerprint(SignCa.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256)).AddRoot(SignCa).Build();

    /// <summary>A validator trusting the sign CA and the TSA root, with the online sources of this server (or none).</summary>
    public SignatureValidator Validator(bool online = true)
    {
        IRevocationSource[] sources = online ? [new OcspRevocationSource(Http, Clock, new OcspOptions { ResponderUri = new Uri(Base, "/ocsp") })] : [];
        return new SignatureValidator(new JpkiVerifier(Trust(), sources, Clock), new SignatureValidationOptions { TimestampTrust = [TsaRoot] });
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
