using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace Jpki.Authority.Keys;

/// <summary>
/// A CA key inside a PKCS#11 token (an HSM; SoftHSM2 in tests), found by label. Signing sends the SHA-256 DigestInfo to
/// the token with CKM_RSA_PKCS, so the private key never exists in process memory. One logged-in session, used under a
/// lock (PKCS#11 sessions are not thread-safe).
/// </summary>
public sealed class Pkcs11CaKey : ICaSigningKey
{
    // DER DigestInfo prefix for SHA-256 (RFC 8017 §9.2 note 1).
    private static readonly byte[] Sha256DigestInfoPrefix = Convert.FromHexString("3031300D060960864801650304020105000420");

    // One loaded library per module: C_Initialize may run once per process, and C_Finalize ends every session.
    private static readonly Dictionary<string, (IPkcs11Library Library, int References)> Libraries = new(StringComparer.Ordinal);

    private readonly string _modulePath;
    private readonly ISession _session;
    private readonly IObjectHandle _privateKey;
    private readonly object _gate = new();

    private Pkcs11CaKey(string modulePath, ISession session, IObjectHandle privateKey, PublicKey publicKey, int signatureSize)
    {
        _modulePath = modulePath;
        _session = session;
        _privateKey = privateKey;
        PublicKey = publicKey;
        SignatureSize = signatureSize;
    }

    /// <inheritdoc />
    public PublicKey PublicKey { get; }

    /// <inheritdoc />
    public int SignatureSize { get; }

    /// <summary>
    /// Opens the RSA key pair labelled <paramref name="keyLabel"/> on the token labelled <paramref name="tokenLabel"/>.
    /// When <paramref name="generateIfMissing"/>, a missing key pair is generated in the token (RSA-2048, e=65537,
    /// CKA_SENSITIVE, not extractable).
    /// </summary>
    /// <param name="modulePath">The PKCS#11 module, e.g. <c>/usr/lib/softhsm/libsofthsm2.so</c>.</param>
    /// <param name="tokenLabel">The token label.</param>
    /// <param name="userPin">The user PIN (from configuration or an environment variable; never logged).</param>
    /// <param name="keyLabel">CKA_LABEL of the key pair.</param>
    /// <param name="generateIfMissing">Generate the key pair when the token has none with that label.</param>
    /// <exception cref="Pkcs11KeyException">Module, token or key not found, or the login failed.</exception>
    public static Pkcs11CaKey Open(string modulePath, string tokenLabel, string userPin, string keyLabel, bool generateIfMissing)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modulePath);
        ArgumentException.ThrowIfNullOrWhiteSpace(tokenLabel);
        ArgumentNullException.ThrowIfNull(userPin);
        ArgumentException.ThrowIfNullOrWhiteSpace(keyLabel);
        if (!File.Exists(modulePath))
        {
            throw new Pkcs11KeyException($"The PKCS#11 module {modulePath} does not exist (for SoftHSM2: apt-get install softhsm2).");
        }

        Pkcs11NativeLoader.EnsureRegistered();
        var factories = new Pkcs11InteropFactories();
        IPkcs11Library? library = null;
        ISession? session = null;
        try
        {
            library = Acquire(factories, modulePath);
            var slot = library.GetSlotList(SlotsType.WithTokenPresent).FirstOrDefault(s => s.GetTokenInfo().Label.Trim() == tokenLabel)
                ?? throw new Pkcs11KeyException($"No token labelled '{tokenLabel}' in {modulePath}.");
            session = slot.OpenSession(SessionType.ReadWrite);
            try
            {
                session.Login(CKU.CKU_USER, userPin);
            }
            catch (Pkcs11Exception ex) when (ex.RV == CKR.CKR_USER_ALREADY_LOGGED_IN)
            {
                // Login state is shared by all sessions of this process on the token (the other CA's key is open).
            }

            var attributes = session.Factories.ObjectAttributeFactory;
            var privateKey = Find(session, CKO.CKO_PRIVATE_KEY, keyLabel);
            var publicHandle = Find(session, CKO.CKO_PUBLIC_KEY, keyLabel);
            if (privateKey is null || publicHandle is null)
            {
                if (!generateIfMissing)
                {
                    throw new Pkcs11KeyException($"No RSA key pair labelled '{keyLabel}' on token '{tokenLabel}'.");
                }

                var id = RandomNumberGenerator.GetBytes(8);
                List<IObjectAttribute> publicTemplate =
                [
                    attributes.Create(CKA.CKA_TOKEN, true),
                    attributes.Create(CKA.CKA_PRIVATE, false),
                    attributes.Create(CKA.CKA_LABEL, keyLabel),
                    attributes.Create(CKA.CKA_ID, id),
                    attributes.Create(CKA.CKA_VERIFY, true),
                    attributes.Create(CKA.CKA_MODULUS_BITS, 2048UL),
                    attributes.Create(CKA.CKA_PUBLIC_EXPONENT, new byte[] { 0x01, 0x00, 0x01 }),
                ];
                List<IObjectAttribute> privateTemplate =
                [
                    attributes.Create(CKA.CKA_TOKEN, true),
                    attributes.Create(CKA.CKA_PRIVATE, true),
                    attributes.Create(CKA.CKA_LABEL, keyLabel),
                    attributes.Create(CKA.CKA_ID, id),
                    attributes.Create(CKA.CKA_SENSITIVE, true),
                    attributes.Create(CKA.CKA_EXTRACTABLE, false),
                    attributes.Create(CKA.CKA_SIGN, true),
                ];
                using var mechanism = session.Factories.MechanismFactory.Create(CKM.CKM_RSA_PKCS_KEY_PAIR_GEN);
                session.GenerateKeyPair(mechanism, publicTemplate, privateTemplate, out publicHandle, out privateKey);
            }

            var values = session.GetAttributeValue(publicHandle, [CKA.CKA_MODULUS, CKA.CKA_PUBLIC_EXPONENT]);
            var modulus = values[0].GetValueAsByteArray();
            using var rsa = RSA.Create(new RSAParameters { Modulus = modulus, Exponent = values[1].GetValueAsByteArray() });
            return new Pkcs11CaKey(modulePath, session, privateKey, new PublicKey(rsa), (rsa.KeySize + 7) / 8);
        }
        catch (Exception ex) when (ex is Pkcs11Exception or UnmanagedException)
        {
            session?.Dispose();
            if (library is not null)
            {
                Release(modulePath);
            }

            throw new Pkcs11KeyException("The PKCS#11 token refused the operation (wrong PIN, token or module?): " + ex.GetType().Name, ex);
        }
        catch
        {
            session?.Dispose();
            if (library is not null)
            {
                Release(modulePath);
            }

            throw;
        }
    }

    /// <summary>Whether the token marks the private key sensitive and not extractable (it can never be read out).</summary>
    public bool PrivateKeyIsNonExtractable()
    {
        lock (_gate)
        {
            var values = _session.GetAttributeValue(_privateKey, [CKA.CKA_SENSITIVE, CKA.CKA_EXTRACTABLE]);
            return values[0].GetValueAsBool() && !values[1].GetValueAsBool();
        }
    }

    /// <inheritdoc />
    public byte[] SignSha256Hash(ReadOnlySpan<byte> hash)
    {
        if (hash.Length != SHA256.HashSizeInBytes)
        {
            throw new ArgumentException("A SHA-256 digest is 32 bytes.", nameof(hash));
        }

        byte[] digestInfo = [.. Sha256DigestInfoPrefix, .. hash];
        lock (_gate)
        {
            using var mechanism = _session.Factories.MechanismFactory.Create(CKM.CKM_RSA_PKCS);
            return _session.Sign(mechanism, _privateKey, digestInfo);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            // No C_Logout: it would log out every session of the process, including the other CA's; closing the last
            // session ends the login (PKCS#11 v2.40 §5.6).
            _session.Dispose();
            Release(_modulePath);
        }
    }

    private static IPkcs11Library Acquire(Pkcs11InteropFactories factories, string modulePath)
    {
        lock (Libraries)
        {
            var (library, references) = Libraries.TryGetValue(modulePath, out var entry)
                ? entry
                : (factories.Pkcs11LibraryFactory.LoadPkcs11Library(factories, modulePath, AppType.MultiThreaded), 0);
            Libraries[modulePath] = (library, references + 1);
            return library;
        }
    }

    private static void Release(string modulePath)
    {
        lock (Libraries)
        {
            if (!Libraries.TryGetValue(modulePath, out var entry))
            {
                return;
            }

            if (entry.References <= 1)
            {
                Libraries.Remove(modulePath);
                entry.Library.Dispose();
            }
            else
            {
                Libraries[modulePath] = (entry.Library, entry.References - 1);
            }
        }
    }

    private static IObjectHandle? Find(ISession session, CKO objectClass, string label)
    {
        var attributes = session.Factories.ObjectAttributeFactory;
        var found = session.FindAllObjects([attributes.Create(CKA.CKA_CLASS, objectClass), attributes.Create(CKA.CKA_LABEL, label)]);
        return found.Count > 0 ? found[0] : null;
    }
}
