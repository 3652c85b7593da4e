using System.Collections.Frozen;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;
using System.Text.Json.Serialization;
using Jpki.Verification.Signatures;

namespace Jpki.Verification;

/// <summary>
/// The relying party's metrics (System.Diagnostics, so the library needs no exporter; <c>jpki serve</c> exports them through
/// OpenTelemetry — docs/operations.md): login decisions and signature validations with their ETSI indications. The names
/// are stable; tags carry outcomes, formats and levels — never a serial, a name or anything of a holder.
/// </summary>
public static class VerificationTelemetry
{
    /// <summary>The name of the verification <see cref="Meter"/>.</summary>
    public const string Name = "OpenJpki.Verification";

    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> Logins = Meter.CreateCounter<long>(
        "jpki.verification.logins", "{login}",
        "Logins with a JPKI certificate decided by the login verifier, by outcome (accepted, or the refusal's verdict code such as revoked, expired, bad-signature, replay).");

    private static readonly Counter<long> Signatures = Meter.CreateCounter<long>(
        "jpki.verification.signatures", "{signature}",
        "Signatures validated (ETSI EN 319 102-1), by format (CAdES, XAdES, PAdES), indication (total_passed, total_failed, indeterminate) and sub-indication (none, or e.g. hash_failure, revoked_no_poe).");

    private static readonly Histogram<double> Duration = Meter.CreateHistogram(
        "jpki.verification.document.duration", "s", "Time to validate one signed document (all its signatures, revocation look-ups included), by format.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    private static readonly FrozenDictionary<Indication, string> IndicationNames = TagNames<Indication>();
    private static readonly FrozenDictionary<SubIndication, string> SubIndicationNames = TagNames<SubIndication>();

    internal static void Login(string outcome) =>
        Logins.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    internal static void Validated(ValidationReport report, TimeSpan elapsed)
    {
        var format = new KeyValuePair<string, object?>("format", report.Format);
        Duration.Record(elapsed.TotalSeconds, format);
        if (!Signatures.Enabled)
        {
            return;
        }

        foreach (var signature in report.Signatures)
        {
            var tags = new TagList
            {
                format,
                { "indication", IndicationNames[signature.Indication] },
                { "sub_indication", signature.SubIndication is { } sub ? SubIndicationNames[sub] : "none" },
            };
            Signatures.Add(1, tags);
        }
    }

    /// <summary>The ETSI names of an enum's members (<c>TOTAL-PASSED</c>) as metric tag values (<c>total_passed</c>).</summary>
    private static FrozenDictionary<T, string> TagNames<T>()
        where T : struct, Enum =>
        Enum.GetValues<T>().ToFrozenDictionary(
            value => value,
            value => (typeof(T).GetField(value.ToString())?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? value.ToString())
                .Replace('-', '_').ToLowerInvariant());
}
