using System.Collections.Frozen;
using System.Security.Cryptography.X509Certificates;

namespace Jpki.Verification.Trust;

/// <summary>
/// The trust anchors of a relying party: immutable, built with <see cref="TrustStoreBuilder"/>. Several generations
/// of a CA share one DN, so lookups return every anchor with the issuer's name and the path validator decides by
/// signature.
/// </summary>
public sealed class TrustStore
{
    private readonly FrozenDictionary<string, X509Certificate2[]> _byName;
    private readonly HashSet<X509Certificate2> _pinned;

    internal TrustStore(IReadOnlyList<X509Certificate2> roots, IEnumerable<string> pinnedSha256)
    {
        Roots = roots;
        var pins = pinnedSha256.ToHashSet(StringComparer.OrdinalIgnoreCase);
        _pinned = new HashSet<X509Certificate2>(roots.Where(r => pins.Contains(Fingerprint(r))), ReferenceEqualityComparer.Instance);
        _byName = roots
            .GroupBy(r => NameKey(r.SubjectName), StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>The trust anchors.</summary>
    public IReadOnlyList<X509Certificate2> Roots { get; }

    /// <summary>The anchors whose subject is <paramref name="issuer"/> (byte-exact DER name), possibly several generations.</summary>
    public IReadOnlyList<X509Certificate2> CandidatesFor(X500DistinguishedName issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        return _byName.TryGetValue(NameKey(issuer), out var found) ? found : [];
    }

    /// <summary>True when <paramref name="certificate"/> is one of the anchors (byte-exact).</summary>
    public bool Contains(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        foreach (var candidate in CandidatesFor(certificate.SubjectName))
        {
            if (candidate.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when <paramref name="anchor"/> is one of the anchors and its SHA-256 fingerprint is pinned (a built-in J-LIS
    /// pin or one given to <see cref="TrustStoreBuilder.PinJlisFingerprint(string)"/>); false for a root that is trusted
    /// only because it was configured (e.g. a test authority's).
    /// </summary>
    public bool IsPinned(X509Certificate2 anchor)
    {
        ArgumentNullException.ThrowIfNull(anchor);
        if (_pinned.Contains(anchor))
        {
            return true;
        }

        // Another instance of the same bytes (path validation hands back the store's own instances).
        foreach (var candidate in CandidatesFor(anchor.SubjectName))
        {
            if (_pinned.Contains(candidate) && candidate.RawDataMemory.Span.SequenceEqual(anchor.RawDataMemory.Span))
            {
                return true;
            }
        }

        return false;
    }

    private static string Fingerprint(X509Certificate2 certificate) => certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);

    internal static string NameKey(X500DistinguishedName name) => Convert.ToBase64String(name.RawData);
}
