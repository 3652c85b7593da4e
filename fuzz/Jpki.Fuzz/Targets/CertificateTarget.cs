using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Core.Identity;
using Jpki.Verification;
using Jpki.Verification.Certificates;
using Jpki.Verification.Revocation;
using Jpki.Verification.Trust;

namespace Jpki.Fuzz;

/// <summary>
/// The relying party's certificate and CRL parsers on the same bytes: a trust-store root
/// (<see cref="TrustStoreBuilder.AddRoot(ReadOnlySpan{byte})"/>), a certificate through path validation for either kind
/// (<see cref="JpkiVerifier.VerifyCertificateAsync"/>) and its basic 4 info (<see cref="BasicFourInfoDecoder"/>, which
/// reads the subjectAltName with <see cref="BasicFourInfoOtherNames"/>), and a CRL
/// (<see cref="CertificateRevocationList.Decode"/>, then its signature check and a serial look-up). Contract: the bad-input
/// answers are <see cref="TrustStoreException"/>, the BCL loader's <see cref="CryptographicException"/>, a failed verdict,
/// <see cref="JpkiCertificateFormatException"/> and <see cref="RevocationDataException"/>; nothing else is thrown.
/// </summary>
public sealed class CertificateTarget : IFuzzTarget
{
    /// <summary>The target's name.</summary>
    public const string TargetName = "certificate";

    private readonly JpkiVerifier _verifier = FuzzVerifier.Create();

    /// <inheritdoc/>
    public string Name => TargetName;

    /// <inheritdoc/>
    public string Contract => "DER/PEM certificate or CRL to the trust store, path validation, basic 4 info and CRL decoder; their documented exceptions and failed verdicts are the bad-input answers";

    /// <inheritdoc/>
    public void Run(ReadOnlySpan<byte> input)
    {
        try
        {
            _ = new TrustStoreBuilder().AddRoot(input);
        }
        catch (TrustStoreException)
        {
        }

        X509Certificate2? certificate = null;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(input);
        }
        catch (CryptographicException)
        {
        }

        if (certificate is not null)
        {
            using (certificate)
            {
                foreach (var kind in new CertificateKind?[] { null, CertificateKind.Signature, CertificateKind.Authentication })
                {
                    var result = _verifier.VerifyCertificateAsync(certificate, kind, null, FuzzVerifier.Now).GetAwaiter().GetResult();
                    if (result?.Verdict is null || (!result.Verdict.IsValid && string.IsNullOrEmpty(result.Verdict.Message)))
                    {
                        throw new FuzzFindingException("Path validation returned no verdict, or a failure without a sentence.");
                    }
                }

                try
                {
                    _ = BasicFourInfoDecoder.Decode(certificate);
                }
                catch (JpkiCertificateFormatException)
                {
                }
            }
        }

        try
        {
            var crl = CertificateRevocationList.Decode(input.ToArray());
            _ = crl.IsSignedBy(FuzzVerifier.SeedRoot ?? FuzzVerifier.JlisRoot);
            _ = crl.TryGetEntry([0x10, 0x01], out _);
        }
        catch (RevocationDataException)
        {
        }
    }
}
