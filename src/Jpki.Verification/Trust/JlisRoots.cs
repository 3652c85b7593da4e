using System.Collections.Frozen;
using System.Security.Cryptography.X509Certificates;

namespace Jpki.Verification.Trust;

/// <summary>
/// The real J-LIS root certificates (JPKI-REFERENCE §6.1). A root that carries the J-LIS name (<c>O=JPKI</c>) is trusted
/// only when its full SHA-256 fingerprint is pinned: here (<see cref="PinnedSha256"/>) or by the caller
/// (<see cref="TrustStoreBuilder.PinJlisFingerprint(string)"/>).
/// </summary>
/// <remarks>
/// Pinned here: every public root whose bytes or full fingerprint we hold — authca01, authca03, signca01, signca03 from
/// the DER published by J-LIS (as kept by jpki/myna <c>src/ta</c>; each matches the partial fingerprint the reference
/// quotes) and signca02 by the fingerprint of J-LIS's <c>sign_fingerprint.pdf</c>. authca02 (serial <c>0133C349</c>,
/// 2019-09-14 to 2029-09-14) is not pinned: neither its bytes nor its fingerprint are available to this project; check
/// it against https://www.jpki.go.jp/ca/index.html and pin it yourself.
/// </remarks>
public static class JlisRoots
{
    /// <summary>Full SHA-256 fingerprint of signca01 (2015-10-20 to 2025-10-19, serial 01).</summary>
    public const string SignCa01Sha256 = "19645405A1FE14377434BD55957628AC4038557C542403A2243F21C706FC9355";

    /// <summary>Full SHA-256 fingerprint of signca02 (J-LIS <c>sign_fingerprint.pdf</c>, quoted by ZKM).</summary>
    public const string SignCa02Sha256 = "79679C33E4CC9319440F1AD120A597FF1844E2EF217063ADB176966FD5E6FBEB";

    /// <summary>Full SHA-256 fingerprint of signca03 (J-LIS <c>sign_fingerprint.pdf</c>; matches the MYNA copy).</summary>
    public const string SignCa03Sha256 = "D227F6CDE11D35C5252178F106F843D24651944975413B539FA2FB68DBFA365F";

    /// <summary>Full SHA-256 fingerprint of authca01 (2015-10-20 to 2025-10-19, serial 01).</summary>
    public const string AuthCa01Sha256 = "4DCFC4CA0AAF9FB2A3081B3F0C991C320B3ACC008667A341EEAEC5AF1D58CA7D";

    /// <summary>Full SHA-256 fingerprint of authca03 (2023-07-16 to 2033-07-15, serial 06D18006).</summary>
    public const string AuthCa03Sha256 = "64114F29620C24ED2631D46476A040E7EE740D956089C00B036A6A8118C322B5";

    /// <summary>Subject DN of the J-LIS signature CAs (all generations share it).</summary>
    public const string SignCaName = "C=JP, O=JPKI, OU=JPKI for digital signature, OU=Japan Agency for Local Authority Information Systems";

    /// <summary>Subject DN of the J-LIS authentication CAs (all generations share it).</summary>
    public const string AuthCaName = "C=JP, O=JPKI, OU=JPKI for user authentication, OU=Japan Agency for Local Authority Information Systems";

    /// <summary>The organisation of the J-LIS names; a root carrying it must be pinned.</summary>
    public const string Organization = "JPKI";

    private static readonly Lazy<FrozenDictionary<string, X509Certificate2>> Embedded = new(Load);

    /// <summary>The pinned fingerprints by J-LIS file name (<c>signca01</c>…): the public roots known in full.</summary>
    public static IReadOnlyDictionary<string, string> PinnedSha256ByName { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["authca01"] = AuthCa01Sha256,
        ["authca03"] = AuthCa03Sha256,
        ["signca01"] = SignCa01Sha256,
        ["signca02"] = SignCa02Sha256,
        ["signca03"] = SignCa03Sha256,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The fingerprints pinned by default: every public root known in full (authca02 is not).</summary>
    public static IReadOnlyList<string> PinnedSha256 { get; } = [.. PinnedSha256ByName.Values.Order(StringComparer.Ordinal)];

    /// <summary>The fingerprints as JPKI-REFERENCE §6.1 quotes them (first and last 8 hex digits), kept to check the embedded copies.</summary>
    public static IReadOnlyDictionary<string, string> PartialSha256 { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["authca01"] = "4DCFC4CA…1D58CA7D",
        ["authca03"] = "64114F29…18C322B5",
        ["signca01"] = "19645405…06FC9355",
    };

    /// <summary>
    /// The J-LIS roots whose DER is embedded in this library (authca01, authca03, signca01, signca03), by file name.
    /// Each is pinned; add them with <see cref="TrustStoreBuilder.AddJlisRoots"/> to verify real cards.
    /// </summary>
    public static IReadOnlyDictionary<string, X509Certificate2> Certificates() => Embedded.Value;

    /// <summary>True when <paramref name="name"/> carries the J-LIS organisation (<c>O=JPKI</c>, any string type).</summary>
    public static bool CarriesJlisName(X500DistinguishedName name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var rdn in name.EnumerateRelativeDistinguishedNames())
        {
            if (rdn.HasMultipleElements)
            {
                continue;
            }

            if (rdn.GetSingleElementType().Value == "2.5.4.10"
                && string.Equals(rdn.GetSingleElementValue()?.Trim(), Organization, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static FrozenDictionary<string, X509Certificate2> Load()
    {
        var assembly = typeof(JlisRoots).Assembly;
        var result = new Dictionary<string, X509Certificate2>(StringComparer.Ordinal);
        foreach (var name in new[] { "authca01", "authca03", "signca01", "signca03" })
        {
            using var stream = assembly.GetManifestResourceStream($"Jpki.Verification.Trust.Roots.{name}.pem")
                ?? throw new InvalidOperationException($"The embedded J-LIS root {name} is missing from the assembly.");
            using var reader = new StreamReader(stream);
            var certificate = X509Certificate2.CreateFromPem(reader.ReadToEnd());
            var fingerprint = certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);
            if (fingerprint != PinnedSha256ByName[name])
            {
                throw new InvalidOperationException($"The embedded J-LIS root {name} does not match its pinned fingerprint.");
            }

            result[name] = certificate;
        }

        return result.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
