using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace Jpki.Authority.Keys;

/// <summary>
/// A CA key inside a PKCS#11 token (an HSM; SoftHSM2 in tests), found by label. Signing sends the SHA-256 DigestInfo to
/// the token with CKM_RSA_PKCS, so the private key never exists in process memory. One logged-in session, used under a
/// lock (PKCS#11 sessions are not thread-safe). When the token fails an operation (removed, restarted: the session
/// handle is dead), the session is dropped and re-opened on the next use — found again by token and key label, logged
/// in again, and checked to hold the same public key — so putting the token back brings the key back without a restart.
/// The user PIN is kept for that, as UTF-8 bytes zeroed on dispose; it never appears in a message.
/// </summary>
public sealed class Pkcs11CaKey : ICaSigningKey
{
    // DER DigestInfo prefix for SHA-256 (RFC 8017 §9.2 note 1).
    private static readonly byte[] Sha256DigestInfoPrefix = Convert.FromHexString("3031300D060960864801650304020105000420");

    // One loaded library per module: C_Initialize may run once per process, and C_Finalize ends every session.
    private static readonly Dictionary<string, (IPkcs11Library Library, int References)> Libraries = new(StringComparer.Ordinal);

    private readonly string _modulePath;
    private readonly string _tokenLabel;
    private readonly string _keyLabel;
    private readonly byte[] _pin;
    private readonly byte[] _modulus;
    private readonly object _gate = new();
    private ISession? _session;
    private IObjectHandle? _privateKey;
    private bool _disposed;

    private Pkcs11CaKey(string modulePath, string tokenLabel, string keyLabel, byte[] pin, ISession session, IObjectHandle privateKey, PublicKey publicKey, byte[] modulus, int signatureSize)
    {
        _modulePath = modulePath;
        _tokenLabel = tokenLabel;
        _keyLabel = keyLabel;
        _pin = pin;
        _modulus = modulus;
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
            return new Pkcs11CaKey(modulePath, tokenLabel, keyLabel, System.Text.Encoding.UTF8.GetBytes(userPin), session, privateKey, new PublicKey(rsa), modulus, (rsa.KeySize + 7) / 8);
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
            var (session, privateKey) = Use();
            var values = session.GetAttributeValue(privateKey, [CKA.CKA_SENSITIVE, CKA.CKA_EXTRACTABLE]);
            return values[0].GetValueAsBool() && !values[1].GetValueAsBool();
        }
    }

    /// <summary>
    /// Whether the token answers now (a session query; re-opens the session when it was dropped). For health checks:
    /// false when the token is removed. Never throws for a token failure.
    /// </summary>
    public bool IsAvailable()
    {
        lock (_gate)
        {
            try
            {
                var (session, privateKey) = Use();
                _ = session.GetAttributeValue(privateKey, [CKA.CKA_SIGN]);
                return true;
            }
            catch (Exception ex) when (ex is Pkcs11KeyException or Pkcs11Exception or UnmanagedException)
            {
                Drop();
                return false;
            }
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
            // A session that failed is dropped and the operation tried once more on a fresh one: a token restarted (or
            // put back) since the last signature answers the second time.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var (session, privateKey) = Use();
                    using var mechanism = session.Factories.MechanismFactory.Create(CKM.CKM_RSA_PKCS);
                    return session.Sign(mechanism, privateKey, digestInfo);
                }
                catch (Exception ex) when (ex is Pkcs11Exception or UnmanagedException)
                {
                    Drop();
                    if (attempt >= 2)
                    {
                        throw new Pkcs11KeyException($"The PKCS#11 token '{_tokenLabel}' could not sign with key '{_keyLabel}' (token removed or failing?): {Describe(ex)}", ex);
                    }
                }
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;

            // No C_Logout: it would log out every session of the process, including the other CA's; closing the last
            // session ends the login (PKCS#11 v2.40 §5.6).
            Drop();
            CryptographicOperations.ZeroMemory(_pin);
            Release(_modulePath);
        }
    }

    private static string Describe(Exception ex) => ex is Pkcs11Exception p ? p.RV.ToString() : ex.GetType().Name;

    /// <summary>The live session and key handle, re-opening them when dropped. Call under <see cref="_gate"/>.</summary>
    /// <exception cref="Pkcs11KeyException">The token or the key is not there, or the login failed.</exception>
    private (ISession Session, IObjectHandle PrivateKey) Use()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_session is not null && _privateKey is not null)
        {
            return (_session, _privateKey);
        }

        IPkcs11Library library;
        lock (Libraries)
        {
            library = Libraries[_modulePath].Library;
        }

        ISession? session = null;
        try
        {
            var slot = library.GetSlotList(SlotsType.WithTokenPresent).FirstOrDefault(s => s.GetTokenInfo().Label.Trim() == _tokenLabel)
                ?? throw new Pkcs11KeyException($"The PKCS#11 token '{_tokenLabel}' is not present.");
            session = slot.OpenSession(SessionType.ReadWrite);
            try
            {
                session.Login(CKU.CKU_USER, _pin);
            }
            catch (Pkcs11Exception ex) when (ex.RV == CKR.CKR_USER_ALREADY_LOGGED_IN)
            {
                // Shared login state of the process on this token.
            }

            var privateKey = Find(session, CKO.CKO_PRIVATE_KEY, _keyLabel);
            var publicHandle = Find(session, CKO.CKO_PUBLIC_KEY, _keyLabel);
            if (privateKey is null || publicHandle is null
                || !session.GetAttributeValue(publicHandle, [CKA.CKA_MODULUS])[0].GetValueAsByteArray().AsSpan().SequenceEqual(_modulus))
            {
                throw new Pkcs11KeyException($"The PKCS#11 token '{_tokenLabel}' no longer holds the key '{_keyLabel}' this CA was opened with.");
            }

            _session = session;
            _privateKey = privateKey;
            return (session, privateKey);
        }
        catch (Exception ex) when (ex is Pkcs11Exception or UnmanagedException)
        {
            session?.Dispose();
            throw new Pkcs11KeyException($"The PKCS#11 token '{_tokenLabel}' is not available: {Describe(ex)}", ex);
        }
        catch
        {
            session?.Dispose();
            throw;
        }
    }

    /// <summary>Forgets the session (closing it when the token still knows it). Call under <see cref="_gate"/>.</summary>
    private void Drop()
    {
        var session = _session;
        _session = null;
        _privateKey = null;
        try
        {
            session?.Dispose();
        }
        catch (Exception ex) when (ex is Pkcs11Exception or UnmanagedException)
        {
            // The handle was already dead (token removed).
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
