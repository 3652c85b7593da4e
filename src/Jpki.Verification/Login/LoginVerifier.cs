using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Jpki.Core.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Jpki.Verification.Login;

/// <summary>
/// JPKI login, the verifying side: issues random single-use challenges, then checks the card's answer with the
/// authentication certificate, its path and its revocation status, and derives the stable account key.
/// Two protocols (docs/login.md):
/// <list type="bullet">
/// <item><b>Origin-bound</b> (for web sites, the Web eID scheme): <see cref="IssueChallengeAsync(string, CancellationToken)"/> ties
/// the nonce to the browser session; the card signs SHA-256(origin) ‖ SHA-256(nonce) (RS256), or with the
/// next-generation card's P-384 key SHA-384(origin) ‖ SHA-384(nonce) (ES384) (<see cref="LoginOrigin"/>);
/// <see cref="VerifyTokenAsync"/> refuses another origin, another session's nonce, a replay, an expired nonce.</item>
/// <item><b>Plain</b> (<see cref="IssueChallengeAsync(CancellationToken)"/> / <see cref="VerifyAsync"/>): the card signs
/// the SHA-256 DigestInfo of the 32 challenge bytes; nothing names the relying party, so a hostile site can relay it.</item>
/// </list>
/// </summary>
/// <remarks>
/// A challenge is consumed by the first answer, right or wrong, so one challenge allows one guess; answers after
/// <see cref="LoginOptions.ChallengeLifetime"/> are refused. A signature certificate is refused (wrong kind): login
/// uses 利用者証明用電子証明書, which carries no personal data. Thread-safe; create once.
/// </remarks>
public sealed partial class LoginVerifier
{
    private const int ChallengeBytes = 32;

    private readonly JpkiVerifier _verifier;
    private readonly IChallengeStore _store;
    private readonly TimeProvider _clock;
    private readonly ICertificateLinkage? _linkage;
    private readonly LoginOptions _options;
    private readonly HashSet<string> _origins;
    private readonly ILogger _logger;

    /// <summary>Creates the login verifier.</summary>
    /// <param name="verifier">Verifies the certificate (trust, path, revocation).</param>
    /// <param name="store">Stores the challenges; <see cref="InMemoryChallengeStore"/> for one process.</param>
    /// <param name="clock">The clock for challenge lifetimes.</param>
    /// <param name="linkage">The authority's linkage service, for account keys stable across renewals; null to key by the certificate itself.</param>
    /// <param name="options">Options; null for the defaults.</param>
    /// <param name="logger">Receives one entry per decision (serials and verdict codes, never signatures or session ids).</param>
    /// <exception cref="ArgumentException">An entry of <see cref="LoginOptions.Origins"/> is not a web origin.</exception>
    public LoginVerifier(JpkiVerifier verifier, IChallengeStore store, TimeProvider clock, ICertificateLinkage? linkage = null, LoginOptions? options = null, ILogger<LoginVerifier>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(clock);
        _verifier = verifier;
        _store = store;
        _clock = clock;
        _linkage = linkage;
        _options = options ?? new LoginOptions();
        _origins = new HashSet<string>(StringComparer.Ordinal);
        foreach (var origin in _options.Origins)
        {
            _origins.Add(LoginOrigin.Normalize(origin) ?? throw new ArgumentException($"Not a web origin (scheme://host[:port]): {origin}", nameof(options)));
        }

        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Issues a new plain challenge (not bound to an origin or session) and stores it.</summary>
    public Task<LoginChallenge> IssueChallengeAsync(CancellationToken cancellationToken = default) => IssueAsync(null, cancellationToken);

    /// <summary>
    /// Issues a nonce for an origin-bound login in browser session <paramref name="session"/> (the relying party's
    /// session id, e.g. a random value in a cookie); only its SHA-256 is stored.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="session"/> is empty.</exception>
    public Task<LoginChallenge> IssueChallengeAsync(string session, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(session);
        return IssueAsync(SessionHash(session), cancellationToken);
    }

    private async Task<LoginChallenge> IssueAsync(string? session, CancellationToken cancellationToken)
    {
        while (true)
        {
            var bytes = RandomNumberGenerator.GetBytes(ChallengeBytes);
            var now = _clock.GetUtcNow();
            var challenge = new LoginChallenge(Base64Url.EncodeToString(bytes), bytes, now, now + _options.ChallengeLifetime) { Session = session };
            if (await _store.TryAddAsync(challenge, cancellationToken).ConfigureAwait(false))
            {
                return challenge;
            }
        }
    }

    /// <summary>
    /// Verifies an origin-bound login token posted in browser session <paramref name="session"/>: takes the nonce out of
    /// the store (single use, whatever the outcome), refuses it after its lifetime or when it was issued to another
    /// session, refuses a token signed for another origin than the configured <see cref="LoginOptions.Origins"/>, then
    /// checks the signature (RS256 over <see cref="LoginOrigin.DigestInfoToSign"/>, or ES384 over
    /// <see cref="LoginOrigin.SignedData(string, string, string)"/> — the token's algorithm must match the certificate's
    /// key), the certificate's path, kind and revocation.
    /// </summary>
    /// <param name="token">The token the page posted (parse it with <see cref="LoginToken.TryParse"/>).</param>
    /// <param name="session">The relying party's session id of the request that posted it.</param>
    /// <param name="expectedKind">Authentication (login, the default); Signature where the relying party asks for the
    /// signature certificate to read the basic 4 info (with the citizen's consent and signature password).</param>
    /// <param name="intermediates">Intermediate CA certificates, if any.</param>
    /// <param name="cancellationToken">Cancels store and revocation I/O.</param>
    /// <exception cref="InvalidOperationException">No <see cref="LoginOptions.Origins"/> are configured.</exception>
    public async Task<LoginResult> VerifyTokenAsync(LoginToken token, string session, CertificateKind expectedKind = CertificateKind.Authentication, IReadOnlyCollection<X509Certificate2>? intermediates = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentException.ThrowIfNullOrEmpty(session);
        if (_origins.Count == 0)
        {
            throw new InvalidOperationException("LoginOptions.Origins is empty: configure the web origin(s) of this relying party to verify origin-bound logins.");
        }

        X509Certificate2 certificate;
        try
        {
            // One instance per distinct certificate: a citizen logs in again and again with the same one, and a fresh
            // import per token would re-decode it and re-import its public key (the bulk of a verification's cost).
            certificate = _verifier.Certificate(token.Certificate.Span);
        }
        catch (CryptographicException)
        {
            // The nonce is still burnt: a malformed answer is an answer.
            await _store.TryTakeAsync(token.Nonce, cancellationToken).ConfigureAwait(false);
            return Refuse(VerdictCode.Malformed, "The certificate in the login token cannot be decoded.", null);
        }

        var challenge = await _store.TryTakeAsync(token.Nonce, cancellationToken).ConfigureAwait(false);
        if (challenge is null)
        {
            return Refuse(VerdictCode.ChallengeRejected, "The login nonce is unknown or was already used; start the login again.", certificate);
        }

        if (challenge.Session is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(challenge.Session), Encoding.ASCII.GetBytes(SessionHash(session))))
        {
            return Refuse(VerdictCode.WrongSession, "The login nonce was issued to another browser session; start the login again in this browser.", certificate);
        }

        var now = _clock.GetUtcNow();
        if (now > challenge.ExpiresAt)
        {
            return Refuse(VerdictCode.ChallengeExpired, $"The login nonce expired ({_options.ChallengeLifetime.TotalSeconds:0} s lifetime); start the login again.", certificate);
        }

        if (!_origins.Contains(token.Origin))
        {
            return Refuse(VerdictCode.WrongOrigin, $"The card signed this login for {token.Origin}, not for this site: it may have been relayed by another site.", certificate);
        }

        // The algorithm must be the one the certificate's key calls for: an RS256 token with a P-384 certificate (or
        // ES384 with an RSA one) is refused before any signature check, so no key is ever used with a foreign scheme.
        var keyAlgorithm = LoginOrigin.AlgorithmFor(certificate);
        if (keyAlgorithm != token.Algorithm)
        {
            return Refuse(
                VerdictCode.Malformed,
                keyAlgorithm is null
                    ? "The certificate in the login token holds neither an RSA nor an ECDSA P-384 key."
                    : $"The login token says {token.Algorithm} but the certificate's key calls for {keyAlgorithm}.",
                certificate);
        }

        var result = token.Algorithm == LoginToken.AlgorithmEs384
            ? await _verifier.VerifyEcdsaSha384Async(LoginOrigin.SignedData(token.Origin, challenge.Id, LoginToken.AlgorithmEs384), token.Signature, certificate, expectedKind, intermediates, now, cancellationToken).ConfigureAwait(false)
            : await _verifier.VerifyDigestInfoSignatureAsync(LoginOrigin.DigestInfoToSign(token.Origin, challenge.Id), token.Signature, certificate, expectedKind, intermediates, now, cancellationToken).ConfigureAwait(false);
        return await CompleteAsync(result, certificate, expectedKind, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Verifies the answer to plain challenge <paramref name="challengeId"/>.</summary>
    /// <param name="challengeId">The challenge id (base64url) the client answered.</param>
    /// <param name="signature">The card's signature: PKCS#1 v1.5 over the SHA-256 DigestInfo of the challenge bytes for
    /// an RSA certificate, ECDSA P-384 r‖s (96 bytes, low-S) over SHA-384 of them for a P-384 one.</param>
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
            return Refuse(VerdictCode.ChallengeRejected, "The challenge is unknown or was already used; ask for a new one.", certificate);
        }

        var now = _clock.GetUtcNow();
        if (now > challenge.ExpiresAt)
        {
            return Refuse(VerdictCode.ChallengeExpired, $"The challenge expired ({_options.ChallengeLifetime.TotalSeconds:0} s lifetime); ask for a new one.", certificate);
        }

        if (challenge.Session is not null)
        {
            return Refuse(VerdictCode.WrongSession, "The challenge was issued for an origin-bound login; answer it with a login token.", certificate);
        }

        var result = LoginOrigin.AlgorithmFor(certificate) == LoginToken.AlgorithmEs384
            ? await _verifier.VerifyEcdsaSha384Async(challenge.Challenge, signature, certificate, CertificateKind.Authentication, intermediates, now, cancellationToken).ConfigureAwait(false)
            : await _verifier.VerifyPkcs1Async(challenge.Challenge, signature, certificate, CertificateKind.Authentication, intermediates, now, cancellationToken).ConfigureAwait(false);
        return await CompleteAsync(result, certificate, CertificateKind.Authentication, cancellationToken).ConfigureAwait(false);
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

    /// <summary>base64url SHA-256 of a session id: what the store keeps instead of the id.</summary>
    private static string SessionHash(string session) => Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(session)));

    private async Task<LoginResult> CompleteAsync(SignatureVerification result, X509Certificate2 certificate, CertificateKind kind, CancellationToken cancellationToken)
    {
        if (!result.IsValid)
        {
            return Refuse(result.Verdict, certificate);
        }

        // A signature certificate (basic 4 info step) is keyed through its linked authentication certificate.
        var account = kind == CertificateKind.Signature
            ? await AccountKeyForSignatureCertificateAsync(certificate, cancellationToken).ConfigureAwait(false)
            : AccountKeys.FromFirstCertificate(await AccountKeys.FirstOfChainAsync(CertificateId.Of(certificate), _linkage, cancellationToken).ConfigureAwait(false));
        LogAccepted(_logger, certificate.SerialNumber, certificate.Issuer);
        VerificationTelemetry.Login("accepted");
        return new(Verdict.Valid, certificate, account) { BasicFourInfo = result.BasicFourInfo };
    }

    private LoginResult Refuse(VerdictCode code, string message, X509Certificate2? certificate) => Refuse(Verdict.Fail(code, message), certificate);

    private LoginResult Refuse(Verdict verdict, X509Certificate2? certificate)
    {
        // A verdict's sentence may name the certificate's subject, which for a signature certificate holds the holder's
        // prefecture and municipality: the log names the certificate by serial only.
        var reason = certificate is null ? verdict.Message : verdict.Message.Replace(certificate.Subject, "(the certificate)", StringComparison.Ordinal);
        LogRefused(_logger, verdict.MachineCode, certificate?.SerialNumber ?? "-", reason);
        VerificationTelemetry.Login(verdict.MachineCode);
        return new(verdict, certificate, null);
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Login accepted: certificate {Serial} of {Issuer}")]
    private static partial void LogAccepted(ILogger logger, string serial, string issuer);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Login refused ({Verdict}): certificate {Serial}. {Reason}")]
    private static partial void LogRefused(ILogger logger, string verdict, string serial, string reason);
}
