using Jpki.Core.Storage;
using System.Security.Cryptography;
using System.Text.Json;
using Jpki.Authority.Audit;
using Jpki.Authority.Keys;
using Jpki.Authority.Profiles;
using Jpki.Authority.Registry;
using Jpki.Core.Identity;

namespace Jpki.Authority.Ca;

/// <summary>
/// The authority inside a data folder (the embedded default): <c>authority/authority.json</c>, the CA certificates
/// <c>authority/{sign,auth}-ca.cer</c>, the CA keys (encrypted PKCS#8 <c>authority/{sign,auth}-ca.key.pem</c>, or labels
/// <c>jpki-sign-ca</c>/<c>jpki-auth-ca</c> on a PKCS#11 token), current CRLs in <c>authority/crl/</c>, and the registry and
/// audit log opened by <see cref="RegistryFactory"/> from the folder (<c>registry.db</c>, or <c>JPKI_REGISTRY</c>).
/// </summary>
/// <remarks>
/// Software keys are encrypted with the passphrase in <c>JPKI_CA_PASSPHRASE</c>. When that is unset at init, a random
/// passphrase is written to <c>authority/passphrase</c> (0600) — a convenience for the embedded default only: anyone who
/// can read the folder can read the keys. Production sets the variable (or uses PKCS#11) and keeps no passphrase file.
/// </remarks>
public static partial class AuthorityFolder
{
    /// <summary>The environment variable holding the software keys' passphrase.</summary>
    public const string PassphraseVariable = "JPKI_CA_PASSPHRASE";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>The authority sub-folder of <paramref name="dataDirectory"/>.</summary>
    public static string PathOf(string dataDirectory) => Path.Combine(dataDirectory, "authority");

    /// <summary>The root certificate file (DER) of the <paramref name="kind"/> CA of <paramref name="dataDirectory"/>'s authority.</summary>
    public static string CaCertificatePath(string dataDirectory, CertificateKind kind) => CaCertificateFile(PathOf(dataDirectory), kind);

    private static string CaCertificateFile(string authorityFolder, CertificateKind kind) => Path.Combine(authorityFolder, IssuingCa.SlugOf(kind) + "-ca.cer");

    /// <summary>True when the data folder holds an initialised authority.</summary>
    public static bool IsInitialized(string dataDirectory) => File.Exists(Path.Combine(PathOf(dataDirectory), "authority.json"));

    /// <summary>
    /// Creates both CAs in <paramref name="dataDirectory"/>: keys (software or PKCS#11), self-signed roots, settings, and a
    /// <c>ca.init</c> audit entry per CA.
    /// </summary>
    /// <exception cref="InvalidOperationException">The folder already holds an authority.</exception>
    /// <exception cref="Pkcs11KeyException">The token could not be used.</exception>
    public static async Task InitializeAsync(string dataDirectory, AuthoritySettings settings, TimeProvider clock, string actor, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(clock);
        PublicBaseUrl.Check(settings.PublicBaseUrl, nameof(settings));
        if (IsInitialized(dataDirectory))
        {
            throw new InvalidOperationException($"{dataDirectory} already holds an authority.");
        }

        var folder = PathOf(dataDirectory);
        PrivateFiles.CreateFolder(folder);
        await using var store = await RegistryFactory.OpenAsync(dataDirectory, clock, cancellationToken).ConfigureAwait(false);
        foreach (var kind in new[] { CertificateKind.Signature, CertificateKind.Authentication })
        {
            var names = settings.TestNames ? CaNames.Test(kind) : CaNames.Production(kind);
            var key = CreateKey(folder, settings, kind);
            using var ca = IssuingCa.CreateRoot(kind, names, key, RandomIdentifierSource.Instance.NextSerial(), clock.GetUtcNow());
            PrivateFiles.WriteAllBytes(CaCertificateFile(folder, kind), ca.CertificateDer);
            var details = JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["subject"] = ca.Name.Name,
                ["serial"] = ca.Certificate.SerialNumber,
                ["notAfter"] = ca.Certificate.NotAfter.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                ["keySource"] = settings.KeySource,
                ["sha256"] = Convert.ToHexString(SHA256.HashData(ca.CertificateDer)),
            });
            await store.AppendAsync(new AuditEntry(clock.GetUtcNow(), actor, "ca.init", ca.Slug, details), cancellationToken).ConfigureAwait(false);
        }

        await CreateTimestampAuthorityAsync(folder, settings, store, clock, actor, cancellationToken).ConfigureAwait(false);

        // Verifier and registration-authority keys are kept as hashes: reading the folder must not give them away (docs/security.md).
        var stored = settings with
        {
            VerifierKeys = [.. settings.VerifierKeys.Where(k => !string.IsNullOrEmpty(k)).Select(ApiKeySet.StoredForm)],
            RegistrationAuthorityKeys = [.. settings.RegistrationAuthorityKeys.Where(k => !string.IsNullOrEmpty(k)).Select(ApiKeySet.StoredForm)],
        };
        PrivateFiles.WriteAllText(Path.Combine(folder, "authority.json"), JsonSerializer.Serialize(stored, Json));
    }

    /// <summary>Reads the settings.</summary>
    public static AuthoritySettings ReadSettings(string dataDirectory)
        => JsonSerializer.Deserialize<AuthoritySettings>(File.ReadAllText(Path.Combine(PathOf(dataDirectory), "authority.json")), Json)
            ?? throw new InvalidDataException("authority.json is empty.");

    /// <summary>
    /// Opens the authority of <paramref name="dataDirectory"/>: CAs with their keys, the registry store (also the audit log),
    /// the CRL publisher and the OCSP responder. Dispose the runtime to close them.
    /// </summary>
    public static async Task<AuthorityRuntime> OpenAsync(string dataDirectory, TimeProvider clock, CancellationToken cancellationToken, AuthoritySettings? overrides = null, Microsoft.Extensions.Logging.ILoggerFactory? loggers = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        var folder = PathOf(dataDirectory);
        var settings = overrides ?? ReadSettings(dataDirectory);
        var store = await RegistryFactory.OpenAsync(dataDirectory, clock, cancellationToken).ConfigureAwait(false);
        IssuingCa? sign = null;
        IssuingCa? auth = null;
        Tsa.TimestampAuthority? timestamps = null;
        try
        {
            sign = OpenCa(folder, settings, CertificateKind.Signature);
            auth = OpenCa(folder, settings, CertificateKind.Authentication);
            var options = new AuthorityOptions
            {
                PublicBaseUrl = settings.PublicBaseUrl,
                OpenSignatureRevocationData = settings.OpenSignatureRevocationData,
                VerifierKeys = settings.VerifierKeys.ToArray(),
                VerifierCertificateThumbprints = settings.VerifierCertificateThumbprints.ToArray(),
                VerifierIssuers = settings.VerifierIssuers.Select(b => (ReadOnlyMemory<byte>)Convert.FromBase64String(b)).ToArray(),
                RegistrationAuthorityKeys = settings.RegistrationAuthorityKeys.ToArray(),
                RegistrationAuthorityCertificateThumbprints = settings.RegistrationAuthorityCertificateThumbprints.ToArray(),
                CrlPartitionMonths = settings.CrlPartitionMonths,
                PublishFullCrl = settings.PublishFullCrl,
                DeltaCrls = settings.DeltaCrls,
            };
            var authority = new CertificateAuthority(sign, auth, store, store, clock, options);
            timestamps = await OpenTimestampAuthorityAsync(folder, settings, store, clock, cancellationToken).ConfigureAwait(false);
            return new AuthorityRuntime(authority, store, Path.Combine(folder, "crl"), [store, sign, auth], timestamps, loggers);
        }
        catch
        {
            timestamps?.Dispose();
            sign?.Dispose();
            auth?.Dispose();
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static IssuingCa OpenCa(string folder, AuthoritySettings settings, CertificateKind kind)
    {
        var slug = IssuingCa.SlugOf(kind);
        var names = settings.TestNames ? CaNames.Test(kind) : CaNames.Production(kind);
        var certificate = File.ReadAllBytes(CaCertificateFile(folder, kind));
        var key = OpenKey(folder, settings, Path.Combine(folder, slug + "-ca.key.pem"), "jpki-" + slug + "-ca");
        try
        {
            return new IssuingCa(kind, names, certificate, key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens a key of the authority in <paramref name="folder"/>: the encrypted file <paramref name="file"/>, or the
    /// token key labelled <paramref name="label"/>.
    /// </summary>
    private static ICaSigningKey OpenKey(string folder, AuthoritySettings settings, string file, string label) => settings.KeySource == "pkcs11"
        ? Pkcs11CaKey.Open(settings.Pkcs11Module!, settings.Pkcs11Token!, Pin(settings), label, generateIfMissing: false)
        : SoftwareCaKey.Load(file, Passphrase(folder, create: false));

    private static ICaSigningKey CreateKey(string folder, AuthoritySettings settings, CertificateKind kind)
    {
        var slug = IssuingCa.SlugOf(kind);
        if (settings.Profile is not (AuthoritySettings.ProfileJpki or AuthoritySettings.ProfileNextGeneration))
        {
            throw new ArgumentException($"Unknown CA profile '{settings.Profile}': jpki or nextgen.", nameof(settings));
        }

        var algorithm = settings.Profile == AuthoritySettings.ProfileNextGeneration ? CaSignatureAlgorithm.EcdsaWithSha384 : CaSignatureAlgorithm.Sha256WithRsa;
        return CreateKey(folder, settings, Path.Combine(folder, slug + "-ca.key.pem"), "jpki-" + slug + "-ca", algorithm);
    }

    /// <summary>
    /// Creates a key of the authority in <paramref name="folder"/> (see <see cref="OpenKey"/>): RSA-2048, or P-384 for a
    /// next-generation CA (the time-stamping unit stays RSA).
    /// </summary>
    private static ICaSigningKey CreateKey(string folder, AuthoritySettings settings, string file, string label, CaSignatureAlgorithm algorithm = CaSignatureAlgorithm.Sha256WithRsa)
    {
        if (settings.KeySource == "pkcs11")
        {
            if (algorithm != CaSignatureAlgorithm.Sha256WithRsa)
            {
                throw new ArgumentException("The nextgen CA profile (ECDSA P-384) keeps its keys in software files: PKCS#11 CA keys are RSA only in this build.", nameof(settings));
            }

            if (string.IsNullOrWhiteSpace(settings.Pkcs11Module) || string.IsNullOrWhiteSpace(settings.Pkcs11Token))
            {
                throw new ArgumentException("A PKCS#11 key source needs the module and the token label.", nameof(settings));
            }

            return Pkcs11CaKey.Open(settings.Pkcs11Module, settings.Pkcs11Token, Pin(settings), label, generateIfMissing: true);
        }

        var key = SoftwareCaKey.Generate(algorithm);
        key.Save(file, Passphrase(folder, create: true));
        return key;
    }

    private static string Pin(AuthoritySettings settings)
        => Environment.GetEnvironmentVariable(settings.Pkcs11PinEnvironmentVariable)
            ?? throw new Pkcs11KeyException($"Set the token's user PIN in the environment variable {settings.Pkcs11PinEnvironmentVariable}.");

    private static string Passphrase(string folder, bool create)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(PassphraseVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }

        var file = Path.Combine(folder, "passphrase");
        if (File.Exists(file))
        {
            return File.ReadAllText(file).Trim();
        }

        if (!create)
        {
            throw new CryptographicException($"No passphrase for the CA keys: set {PassphraseVariable}.");
        }

        var generated = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        PrivateFiles.WriteAllText(file, generated);
        return generated;
    }
}
