using Jpki.Core.Identity;

namespace Jpki.Authority.Contracts;

/// <summary>
/// The names the authority API, the CLI and the documents use for certificate kinds (<c>sign</c>, <c>auth</c>),
/// revocation reasons (<c>key-compromise</c>, …) and revocation results (<c>revoked</c>, <c>already-revoked</c>) — the
/// one table of each; nothing else in the code base spells them. Parsing is ordinal and strict: an unknown name is
/// refused, never mapped to a default.
/// </summary>
public static class WireNames
{
    /// <summary>The signature certificate (署名用電子証明書): <c>sign</c>.</summary>
    public const string Signature = "sign";

    /// <summary>The authentication certificate (利用者証明用電子証明書): <c>auth</c>.</summary>
    public const string Authentication = "auth";

    private static readonly (CertificateKind Kind, string Name)[] Kinds =
    [
        (CertificateKind.Signature, Signature),
        (CertificateKind.Authentication, Authentication),
    ];

    private static readonly (RevocationReason Reason, string Name)[] Reasons =
    [
        (RevocationReason.Unspecified, "unspecified"),
        (RevocationReason.KeyCompromise, "key-compromise"),
        (RevocationReason.CACompromise, "ca-compromise"),
        (RevocationReason.AffiliationChanged, "affiliation-changed"),
        (RevocationReason.Superseded, "superseded"),
        (RevocationReason.CessationOfOperation, "cessation-of-operation"),
        (RevocationReason.PrivilegeWithdrawn, "privilege-withdrawn"),
    ];

    private static readonly (RevokeResult Result, string Name)[] Results =
    [
        (RevokeResult.Revoked, "revoked"),
        (RevokeResult.AlreadyRevoked, "already-revoked"),
        (RevokeResult.NotFound, "not-found"),
    ];

    /// <summary>Every kind name, in the order <c>sign</c>, <c>auth</c>.</summary>
    public static IReadOnlyList<string> KindNames { get; } = [.. Kinds.Select(k => k.Name)];

    /// <summary>Every revocation reason name, in CRLReason order.</summary>
    public static IReadOnlyList<string> ReasonNames { get; } = [.. Reasons.Select(r => r.Name)];

    /// <summary><c>sign</c> or <c>auth</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a JPKI certificate kind.</exception>
    public static string Of(CertificateKind kind) => Name(Kinds, kind, nameof(kind));

    /// <summary>The RFC 5280 reason in kebab case (<c>key-compromise</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a CRLReason JPKI uses.</exception>
    public static string Of(RevocationReason reason) => Name(Reasons, reason, nameof(reason));

    /// <summary><c>revoked</c>, <c>already-revoked</c> or <c>not-found</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined result.</exception>
    public static string Of(RevokeResult result) => Name(Results, result, nameof(result));

    /// <summary>Parses <c>sign</c> or <c>auth</c>; false for anything else (including null).</summary>
    public static bool TryParseKind(string? name, out CertificateKind kind) => TryParse(Kinds, name, out kind);

    /// <summary>Parses a reason name; false for anything else (including null).</summary>
    public static bool TryParseReason(string? name, out RevocationReason reason) => TryParse(Reasons, name, out reason);

    /// <summary>Parses a revocation result name; false for anything else (including null).</summary>
    public static bool TryParseRevokeResult(string? name, out RevokeResult result) => TryParse(Results, name, out result);

    /// <summary>True when <paramref name="reason"/> is one JPKI uses (the values of <see cref="RevocationReason"/>).</summary>
    public static bool IsDefined(RevocationReason reason) => Array.Exists(Reasons, r => r.Reason == reason);

    private static string Name<T>((T Value, string Name)[] table, T value, string paramName)
        where T : struct, Enum
    {
        foreach (var (v, name) in table)
        {
            if (EqualityComparer<T>.Default.Equals(v, value))
            {
                return name;
            }
        }

        throw new ArgumentOutOfRangeException(paramName, value, $"Not a defined {typeof(T).Name}.");
    }

    private static bool TryParse<T>((T Value, string Name)[] table, string? name, out T value)
        where T : struct, Enum
    {
        foreach (var (v, n) in table)
        {
            if (string.Equals(n, name, StringComparison.Ordinal))
            {
                value = v;
                return true;
            }
        }

        value = default;
        return false;
    }
}
