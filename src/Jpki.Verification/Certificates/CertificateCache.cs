using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;

namespace Jpki.Verification.Certificates;

/// <summary>
/// One <see cref="X509Certificate2"/> per distinct certificate encoding, so a relying party that sees the same signer
/// certificate again and again imports it (and its public key, hashes and path) once instead of per signature.
/// Keyed by the full DER bytes (byte-exact equality, not a hash alone), bounded, thread-safe.
/// </summary>
/// <remarks>
/// The instances are shared between results: callers must not dispose a certificate a verification returned. A
/// disposed instance is detected and imported again rather than handed out.
/// </remarks>
internal sealed class CertificateCache
{
    private readonly int _limit;
    private readonly ConcurrentDictionary<byte[], X509Certificate2> _byEncoding = new(ByteArrayComparer.Instance);
    private readonly ConcurrentDictionary<byte[], X509Certificate2>.AlternateLookup<ReadOnlySpan<byte>> _lookup;

    public CertificateCache(int limit = 10_000)
    {
        _limit = limit;
        _lookup = _byEncoding.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    public int Count => _byEncoding.Count;

    /// <summary>The certificate with this DER encoding.</summary>
    /// <exception cref="System.Security.Cryptography.CryptographicException">Not a certificate.</exception>
    public X509Certificate2 Get(ReadOnlySpan<byte> der)
    {
        if (_lookup.TryGetValue(der, out var known) && known.Handle != IntPtr.Zero)
        {
            return known;
        }

        var certificate = X509CertificateLoader.LoadCertificate(der);
        if (_byEncoding.Count >= _limit)
        {
            _byEncoding.Clear();
        }

        _byEncoding[der.ToArray()] = certificate;
        return certificate;
    }

    private sealed class ByteArrayComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly ByteArrayComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x is null ? y is null : y is not null && x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => GetHashCode((ReadOnlySpan<byte>)obj);

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var hash = default(HashCode);
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }
}
