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

    internal TrustStore(IReadOnlyList<X509Certificate2> roots)
    {
        Roots = roots;
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

    internal static string NameKey(X500DistinguishedName name) => Convert.ToBase64String(name.RawData);
}
