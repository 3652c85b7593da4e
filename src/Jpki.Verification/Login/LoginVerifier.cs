using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Core.Identity;

namespace Jpki.Verification.Login;

/// <summary>
/// JPKI login, the verifying side: issues random single-use challenges, then checks the card's signature over the
/// challenge (PKCS#1 v1.5 over the SHA-256 DigestInfo, as <c>80 2A 00 80</c> with the authentication key produces it)
/// with the authentication certificate, its path and its revocation status, and derives the stable account key.
/// </summary>
/// <remarks>
/// A challenge is consumed by the first answer, right or wrong, so one challenge allows one guess; answers after
/// <see cref="LoginOptions.ChallengeLifetime"/> are refused. A signature certificate is refused (wrong kind): login
/// uses 利用者証明用電子証明書, which carries no personal data.
/// </remarks>
public sealed class LoginVerifier
{
    private const int ChallengeBytes = 32;

    private readonly JpkiVerifier _verifier;
    private readonly IChallengeStore _store;
    private readonly TimeProvider _clock;
    private readonly ICertificateLinkage? _linkage;
    private readonly LoginOptions _options;

    /// <summary>Creates the login verifier.</summary>
    /// <param name="verifier">Verifies the certificate (trust, path, revocation).</param>
    /// <param name="store">Stores the challenges; <see cref="InMemoryChallengeStore"/> for one process.</param>
    /// <param name="clock">The clock for challenge lifetimes.</param>
    /// <param name="linkage">The authority's linkage service, for account keys stable across renewals; null to key by the certificate itself.</param>
    /// <param name="options">Options; null for the defaults.</param>
    public LoginVerifier(JpkiVerifier verifier, IChallengeStore store, TimeProvider clock, ICertificateLinkage? linkage = null, LoginOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(clock);
        _verifier = verifier;
        _store = store;
        _clock = clock;
        _linkage = linkage;
        _options = options ?? new LoginOptions();
    }

    /// <summary>Issues a new challenge and stores it.</summary>
    public async Task<LoginChallenge> IssueChallengeAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var bytes = RandomNumberGenerator.GetBytes(ChallengeBytes);
            var now = _clock.GetUtcNow();
            var challenge = new LoginChallenge(Base64Url.EncodeToString(bytes), bytes, now, now + _options.ChallengeLifetime);
            if (await _store.TryAddAsync(challenge, cancellationToken).ConfigureAwait(false))
            {
                return challenge;
            }
        }
    }

    /// <summary>Verifies the answer to challenge <paramref name="challengeId"/>.</summary>
    /// <param name="challengeId">The challenge id (base64url) the client answered.</param>
    /// <param name="signature">The card's signature.</param>
    /// <param name="certificate">The authentication certificate read from the card.</param>
    /// <param name="intermediates">Intermediate CA certificates, if any.</param>
    /// <param name="cancellationToken">Cancels store and revocation I/O.</param>
    public async Task<LoginResult> VerifyAsync(string challengeId, ReadOnlyMemory<byte> signature, X509Certificate2 certificate, IReadOnlyCollection<X509Certificate2>? intermediates = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(challengeId);
        ArgumentNullException.ThrowIfNull(certificate);
        var challenge = await _store.TryTakeAsync(challengeId, cancellationToken).ConfigureAwait(false);
        if (challenge is null)
        {
            return new(Verdict.Fail(VerdictCode.ChallengeRejected, "The challenge is unknown or was already used; ask for a new one."), certificate, null);
        }

        var now = _clock.GetUtcNow();
        if (now > challenge.ExpiresAt)
        {
            return new(Verdict.Fail(VerdictCode.ChallengeRejected, $"The challenge expired ({_options.ChallengeLifetime.TotalSeconds:0} s lifetime); ask for a new one."), certificate, null);
        }

        var result = await _verifier.VerifyPkcs1Async(challenge.Challenge, signature, certificate, CertificateKind.Authentication, intermediates, now, cancellationToken).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return new(result.Verdict, certificate, null);
        }

        var first = await AccountKeys.FirstOfChainAsync(CertificateId.Of(certificate), _linkage, cancellationToken).ConfigureAwait(false);
        return new(Verdict.Valid, certificate, AccountKeys.FromFirstCertificate(first));
    }

    /// <summary>
    /// The account key a service that onboarded the citizen with a signature certificate should store, so later logins
    /// with the linked authentication certificate find the same account; null when the linkage service knows no link.
    /// </summary>
    public async Task<string?> AccountKeyForSignatureCertificateAsync(X509Certificate2 signCertificate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signCertificate);
        if (_linkage is null || await _linkage.FindAuthenticationForSignatureAsync(CertificateId.Of(signCertificate), cancellationToken).ConfigureAwait(false) is not { } auth)
        {
            return null;
        }

        return AccountKeys.FromFirstCertificate(await AccountKeys.FirstOfChainAsync(auth, _linkage, cancellationToken).ConfigureAwait(false));
    }
}
