using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Verification.Certificates;

namespace Jpki.Verification.Trust;

/// <summary>
/// Builds a <see cref="TrustStore"/>: our authority's roots (files or bytes, trusted as configured) and real J-LIS
/// roots. A root that carries the J-LIS name (<c>O=JPKI</c>, see <see cref="JlisRoots.CarriesJlisName"/>) is accepted
/// only when its full SHA-256 fingerprint is pinned (<see cref="JlisRoots.PinnedSha256"/> plus
/// <see cref="PinJlisFingerprint(string)"/>), whichever method adds it: a self-made root with the J-LIS name is
/// refused. Every root must be a self-signed CA certificate.
/// </summary>
public sealed class TrustStoreBuilder
{
    private readonly List<X509Certificate2> _roots = [];
    private readonly HashSet<string> _pins = new(JlisRoots.PinnedSha256, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Adds a root of our authority (or any root the relying party chose to trust). A root with the J-LIS name must be
    /// pinned first.
    /// </summary>
    /// <exception cref="TrustStoreException">Not a self-signed CA certificate, or a J-LIS-named root whose fingerprint is not pinned.</exception>
    public TrustStoreBuilder AddRoot(X509Certificate2 root)
    {
        ArgumentNullException.ThrowIfNull(root);
        CheckRoot(root);
        if (JlisRoots.CarriesJlisName(root.SubjectName))
        {
            var fingerprint = root.GetCertHashString(HashAlgorithmName.SHA256);
            if (!_pins.Contains(fingerprint))
            {
                throw new TrustStoreException(
                    $"The root {root.Subject} (SHA-256 {fingerprint}) carries the J-LIS name but its fingerprint is not pinned: " +
                    "it is not a published J-LIS root. If you operate this authority, pin the fingerprint (--trust-pin in the jpki command, PinJlisFingerprint in the library).");
            }
        }

        if (!_roots.Exists(r => r.RawDataMemory.Span.SequenceEqual(root.RawDataMemory.Span)))
        {
            _roots.Add(root);
        }

        return this;
    }

    /// <summary>Adds a root from DER or PEM bytes.</summary>
    /// <exception cref="TrustStoreException">The bytes are not a certificate, or not a self-signed CA.</exception>
    public TrustStoreBuilder AddRoot(ReadOnlySpan<byte> derOrPem) => AddRoot(Load(derOrPem));

    /// <summary>Adds every certificate of a DER file or a PEM file (one or more <c>CERTIFICATE</c> blocks).</summary>
    /// <exception cref="TrustStoreException">The file holds no certificate, or one is not a self-signed CA.</exception>
    public TrustStoreBuilder AddRootsFromFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        foreach (var certificate in LoadAll(File.ReadAllBytes(path)))
        {
            AddRoot(certificate);
        }

        return this;
    }

    /// <summary>Pins the full SHA-256 fingerprint (hex, colons allowed) of a real J-LIS root.</summary>
    /// <exception cref="ArgumentException">Not 64 hex digits.</exception>
    public TrustStoreBuilder PinJlisFingerprint(string sha256Hex)
    {
        ArgumentNullException.ThrowIfNull(sha256Hex);
        var hex = sha256Hex.Replace(":", string.Empty, StringComparison.Ordinal).Trim();
        if (hex.Length != 64 || !hex.All(Uri.IsHexDigit))
        {
            throw new ArgumentException("A SHA-256 fingerprint is 64 hex digits.", nameof(sha256Hex));
        }

        _pins.Add(hex);
        return this;
    }

    /// <summary>
    /// Adds a real J-LIS root (e.g. <c>signca03.cer</c> from jpki.go.jp), refused unless its fingerprint is pinned —
    /// whatever its name.
    /// </summary>
    /// <exception cref="TrustStoreException">The fingerprint is not pinned, or it is not a self-signed CA.</exception>
    public TrustStoreBuilder AddJlisRoot(X509Certificate2 root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var fingerprint = root.GetCertHashString(HashAlgorithmName.SHA256);
        if (!_pins.Contains(fingerprint))
        {
            throw new TrustStoreException($"The root {root.Subject} (SHA-256 {fingerprint}) is not a pinned J-LIS root; pin its full fingerprint first.");
        }

        return AddRoot(root);
    }

    /// <summary>Adds every J-LIS root embedded in this library.</summary>
    public TrustStoreBuilder AddJlisRoots()
    {
        foreach (var root in JlisRoots.Certificates().Values)
        {
            AddJlisRoot(root);
        }

        return this;
    }

    /// <summary>The immutable trust store.</summary>
    public TrustStore Build() => new([.. _roots], _pins);

    internal static X509Certificate2 Load(ReadOnlySpan<byte> derOrPem)
    {
        var all = LoadAll(derOrPem);
        return all.Count == 1 ? all[0] : throw new TrustStoreException("Expected exactly one certificate.");
    }

    internal static List<X509Certificate2> LoadAll(ReadOnlySpan<byte> derOrPem)
    {
        try
        {
            if (derOrPem.Length > 0 && derOrPem[0] == 0x30)
            {
                return [X509CertificateLoader.LoadCertificate(derOrPem)];
            }

            var collection = new X509Certificate2Collection();
            collection.ImportFromPem(System.Text.Encoding.ASCII.GetString(derOrPem));
            return collection.Count > 0 ? [.. collection] : throw new TrustStoreException("No certificate found.");
        }
        catch (CryptographicException e)
        {
            throw new TrustStoreException("Not a certificate in DER or PEM.", e);
        }
    }

    private static void CheckRoot(X509Certificate2 root)
    {
        if (!root.SubjectName.RawData.AsSpan().SequenceEqual(root.IssuerName.RawData))
        {
            throw new TrustStoreException($"{root.Subject} is not self-issued, so it cannot be a root.");
        }

        // The BCL decodes extension values on first use, and SignedDer refuses what the loader tolerated: either throws
        // CryptographicException for a malformed root, which is this method's "not a usable root" too.
        try
        {
            var constraints = root.Extensions[JpkiOids.BasicConstraints] as X509BasicConstraintsExtension;
            if (constraints is null || !constraints.CertificateAuthority)
            {
                throw new TrustStoreException($"{root.Subject} is not a CA certificate (basicConstraints CA:TRUE missing).");
            }

            var key = PublicKeys.Of(root);
            if (key is null || !SignedDer.Decode(root.RawDataMemory).VerifyWith(key))
            {
                throw new TrustStoreException($"{root.Subject} does not verify with its own key.");
            }
        }
        catch (CryptographicException e)
        {
            throw new TrustStoreException($"{root.Subject} is not a well-formed certificate: {e.Message}", e);
        }
    }
}
