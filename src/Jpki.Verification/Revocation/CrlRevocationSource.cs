using System.Collections.Concurrent;
using System.Formats.Asn1;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Jpki.Verification.Certificates;
using Jpki.Verification.Paths;

namespace Jpki.Verification.Revocation;

/// <summary>
/// Revocation status from CRLs: loaded from files/bytes, or downloaded over an injected <see cref="HttpClient"/>
/// from the certificate's cRLDistributionPoints (or a fixed URI). Every CRL is verified against the issuer chosen by
/// path validation (the CA generation whose key signed the certificate), kept per issuer, and downloaded again when
/// the verification time passes its nextUpdate. A CRL without nextUpdate, past its nextUpdate, or not signed by the
/// issuer yields <see cref="RevocationState.Unknown"/>, which the verifier turns into a fail-closed verdict.
/// </summary>
public sealed class CrlRevocationSource : IRevocationSource
{
    private readonly HttpClient? _http;
    private readonly CrlSourceOptions _options;
    private readonly object _gate = new();
    private readonly ConcurrentDictionary<string, CertificateRevocationList> _byIssuer = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _downloads = new(1, 1);
    private CertificateRevocationList[] _loaded = [];

    /// <summary>A source of loaded CRLs only (no downloads).</summary>
    public CrlRevocationSource(CrlSourceOptions? options = null)
        : this(null, options)
    {
    }

    /// <summary>A source that downloads CRLs with <paramref name="http"/> (null: loaded CRLs only).</summary>
    public CrlRevocationSource(HttpClient? http, CrlSourceOptions? options = null)
    {
        _http = http;
        _options = options ?? new CrlSourceOptions();
    }

    /// <summary>Adds a decoded CRL. It is used only for certificates whose issuer's key verifies it.</summary>
    public CrlRevocationSource Add(CertificateRevocationList crl)
    {
        ArgumentNullException.ThrowIfNull(crl);
        lock (_gate)
        {
            _loaded = [crl, .. _loaded];
            _byIssuer.Clear();
        }

        return this;
    }

    /// <summary>Decodes and adds a CRL from DER or PEM bytes.</summary>
    /// <exception cref="RevocationDataException">The bytes are not a usable CRL.</exception>
    public CrlRevocationSource Add(ReadOnlyMemory<byte> derOrPem) => Add(CertificateRevocationList.Decode(derOrPem));

    /// <inheritdoc/>
    public async ValueTask<RevocationStatus> CheckAsync(X509Certificate2 certificate, X509Certificate2 issuer, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(issuer);
        var issuerKey = CertificateHashes.Sha256Hex(issuer);
        if (!_byIssuer.TryGetValue(issuerKey, out var crl) || !IsFresh(crl, at))
        {
            var (found, why) = await FindAsync(certificate, issuer, at, cancellationToken).ConfigureAwait(false);
            if (found is null)
            {
                return RevocationStatus.Unknown(why);
            }

            crl = found;
            _byIssuer[issuerKey] = crl;
        }

        var source = string.Create(CultureInfo.InvariantCulture, $"CRL of {crl.IssuerName.Name} issued {crl.ThisUpdate.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}");
        RevokedEntry entry;
        bool listed;
        try
        {
            listed = crl.TryGetEntry(certificate.SerialNumberBytes.Span, out entry);
        }
        catch (RevocationDataException e)
        {
            // Listed, but the entry cannot be read: neither good nor a known revocation (fail closed).
            return RevocationStatus.Unknown($"{source}: {e.Message}");
        }

        var revokedAt = RevocationTimes.NoLaterThan(entry.RevokedAt, crl.ThisUpdate);
        if (listed && entry.Reason != RevocationReason.RemoveFromCrl && revokedAt <= at)
        {
            return RevocationStatus.Revoked(source, revokedAt, entry.Reason);
        }

        return RevocationStatus.Good(source);
    }

    private bool IsFresh(CertificateRevocationList crl, DateTimeOffset at) => crl.NextUpdate is { } next && at <= next + _options.ClockSkew;

    private async ValueTask<(CertificateRevocationList? Crl, string Why)> FindAsync(X509Certificate2 certificate, X509Certificate2 issuer, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var why = $"No CRL of {issuer.Subject} is available.";
        foreach (var crl in Volatile.Read(ref _loaded))
        {
            if (!crl.IssuerName.RawData.AsSpan().SequenceEqual(issuer.SubjectName.RawData))
            {
                continue;
            }

            if (!crl.IsSignedBy(issuer))
            {
                why = $"The CRL named {crl.IssuerName.Name} is not signed by the key of the certificate's issuer; it was ignored.";
                continue;
            }

            if (!IsFresh(crl, at))
            {
                why = StaleMessage(crl, at);
                continue;
            }

            return (crl, string.Empty);
        }

        if (_http is null)
        {
            return (null, why);
        }

        var uris = _options.DownloadUri is { } fixedUri ? [fixedUri] : DistributionPoints(certificate);
        if (uris.Count == 0)
        {
            return (null, $"{why} The certificate names no http CRL distribution point.");
        }

        await _downloads.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var uri in uris)
            {
                CertificateRevocationList crl;
                try
                {
                    crl = CertificateRevocationList.Decode(await DownloadAsync(uri, cancellationToken).ConfigureAwait(false));
                }
                catch (Exception e) when (e is HttpRequestException or RevocationDataException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    why = $"The CRL at {uri} could not be used: {e.Message}";
                    continue;
                }

                if (!crl.IsSignedBy(issuer))
                {
                    why = $"The CRL at {uri} is not signed by the key of the certificate's issuer.";
                    continue;
                }

                if (!IsFresh(crl, at))
                {
                    why = $"The CRL at {uri}: {StaleMessage(crl, at)}";
                    continue;
                }

                return (crl, string.Empty);
            }
        }
        finally
        {
            _downloads.Release();
        }

        return (null, why);
    }

    private static string StaleMessage(CertificateRevocationList crl, DateTimeOffset at) => crl.NextUpdate is { } next
        ? string.Create(CultureInfo.InvariantCulture, $"The CRL of {crl.IssuerName.Name} is stale: its nextUpdate {next.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} is before the verification time {at.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}.")
        : $"The CRL of {crl.IssuerName.Name} has no nextUpdate, so its freshness cannot be judged.";

    private async Task<byte[]> DownloadAsync(Uri uri, CancellationToken cancellationToken)
    {
        using var response = await _http!.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        if (response.Content.Headers.ContentLength is { } length && length > _options.MaxDownloadBytes)
        {
            throw new RevocationDataException("The CRL is larger than the configured limit.");
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > _options.MaxDownloadBytes)
                {
                    throw new RevocationDataException("The CRL is larger than the configured limit.");
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
    }

    /// <summary>The http(s) fullName URIs of cRLDistributionPoints (RFC 5280 §4.2.1.13).</summary>
    internal static List<Uri> DistributionPoints(X509Certificate2 certificate)
    {
        var result = new List<Uri>();
        if (certificate.Extensions[JpkiOids.CrlDistributionPoints] is not { } extension)
        {
            return result;
        }

        try
        {
            var points = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
            while (points.HasData)
            {
                var point = points.ReadSequence();
                if (!point.HasData || !point.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
                {
                    continue;
                }

                var name = point.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true));
                if (!name.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
                {
                    continue;
                }

                var generalNames = name.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true));
                while (generalNames.HasData)
                {
                    var tag = generalNames.PeekTag();
                    if (tag.HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 6)))
                    {
                        var text = generalNames.ReadCharacterString(UniversalTagNumber.IA5String, new Asn1Tag(TagClass.ContextSpecific, 6));
                        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
                        {
                            result.Add(uri);
                        }
                    }
                    else
                    {
                        _ = generalNames.ReadEncodedValue();
                    }
                }
            }
        }
        catch (AsnContentException)
        {
            // A malformed distribution point names nowhere to download from.
        }

        return result;
    }
}
