using System.Diagnostics;
using System.Diagnostics.Metrics;
using Jpki.Authority.Ocsp;
using Jpki.Authority.Ca;
using Jpki.Authority.Contracts;
using Jpki.Core.Identity;

namespace Jpki.Authority;

/// <summary>
/// The authority's metrics and traces (System.Diagnostics, so the library needs no exporter; <c>jpki serve</c> exports them
/// through OpenTelemetry — docs/operations.md). The instrument and tag names are stable: dashboards and alerts depend on
/// them. Tags carry kinds, statuses and reasons — never serials, names or anything of a holder.
/// </summary>
public static class AuthorityTelemetry
{
    /// <summary>The name of the authority's <see cref="Meter"/> and <see cref="ActivitySource"/>.</summary>
    public const string Name = "OpenJpki.Authority";

    /// <summary>The spans of the authority: <c>jpki.certificate.issue</c>, <c>jpki.certificate.revoke</c>, <c>jpki.crl.publish</c>.</summary>
    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> IssuedCounter = Meter.CreateCounter<long>(
        "jpki.certificates.issued", "{certificate}", "End-entity certificates issued, by kind (sign, auth).");

    private static readonly Counter<long> RevokedCounter = Meter.CreateCounter<long>(
        "jpki.certificates.revoked", "{certificate}", "Certificates revoked, by kind and RFC 5280 reason.");

    private static readonly Counter<long> OcspCounter = Meter.CreateCounter<long>(
        "jpki.ocsp.responses", "{response}",
        "OCSP responses, by response status (successful, malformed, unauthorized, internal_error), certificate status (good, revoked, unknown, several, none) and cache (hit: a pre-signed answer, miss: signed for this request).");

    private static readonly Histogram<double> CrlDuration = Meter.CreateHistogram(
        "jpki.crl.build.duration", "s", "Time to build and check one CRL generation, by CA and generation (base, delta).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120] });

    private static readonly Histogram<long> CrlSize = Meter.CreateHistogram(
        "jpki.crl.size", "By", "Bytes of one published CRL generation (all its partition documents), by CA and generation.",
        advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1_024, 16_384, 131_072, 1_048_576, 8_388_608, 67_108_864, 268_435_456, 1_073_741_824] });

    private static readonly Counter<long> CrlEntries = Meter.CreateCounter<long>(
        "jpki.crl.entries", "{entry}", "Entries written into published CRL generations, by CA and generation.");

    private static readonly Counter<long> CrlRefusals = Meter.CreateCounter<long>(
        "jpki.crl.coverage_refusals", "{generation}", "CRL generations the coverage check refused to publish, by CA (alert on any).");

    private static readonly UpDownCounter<long> PublisherGauge = Meter.CreateUpDownCounter<long>(
        "jpki.crl.publisher", "{process}",
        "1 while this process holds its registry's publication lease (builds the CRLs and pre-signs OCSP answers), else 0. Summed over the processes of one registry it must be 1; 0 for longer than the lease retry means nobody publishes.");

    private static readonly Counter<long> TimestampCounter = Meter.CreateCounter<long>(
        "jpki.tsa.responses", "{response}", "Time-stamp responses, by outcome (granted, or the refusal's failure info).");

    internal static void Issued(CertificateKind kind) =>
        IssuedCounter.Add(1, new KeyValuePair<string, object?>("kind", IssuingCa.SlugOf(kind)));

    internal static void Revoked(CertificateKind kind, RevocationReason reason) =>
        RevokedCounter.Add(1, new KeyValuePair<string, object?>("kind", IssuingCa.SlugOf(kind)), new KeyValuePair<string, object?>("reason", WireNames.Of(reason)));

    internal static void Answered(OcspAnswer answer)
    {
        if (!OcspCounter.Enabled)
        {
            return;
        }

        var tags = new TagList
        {
            { "status", OcspStatusName(answer.Status) },
            { "cert_status", CertStatusName(answer.CertStatus) },
            { "cache", answer.FromCache ? "hit" : "miss" },
        };
        OcspCounter.Add(1, tags);
    }

    internal static void CrlPublished(string ca, bool delta, TimeSpan duration, long bytes, long entries)
    {
        var tags = new TagList { { "ca", ca }, { "generation", delta ? "delta" : "base" } };
        CrlDuration.Record(duration.TotalSeconds, tags);
        CrlSize.Record(bytes, tags);
        CrlEntries.Add(entries, tags);
    }

    internal static void PublisherChanged(bool leading) => PublisherGauge.Add(leading ? 1 : -1);

    internal static void CrlRefused(string ca) => CrlRefusals.Add(1, new KeyValuePair<string, object?>("ca", ca));

    internal static void Timestamped(string outcome) => TimestampCounter.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    private static string OcspStatusName(OcspStatus status) => status switch
    {
        OcspStatus.Successful => "successful",
        OcspStatus.MalformedRequest => "malformed",
        OcspStatus.Unauthorized => "unauthorized",
        OcspStatus.InternalError => "internal_error",
        _ => "other",
    };

    private static string CertStatusName(OcspCertStatus? status) => status switch
    {
        OcspCertStatus.Good => "good",
        OcspCertStatus.Revoked => "revoked",
        OcspCertStatus.Unknown => "unknown",
        OcspCertStatus.Several => "several",
        _ => "none",
    };
}
