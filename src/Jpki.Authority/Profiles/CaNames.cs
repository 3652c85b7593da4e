using Jpki.Core.Identity;

namespace Jpki.Authority.Profiles;

/// <summary>
/// The names of one CA: its distinguished name (C=JP, O, OU, OU) and the Japanese directory name carried in its
/// subjectAltName and in the issuerAltName of its end-entity certificates (JPKI-REFERENCE §6.1).
/// </summary>
/// <param name="Organization">O of the DN, <c>JPKI</c> in production.</param>
/// <param name="Unit">First OU: <c>JPKI for digital signature</c> or <c>JPKI for user authentication</c>.</param>
/// <param name="Agency">Second OU: <c>Japan Agency for Local Authority Information Systems</c>.</param>
/// <param name="JapaneseOrganization">O of the Japanese name: 公的個人認証サービス.</param>
/// <param name="JapaneseUnit">First OU of the Japanese name: 公的個人認証サービス署名用 / 利用者証明用.</param>
/// <param name="JapaneseAgency">Second OU of the Japanese name: 地方公共団体情報システム機構.</param>
public sealed record CaNames(
    string Organization,
    string Unit,
    string Agency,
    string JapaneseOrganization,
    string JapaneseUnit,
    string JapaneseAgency)
{
    /// <summary>
    /// True for the test-environment names (<see cref="Test"/>): the CA then issues the test-environment certificate
    /// policies (<c>1.2.392.200149.8.5.1.0.20</c> sign, <c>…0.30</c> auth), so that no relying party that accepts only
    /// the production policies mistakes a test certificate for a real one (JPKI-REFERENCE §6.2).
    /// </summary>
    public bool TestEnvironment { get; init; }

    /// <summary>The names J-LIS uses for the CA of <paramref name="kind"/> ([C] published roots).</summary>
    public static CaNames Production(CertificateKind kind) => kind switch
    {
        CertificateKind.Signature => new("JPKI", "JPKI for digital signature", "Japan Agency for Local Authority Information Systems", "公的個人認証サービス", "公的個人認証サービス署名用", "地方公共団体情報システム機構"),
        CertificateKind.Authentication => new("JPKI", "JPKI for user authentication", "Japan Agency for Local Authority Information Systems", "公的個人認証サービス", "公的個人認証サービス利用者証明用", "地方公共団体情報システム機構"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown certificate kind."),
    };

    /// <summary>
    /// Test-environment names: <c>O=JPKI-TEST</c> ([R] test cards carry O=JPKI-TEST roots) and a Japanese name marked
    /// テスト, so that a test certificate can never be mistaken for a production one.
    /// </summary>
    public static CaNames Test(CertificateKind kind)
    {
        var production = Production(kind);
        return production with { Organization = "JPKI-TEST", JapaneseOrganization = production.JapaneseOrganization + "（テスト）", TestEnvironment = true };
    }
}
