using System.Collections.Concurrent;
using System.Formats.Asn1;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Verification.Certificates;
using Jpki.Verification.Paths;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.X509;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace Jpki.Verification.Revocation;

/// <summary>
/// An OCSP client (RFC 6960): POSTs a request with a fresh nonce over the injected <see cref="HttpClient"/> and
/// accepts the answer only when it is signed by the issuing CA or by a delegated responder certificate (EKU
/// id-kp-OCSPSigning) that this CA issued, names the certificate asked about (certID), is fresh by
/// thisUpdate/nextUpdate against the injected clock, and either echoes the nonce or — a pre-signed answer (RFC 5019) —
/// is recent (<see cref="OcspOptions.MaxAgeWithoutNonce"/>; refused in <see cref="OcspOptions.RequireNonce"/> mode). Good and revoked answers are cached until nextUpdate.
/// Anything else is <see cref="RevocationState.Unknown"/> (the verifier fails closed).
/// A revocation is final (JPKI has no certificate hold): once an answer said revoked (for any reason but
/// certificateHold), a later "good" answer for the same certificate — a replayed pre-signed answer, a lagging
/// responder — never turns it good again; and a cached answer is only ever replaced by a newer one.
/// </summary>
public sealed class OcspRevocationSource : IRevocationSource
{
    private const int NonceLength = 32;
    private static readonly MediaTypeHeaderValue RequestType = new("application/ocsp-request");

    // BouncyCastle validates an RSA public key when it is created (a probable-prime test on the modulus, ≈ 10–20 ms of
    // CPU): creating the issuer's and the responder's key for every answer held a relying party to ≈ 50 verifications/s.
    // Keys are cached by the SHA-256 of the certificate that carries them (CA and responder certificates: few, stable).
    private const int MaxCachedKeys = 256;
    private static readonly ConcurrentDictionary<string, Org.BouncyCastle.Crypto.AsymmetricKeyParameter> PublicKeyCache = new(StringComparer.Ordinal);

    private readonly HttpClient _http;
    private readonly TimeProvider _clock;
    private readonly OcspOptions _options;
    private readonly ConcurrentDictionary<string, (RevocationStatus Status, DateTimeOffset NextUpdate, DateTimeOffset ThisUpdate)> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RevocationStatus> _revoked = new(StringComparer.Ordinal);

    /// <summary>Creates the client.</summary>
    public OcspRevocationSource(HttpClient http, TimeProvider clock, OcspOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(clock);
        _http = http;
        _clock = clock;
        _options = options ?? new OcspOptions();
    }

    /// <summary>How many answers are cached (for tests and metrics).</summary>
    public int CachedAnswers => _cache.Count;

    /// <inheritdoc/>
    public async ValueTask<RevocationStatus> CheckAsync(X509Certificate2 certificate, X509Certificate2 issuer, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(issuer);
        var cacheKey = string.Concat(CertificateHashes.Sha256Hex(issuer), ":", Convert.ToHexString(certificate.SerialNumberBytes.Span));
        var now = _clock.GetUtcNow();
        if (_options.CacheAnswers && _cache.TryGetValue(cacheKey, out var cached) && now <= cached.NextUpdate)
        {
            return Judge(cached.Status, at);
        }

        var uri = _options.ResponderUri ?? ResponderOf(certificate);
        if (uri is null)
        {
            return RevocationStatus.Unknown("No OCSP responder is configured and the certificate names none.");
        }

        try
        {
            var bcIssuer = new BcCertificate(issuer.RawData);
            var id = new CertificateID(new AlgorithmIdentifier(Org.BouncyCastle.Asn1.Oiw.OiwObjectIdentifiers.IdSha1, DerNull.Instance), bcIssuer, new Org.BouncyCastle.Math.BigInteger(1, certificate.SerialNumberBytes.ToArray()));
            var nonce = _options.SendNonce || _options.RequireNonce ? RandomNumberGenerator.GetBytes(NonceLength) : null;
            var generator = new OcspReqGenerator();
            generator.AddRequest(id);
            if (nonce is not null)
            {
                var extensions = new X509ExtensionsGenerator();
                extensions.AddExtension(OcspObjectIdentifiers.PkixOcspNonce, false, new DerOctetString(nonce));
                generator.SetRequestExtensions(extensions.Generate());
            }

            var request = generator.Generate().GetEncoded();

            var body = await PostAsync(uri, request, cancellationToken).ConfigureAwait(false);
            var (status, nextUpdate, thisUpdate) = Evaluate(body, id, nonce, issuer, bcIssuer, _clock.GetUtcNow(), uri);
            status = Final(cacheKey, status);
            if (_options.CacheAnswers && status.State != RevocationState.Unknown && nextUpdate is { } next)
            {
                // Only a newer answer replaces a cached one (two responders behind one address may lag each other).
                _cache.AddOrUpdate(cacheKey, (status, next, thisUpdate), (_, old) => thisUpdate >= old.ThisUpdate || status.State == RevocationState.Revoked ? (status, next, thisUpdate) : old);
            }

            return Judge(status, at);
        }
        catch (Exception e) when (e is HttpRequestException or OcspException or IOException or ArgumentException or InvalidCastException or Org.BouncyCastle.Security.Certificates.CertificateException
                                  || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return RevocationStatus.Unknown($"The OCSP responder {uri} gave no usable answer: {e.Message}");
        }
    }

    /// <summary>Remembers a final revocation, and refuses to let a later "good" answer undo it.</summary>
    private RevocationStatus Final(string cacheKey, RevocationStatus status)
    {
        if (status.State == RevocationState.Revoked && status.Reason != RevocationReason.CertificateHold)
        {
            _revoked[cacheKey] = status;
            return status;
        }

        if (status.State == RevocationState.Good && _revoked.TryGetValue(cacheKey, out var known))
        {
            return known with { Message = $"{known.Message}; a later answer ({status.Message}) said good and was refused: a revocation is final" };
        }

        return status;
    }

    private static RevocationStatus Judge(RevocationStatus status, DateTimeOffset at)
        => status.State == RevocationState.Revoked && status.RevokedAt > at ? RevocationStatus.Good(status.Message + " (revoked only after the verification time)") : status;

    private async Task<byte[]> PostAsync(Uri uri, byte[] request, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(request);
        content.Headers.ContentType = RequestType;
        using var response = await _http.PostAsync(uri, content, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return body.Length <= _options.MaxResponseBytes ? body : throw new IOException("The OCSP response is larger than the configured limit.");
    }

    private (RevocationStatus Status, DateTimeOffset? NextUpdate, DateTimeOffset ThisUpdate) Evaluate(byte[] body, CertificateID id, byte[]? nonce, X509Certificate2 issuer, BcCertificate bcIssuer, DateTimeOffset now, Uri uri)
    {
        var response = new OcspResp(body);
        if (response.Status != OcspRespStatus.Successful)
        {
            return (RevocationStatus.Unknown($"The OCSP responder {uri} answered with status {response.Status} instead of successful."), null, default);
        }

        if (response.GetResponseObject() is not BasicOcspResp basic)
        {
            return (RevocationStatus.Unknown($"The OCSP responder {uri} did not send a basic response."), null, default);
        }

        if (!IsSignedByIssuerOrDelegate(basic, issuer, bcIssuer, now))
        {
            return (RevocationStatus.Unknown($"The OCSP response from {uri} is signed by a key that is neither the CA's nor a responder certificate issued by that CA; it was ignored."), null, default);
        }

        var echoed = basic.GetExtensionValue(OcspObjectIdentifiers.PkixOcspNonce);
        if (echoed is null)
        {
            if (_options.RequireNonce)
            {
                return (RevocationStatus.Unknown($"The OCSP response from {uri} does not echo the request nonce, so it may be a replay (strict nonce mode)."), null, default);
            }
        }
        else if (nonce is null || !NonceMatches(echoed.GetOctets(), nonce))
        {
            return (RevocationStatus.Unknown($"The OCSP response from {uri} echoes a different nonce: it answers another request."), null, default);
        }

        var producedAt = new DateTimeOffset(DateTime.SpecifyKind(basic.ProducedAt, DateTimeKind.Utc));

        foreach (var single in basic.Responses)
        {
            if (!single.GetCertID().Equals(id))
            {
                continue;
            }

            var thisUpdate = new DateTimeOffset(DateTime.SpecifyKind(single.ThisUpdate, DateTimeKind.Utc));
            DateTimeOffset? nextUpdate = single.NextUpdate is { } n ? new DateTimeOffset(DateTime.SpecifyKind(n, DateTimeKind.Utc)) : null;
            if (thisUpdate > now + _options.ClockSkew)
            {
                return (RevocationStatus.Unknown(string.Create(CultureInfo.InvariantCulture, $"The OCSP answer from {uri} has a thisUpdate {thisUpdate:yyyy-MM-ddTHH:mm:ssZ} in the future.")), null, default);
            }

            if (nextUpdate is { } next ? now > next + _options.ClockSkew : now > thisUpdate + _options.MaxAgeWithoutNextUpdate)
            {
                return (RevocationStatus.Unknown(string.Create(CultureInfo.InvariantCulture, $"The OCSP answer from {uri} is stale (thisUpdate {thisUpdate.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}, nextUpdate {nextUpdate?.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}).")), null, default);
            }

            if (echoed is null && NoncelessFreshness(thisUpdate, nextUpdate, producedAt, now) is { } why)
            {
                return (RevocationStatus.Unknown($"The OCSP answer from {uri} does not echo the nonce and {why}, so it may be a replay."), null, default);
            }

            var source = string.Create(CultureInfo.InvariantCulture, $"OCSP {uri} at {thisUpdate.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}");
            return single.GetCertStatus() switch
            {
                null => (RevocationStatus.Good(source), nextUpdate, thisUpdate),
                RevokedStatus revoked => (RevocationStatus.Revoked(
                    source,
                    RevocationTimes.NoLaterThan(new DateTimeOffset(DateTime.SpecifyKind(revoked.RevocationTime, DateTimeKind.Utc)), thisUpdate),
                    revoked.HasRevocationReason ? (RevocationReason)revoked.RevocationReason : null), nextUpdate, thisUpdate),
                _ => (RevocationStatus.Unknown($"The OCSP responder {uri} does not know the certificate (status unknown)."), null, default),
            };
        }

        return (RevocationStatus.Unknown($"The OCSP response from {uri} does not answer for the certificate asked about (certID mismatch)."), null, default);
    }

    /// <summary>
    /// Why a nonce-less (pre-signed) answer is not recent enough, or null: it needs a nextUpdate (checked not past by the
    /// caller) and thisUpdate and producedAt within <see cref="OcspOptions.MaxAgeWithoutNonce"/> of now (RFC 5019 §4).
    /// </summary>
    private string? NoncelessFreshness(DateTimeOffset thisUpdate, DateTimeOffset? nextUpdate, DateTimeOffset producedAt, DateTimeOffset now)
    {
        var oldest = now - _options.MaxAgeWithoutNonce - _options.ClockSkew;
        if (nextUpdate is null)
        {
            return "has no nextUpdate";
        }

        if (thisUpdate < oldest || producedAt < oldest)
        {
            return string.Create(CultureInfo.InvariantCulture, $"was produced {producedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} (thisUpdate {thisUpdate.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}), more than {_options.MaxAgeWithoutNonce.TotalHours:0.##} h ago");
        }

        return producedAt > now + _options.ClockSkew ? "its producedAt is in the future" : null;
    }

    private static bool NonceMatches(byte[] extensionValue, byte[] nonce)
    {
        // The nonce extension value is an OCTET STRING holding the nonce (RFC 8954); some responders put the raw bytes.
        if (CryptographicOperations.FixedTimeEquals(extensionValue, nonce))
        {
            return true;
        }

        try
        {
            var reader = new AsnReader(extensionValue, AsnEncodingRules.DER);
            var inner = reader.ReadOctetString();
            return !reader.HasData && CryptographicOperations.FixedTimeEquals(inner, nonce);
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    private static bool IsSignedByIssuerOrDelegate(BasicOcspResp basic, X509Certificate2 issuer, BcCertificate bcIssuer, DateTimeOffset now)
    {
        if (basic.Verify(PublicKeyOf(bcIssuer)))
        {
            return true;
        }

        var issuerKey = PublicKeys.Of(issuer);
        foreach (var candidate in basic.GetCerts() ?? [])
        {
            var responder = X509CertificateLoader.LoadCertificate(candidate.GetEncoded());
            if (issuerKey is null
                || !responder.IssuerName.RawData.AsSpan().SequenceEqual(issuer.SubjectName.RawData)
                || !SignedDer.Decode(responder.RawDataMemory).VerifyWith(issuerKey))
            {
                continue;
            }

            var notBefore = new DateTimeOffset(responder.NotBefore.ToUniversalTime());
            var notAfter = new DateTimeOffset(responder.NotAfter.ToUniversalTime());
            var delegated = responder.Extensions[JpkiOids.ExtendedKeyUsage] is X509EnhancedKeyUsageExtension eku
                && eku.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == JpkiOids.OcspSigning);
            if (delegated && now >= notBefore && now <= notAfter && basic.Verify(PublicKeyOf(candidate)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The public key of <paramref name="certificate"/>, from the cache when its exact bytes were seen before.</summary>
    private static Org.BouncyCastle.Crypto.AsymmetricKeyParameter PublicKeyOf(BcCertificate certificate)
    {
        var key = Convert.ToHexString(SHA256.HashData(certificate.GetEncoded()));
        if (PublicKeyCache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        if (PublicKeyCache.Count >= MaxCachedKeys)
        {
            PublicKeyCache.Clear();
        }

        return PublicKeyCache.GetOrAdd(key, certificate.GetPublicKey());
    }

    /// <summary>The OCSP URI of authorityInfoAccess (RFC 5280 §4.2.2.1), or null.</summary>
    internal static Uri? ResponderOf(X509Certificate2 certificate)
    {
        if (certificate.Extensions[JpkiOids.AuthorityInfoAccess] is not { } extension)
        {
            return null;
        }

        try
        {
            var descriptions = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
            while (descriptions.HasData)
            {
                var description = descriptions.ReadSequence();
                var method = description.ReadObjectIdentifier();
                var tag = description.PeekTag();
                if (method == JpkiOids.Ocsp && tag.HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 6)))
                {
                    var text = description.ReadCharacterString(UniversalTagNumber.IA5String, new Asn1Tag(TagClass.ContextSpecific, 6));
                    if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
                    {
                        return uri;
                    }
                }
            }
        }
        catch (AsnContentException)
        {
            return null;
        }

        return null;
    }
}
