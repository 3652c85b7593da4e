using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Verification.Certificates;
using Jpki.Verification.Revocation;
using Jpki.Verification.Timestamps;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Ocsp;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace Jpki.Signing.Revocation;

/// <summary>
/// Gathers B-LT validation data over HTTP: for each certificate with an issuer among the given and extra
/// certificates, an OCSP answer from the responder its authorityInfoAccess names (with a nonce), else the CRL its
/// cRLDistributionPoints name. Every answer is checked before it is embedded — signed by the issuer (or a delegated
/// responder it certified) and about this certificate — with the verifier's own readers, so what is embedded is what
/// a validator will accept. A TSA certificate that names no OCSP responder and no CRL (OpenJpki's own) is skipped:
/// TSA trust is configured by the relying party. Requests to OpenJpki's signature-CA responders need a verifier key on the
/// <see cref="HttpClient"/> unless the authority opened them.
/// </summary>
public sealed class OnlineValidationDataSource : IValidationDataSource
{
    private static readonly MediaTypeHeaderValue OcspRequestType = new("application/ocsp-request");

    private readonly HttpClient _http;
    private readonly OnlineValidationDataOptions _options;

    /// <summary>Creates the source.</summary>
    public OnlineValidationDataSource(HttpClient http, OnlineValidationDataOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
        _options = options ?? new OnlineValidationDataOptions();
    }

    /// <inheritdoc/>
    public async Task<ValidationData> CollectAsync(IReadOnlyList<X509Certificate2> certificates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        var pool = Distinct([.. certificates, .. _options.ExtraCertificates]);
        var given = Distinct(certificates);
        var added = new List<X509Certificate2>();
        var crls = new List<byte[]>();
        var ocsp = new List<byte[]>();
        var problems = new List<string>();
        var queue = new Queue<X509Certificate2>(given);
        var seen = new HashSet<string>(given.Select(Key), StringComparer.Ordinal);
        while (queue.Count > 0)
        {
            var certificate = queue.Dequeue();
            if (IsSelfIssued(certificate))
            {
                continue;
            }

            var issuer = pool.FirstOrDefault(c => IsIssuerOf(c, certificate));
            if (issuer is null)
            {
                problems.Add($"The issuer of {certificate.Subject} was not found among the certificates; its revocation data was not gathered.");
                continue;
            }

            if (seen.Add(Key(issuer)))
            {
                added.Add(issuer);
                queue.Enqueue(issuer);
            }

            if (TimestampVerifier.IsTsaCertificate(certificate) && OcspRevocationSource.ResponderOf(certificate) is null && DistributionPointReader.HttpUris(DistributionPointReader.CrlNamesOf(certificate)).Count == 0)
            {
                // A TSA certificate that names no revocation service (OpenJpki's own): its trust is configured, not looked up.
                continue;
            }

            var (answer, isOcsp, why) = await GatherAsync(certificate, issuer, cancellationToken).ConfigureAwait(false);
            if (answer is null)
            {
                problems.Add(why!);
            }
            else if (isOcsp)
            {
                ocsp.Add(answer);
            }
            else if (!crls.Exists(c => c.AsSpan().SequenceEqual(answer)))
            {
                crls.Add(answer);
            }
        }

        return new ValidationData(added, crls, ocsp, problems);
    }

    private async Task<(byte[]? Answer, bool IsOcsp, string? Why)> GatherAsync(X509Certificate2 certificate, X509Certificate2 issuer, CancellationToken cancellationToken)
    {
        string? ocspWhy = null;
        string? crlWhy = null;
        var logger = _options.Logger;
        if (_options.PreferOcsp)
        {
            (var answer, ocspWhy) = await OcspAsync(certificate, issuer, cancellationToken).ConfigureAwait(false);
            if (answer is not null)
            {
                return (answer, true, null);
            }

            LogFailed(logger, "ocsp", certificate, ocspWhy);
        }

        (var crl, crlWhy) = await CrlAsync(certificate, issuer, cancellationToken).ConfigureAwait(false);
        if (crl is not null)
        {
            return (crl, false, null);
        }

        LogFailed(logger, "crl", certificate, crlWhy);
        if (!_options.PreferOcsp)
        {
            (var answer, ocspWhy) = await OcspAsync(certificate, issuer, cancellationToken).ConfigureAwait(false);
            if (answer is not null)
            {
                return (answer, true, null);
            }

            LogFailed(logger, "ocsp", certificate, ocspWhy);
        }

        if (logger is not null)
        {
            Log.NoRevocationData(logger, certificate.SerialNumber, certificate.Issuer);
        }

        return (null, false, $"No revocation data for {certificate.Subject}: {ocspWhy} {crlWhy}".TrimEnd());
    }

    private static void LogFailed(Microsoft.Extensions.Logging.ILogger? logger, string source, X509Certificate2 certificate, string why)
    {
        if (logger is not null)
        {
            Log.RevocationSourceFailed(logger, source, certificate.SerialNumber, certificate.Issuer, why);
        }
    }

    private async Task<(byte[]? Answer, string Why)> OcspAsync(X509Certificate2 certificate, X509Certificate2 issuer, CancellationToken cancellationToken)
    {
        var uri = _options.OcspResponder ?? OcspRevocationSource.ResponderOf(certificate);
        if (uri is null)
        {
            return (null, "It names no OCSP responder.");
        }

        try
        {
            var bcIssuer = new BcCertificate(issuer.RawData);
            var serial = new Org.BouncyCastle.Math.BigInteger(1, certificate.SerialNumberBytes.ToArray());
            var id = new CertificateID(new AlgorithmIdentifier(Org.BouncyCastle.Asn1.Oiw.OiwObjectIdentifiers.IdSha1, DerNull.Instance), bcIssuer, serial);
            var generator = new OcspReqGenerator();
            generator.AddRequest(id);
            var extensions = new X509ExtensionsGenerator();
            extensions.AddExtension(OcspObjectIdentifiers.PkixOcspNonce, false, new DerOctetString(RandomNumberGenerator.GetBytes(16)));
            generator.SetRequestExtensions(extensions.Generate());
            using var content = new ByteArrayContent(generator.Generate().GetEncoded());
            content.Headers.ContentType = OcspRequestType;
            using var response = await _http.PostAsync(uri, content, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return (null, $"The OCSP responder {uri} answered HTTP {(int)response.StatusCode}.");
            }

            var body = await ReadLimitedAsync(response, cancellationToken).ConfigureAwait(false);
            var decoded = new OcspResp(body);
            if (decoded.Status != OcspRespStatus.Successful || decoded.GetResponseObject() is not BasicOcspResp basic)
            {
                return (null, $"The OCSP responder {uri} did not answer successfully (status {decoded.Status}).");
            }

            var producedAt = new DateTimeOffset(DateTime.SpecifyKind(basic.ProducedAt, DateTimeKind.Utc));
            if (!OcspRevocationSource.IsSignedByIssuerOrDelegate(basic, issuer, bcIssuer, producedAt)
                || !basic.Responses.Any(r => r.GetCertID().SerialNumber.Equals(serial) && r.GetCertStatus() is null or RevokedStatus))
            {
                return (null, $"The OCSP answer from {uri} is not signed by the issuer (or its delegated responder), or does not speak for this certificate.");
            }

            return (body, string.Empty);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OcspException or InvalidOperationException or ArgumentException or Asn1Exception or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (null, $"The OCSP responder {uri} could not be used: {e.Message}");
        }
    }

    private async Task<(byte[]? Crl, string Why)> CrlAsync(X509Certificate2 certificate, X509Certificate2 issuer, CancellationToken cancellationToken)
    {
        var uris = DistributionPointReader.HttpUris(DistributionPointReader.CrlNamesOf(certificate));
        if (uris.Count == 0)
        {
            return (null, "It names no http CRL distribution point.");
        }

        var why = string.Empty;
        foreach (var uri in uris)
        {
            try
            {
                using var response = await _http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    why = $"The CRL at {uri} answered HTTP {(int)response.StatusCode}.";
                    continue;
                }

                var body = await ReadLimitedAsync(response, cancellationToken).ConfigureAwait(false);
                var crl = CertificateRevocationList.Decode(body);
                if (!crl.IsSignedBy(issuer))
                {
                    why = $"The CRL at {uri} is not signed by {issuer.Subject}.";
                    continue;
                }

                return (body, string.Empty);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or RevocationDataException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                why = $"The CRL at {uri} could not be used: {e.Message}";
            }
        }

        return (null, why);
    }

    private async Task<byte[]> ReadLimitedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > _options.MaxDownloadBytes)
        {
            throw new IOException($"The answer is larger than {_options.MaxDownloadBytes} bytes.");
        }

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return body.Length <= _options.MaxDownloadBytes ? body : throw new IOException($"The answer is larger than {_options.MaxDownloadBytes} bytes.");
    }

    private static bool IsSelfIssued(X509Certificate2 certificate) => certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);

    private static bool IsIssuerOf(X509Certificate2 candidate, X509Certificate2 certificate)
    {
        if (!candidate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData) || PublicKeys.Of(candidate) is not { } key)
        {
            return false;
        }

        try
        {
            return SignedDer.Decode(certificate.RawDataMemory).VerifyWith(key);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static List<X509Certificate2> Distinct(IEnumerable<X509Certificate2> certificates)
    {
        var result = new List<X509Certificate2>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var certificate in certificates)
        {
            if (keys.Add(Key(certificate)))
            {
                result.Add(certificate);
            }
        }

        return result;
    }

    private static string Key(X509Certificate2 certificate) => Convert.ToHexString(SHA256.HashData(certificate.RawDataMemory.Span));
}
