using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using Jpki.Signing.Cades;
using Jpki.Signing.Tests.Support;
using Jpki.Verification;
using Jpki.Verification.Signatures;

namespace Jpki.Signing.Tests.Cades;

/// <summary>
/// The relying party's metrics (docs/operations.md): every validated signature is counted by format, ETSI indication and
/// sub-indication, and each document's validation time is recorded — observed with a <see cref="MeterListener"/>, as an
/// OpenTelemetry exporter would observe them.
/// </summary>
public sealed class VerificationTelemetryTests : IClassFixture<SigningAuthority>
{
    private static readonly byte[] Document = Encoding.UTF8.GetBytes("住民票の写しの交付請求\r\n");

    private readonly SigningAuthority _pki;

    public VerificationTelemetryTests(SigningAuthority pki) => _pki = pki;

    [Fact]
    public async Task ValidatedSignatures_AreCountedByIndication_AndTimed()
    {
        var signed = new ConcurrentBag<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == VerificationTelemetry.Name)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => signed.Add((instrument.Name, value, ToDictionary(tags))));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => signed.Add((instrument.Name, value, ToDictionary(tags))));
        listener.Start();

        var certificate = await _pki.IssueAsync();
        var signature = CadesSigner.Sign(Document, _pki.Signer(certificate), _pki.Clock.GetUtcNow());
        var validator = _pki.Validator();
        var good = await validator.ValidateAsync(new SignedDocument(DocumentSource.FromBytes(Document), DocumentSource.FromBytes(signature)));
        var changed = await validator.ValidateAsync(new SignedDocument(DocumentSource.FromBytes("住民票の写しの交付請求!\r\n"u8.ToArray()), DocumentSource.FromBytes(signature)));
        Assert.True(good.IsValid);
        Assert.Equal(SubIndication.HashFailure, Assert.Single(changed.Signatures).SubIndication);

        // Other tests of this assembly may validate at the same time: look for our two, not for exact totals.
        Assert.Contains(signed, m => m.Instrument == "jpki.verification.signatures" && Is(m.Tags, "CAdES", "total_passed", "none"));
        Assert.Contains(signed, m => m.Instrument == "jpki.verification.signatures" && Is(m.Tags, "CAdES", "total_failed", "hash_failure"));
        Assert.True(signed.Count(m => m.Instrument == "jpki.verification.document.duration" && Equals(m.Tags["format"], "CAdES") && m.Value > 0) >= 2);

        // No tag names the holder or the certificate.
        var serial = certificate.SerialNumber;
        Assert.DoesNotContain(signed, m => m.Tags.Values.Any(v => v is string s && (s.Contains(serial, StringComparison.OrdinalIgnoreCase) || s.Contains('=', StringComparison.Ordinal))));
    }

    private static bool Is(Dictionary<string, object?> tags, string format, string indication, string subIndication) =>
        Equals(tags.GetValueOrDefault("format"), format) && Equals(tags.GetValueOrDefault("indication"), indication) && Equals(tags.GetValueOrDefault("sub_indication"), subIndication);

    private static Dictionary<string, object?> ToDictionary(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in tags)
        {
            result[key] = value;
        }

        return result;
    }
}
