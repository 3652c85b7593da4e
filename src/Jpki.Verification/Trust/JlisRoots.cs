namespace Jpki.Verification.Trust;

/// <summary>
/// What is known of the real J-LIS root certificates (JPKI-REFERENCE §6.1). A real root is trusted only when its
/// full SHA-256 fingerprint is pinned here or configured by the caller; the partial fingerprints are documentation.
/// </summary>
public static class JlisRoots
{
    /// <summary>Full SHA-256 fingerprint of signca02 (J-LIS <c>sign_fingerprint.pdf</c>, quoted by ZKM).</summary>
    public const string SignCa02Sha256 = "79679C33E4CC9319440F1AD120A597FF1844E2EF217063ADB176966FD5E6FBEB";

    /// <summary>Full SHA-256 fingerprint of signca03 (J-LIS <c>sign_fingerprint.pdf</c>; matches the MYNA copy).</summary>
    public const string SignCa03Sha256 = "D227F6CDE11D35C5252178F106F843D24651944975413B539FA2FB68DBFA365F";

    /// <summary>Subject DN of the J-LIS signature CAs (all generations share it).</summary>
    public const string SignCaName = "C=JP, O=JPKI, OU=JPKI for digital signature, OU=Japan Agency for Local Authority Information Systems";

    /// <summary>Subject DN of the J-LIS authentication CAs (all generations share it).</summary>
    public const string AuthCaName = "C=JP, O=JPKI, OU=JPKI for user authentication, OU=Japan Agency for Local Authority Information Systems";

    /// <summary>The fingerprints pinned by default: only those known in full.</summary>
    public static IReadOnlyList<string> PinnedSha256 { get; } = [SignCa02Sha256, SignCa03Sha256];

    /// <summary>
    /// Known prefixes…suffixes of the other generations (authca01 <c>4DCFC4CA…1D58CA7D</c>, authca03
    /// <c>64114F29…18C322B5</c>, signca01 <c>19645405…06FC9355</c>; authca02 unknown). They are not enough to pin a root:
    /// configure the full value with <see cref="TrustStoreBuilder.PinJlisFingerprint(string)"/> after checking it
    /// against https://www.jpki.go.jp/ca/index.html.
    /// </summary>
    public static IReadOnlyDictionary<string, string> PartialSha256 { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["authca01"] = "4DCFC4CA…1D58CA7D",
        ["authca03"] = "64114F29…18C322B5",
        ["signca01"] = "19645405…06FC9355",
    };
}
