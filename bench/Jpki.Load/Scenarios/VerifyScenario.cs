using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Jpki.Load.Data;
using Jpki.Load.Running;
using Jpki.Verification;
using Jpki.Verification.Revocation;
using Jpki.Verification.Trust;

namespace Jpki.Load.Scenarios;

/// <summary>
/// <c>verify</c>: the relying party's work — attached CMS signatures verified with <see cref="JpkiVerifier"/> (path to the
/// sign CA, test policy allowed), revocation checked over HTTP against the server: <c>ocsp</c> asks <c>/ocsp</c> for
/// every verification (no nonce, no client cache: each verification is one OCSP round trip; <c>--ocsp-cache</c> keeps answers until nextUpdate), <c>crl</c> downloads
/// <c>/crl/sign.crl</c> and keeps it until its nextUpdate (what a CRL-based relying party does). The verdict must be
/// the one prepared: valid, or revoked for a revoked signer.
/// </summary>
internal sealed class VerifyScenario(HttpClient http, LoadManifest manifest, string dataDirectory, string revocation, bool cacheOcsp, TimeProvider clock) : IScenario
{
    private readonly List<(byte[] Cms, VerdictCode Expected)> _signatures = [];
    private JpkiVerifier? _verifier;
    private X509Certificate2? _signCa;

    public string Name => "verify";

    public IReadOnlyDictionary<string, string> Notes { get; private set; } = new Dictionary<string, string>();

    public async Task SetUpAsync(CancellationToken cancellationToken)
    {
        foreach (var s in manifest.Signatures)
        {
            var cms = await File.ReadAllBytesAsync(Path.Combine(dataDirectory, LoadManifest.FolderName, s.File), cancellationToken).ConfigureAwait(false);
            _signatures.Add((cms, s.Expected == "revoked" ? VerdictCode.Revoked : VerdictCode.Valid));
        }

        if (_signatures.Count == 0)
        {
            throw new InvalidOperationException("The data folder holds no signatures: prepare it with jpki-load prepare --signatures N.");
        }

        _signCa = X509CertificateLoader.LoadCertificate(manifest.SignCa);
        var trust = new TrustStoreBuilder().AddRoot(_signCa).Build();
        IRevocationSource source = revocation == "crl"
            ? new CrlRevocationSource(http, new CrlSourceOptions { DownloadUri = new Uri(http.BaseAddress!, "crl/sign.crl") })
            : new OcspRevocationSource(http, clock, new OcspOptions { ResponderUri = new Uri(http.BaseAddress!, "ocsp"), SendNonce = false, CacheAnswers = cacheOcsp });
        _verifier = new JpkiVerifier(trust, [source], clock, new VerifierOptions { Path = new() { AllowTestPolicy = true } });
        Notes = new Dictionary<string, string>
        {
            ["revocation"] = revocation == "crl" ? "CRL over HTTP, kept until nextUpdate"
                : cacheOcsp ? "OCSP over HTTP, answers cached by the client until nextUpdate" : "OCSP over HTTP per verification (no nonce, no client cache)",
            ["signatures"] = string.Create(CultureInfo.InvariantCulture, $"{_signatures.Count} ({_signatures.Count(s => s.Expected == VerdictCode.Revoked)} by revoked signers)"),
            ["check"] = "verdict valid, or revoked for a revoked signer",
            ["primed"] = "every signature verified once before the warm-up (first OCSP answers are signed, later ones pre-signed)",
        };

        var wrong = 0;
        await Parallel.ForEachAsync(_signatures, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (s, ct) =>
        {
            var result = await _verifier.VerifyAttachedAsync(s.Cms, null, ct).ConfigureAwait(false);
            if (result.Verdict.Code != s.Expected)
            {
                Interlocked.Increment(ref wrong);
            }
        }).ConfigureAwait(false);
        if (wrong > 0)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{wrong} of {_signatures.Count} signatures got another verdict than prepared while priming."));
        }
    }

    public async Task<Outcome?> RunOnceAsync(long index, CancellationToken cancellationToken)
    {
        var (cms, expected) = _signatures[Mix.Pick(index, 7, _signatures.Count)];
        var result = await _verifier!.VerifyAttachedAsync(cms, null, cancellationToken).ConfigureAwait(false);
        var tag = expected == VerdictCode.Revoked ? "revoked signer" : "valid signer";
        return result.Verdict.Code == expected
            ? Outcome.Ok(0, tag)
            : Outcome.Wrong("verdict " + result.Verdict.Code.ToString().ToLowerInvariant() + " instead of " + expected.ToString().ToLowerInvariant(), tag);
    }

    public ValueTask DisposeAsync()
    {
        _signCa?.Dispose();
        return ValueTask.CompletedTask;
    }
}
