using Jpki.Core.Storage;
using System.CommandLine;
using Jpki.Authority.Ca;
using Jpki.Cli.Output;

namespace Jpki.Cli.Commands.Authority;

/// <summary><c>jpki authority init</c>: creates both CAs in a data folder.</summary>
internal static class AuthorityInitCommand
{
    public static Command Create(CliContext context)
    {
        var data = AuthorityCommand.DataOption();
        var testNames = new Option<bool>("--test-names") { Description = "Use O=JPKI-TEST names (test environments) instead of O=JPKI." };
        var baseUrl = new Option<string>("--base-url")
        {
            Description = "Public base URL written into certificates ({base}/crl/sign.crl, {base}/ocsp).",
            DefaultValueFactory = _ => "http://127.0.0.1:8080",
        };
        var open = new Option<bool>("--open-sign-revocation") { Description = "Give signature-certificate revocation data (CRL, OCSP) to anyone — test environments only (JPKI-REFERENCE §8.2)." };
        var verifierKeys = new Option<string[]>("--verifier-key") { Description = "API key of a registered verifier (repeatable; stored as its SHA-256 hash).", AllowMultipleArgumentsPerToken = false };
        var raKeys = new Option<string[]>("--ra-key") { Description = "API key of a registration authority (municipal terminal) allowed to issue and revoke through /api/authority (repeatable; stored as its SHA-256 hash).", AllowMultipleArgumentsPerToken = false };
        var verifierCerts = new Option<FileInfo[]>("--verifier-cert") { Description = "TLS client certificate (PEM or DER) of a registered verifier; its SHA-256 thumbprint is kept (repeatable).", AllowMultipleArgumentsPerToken = false };
        var verifierCas = new Option<FileInfo[]>("--verifier-ca") { Description = "CA certificate (PEM or DER): TLS client certificates it issued identify registered verifiers (repeatable).", AllowMultipleArgumentsPerToken = false };
        var module = new Option<string>("--pkcs11-module") { Description = "Keep the CA keys in a PKCS#11 token: the module (e.g. /usr/lib/softhsm/libsofthsm2.so)." };
        var token = new Option<string>("--pkcs11-token") { Description = "Label of the PKCS#11 token." };
        var pinEnv = new Option<string>("--pkcs11-pin-env")
        {
            Description = "Environment variable holding the token's user PIN.",
            DefaultValueFactory = _ => "JPKI_PKCS11_PIN",
        };
        var partitionMonths = new Option<int>("--crl-partition-months")
        {
            Description = "CRL partitions of new certificates, by expiry: windows of 1, 2, 3, 4, 6 or 12 months (each certificate's CRL distribution point names its partition's CRL); 0 = no partitions, every certificate points at the full CRL. Keep it for the life of the CAs (docs/authority.md).",
            DefaultValueFactory = _ => 3,
        };
        partitionMonths.AcceptOnlyFromAmong("0", "1", "2", "3", "4", "6", "12");
        var noFullCrl = new Option<bool>("--no-full-crl") { Description = "Publish only the partition CRLs, no full CRL (only when every certificate was issued with a partition)." };
        var noDeltas = new Option<bool>("--no-delta-crls") { Description = "Publish no delta CRLs (revocations then reach the CRLs by rebuilding the complete ones)." };
        var profile = new Option<string>("--profile")
        {
            Description = "CA profile: jpki (today's J-LIS CAs, RSA-2048, sha256WithRSAEncryption; the default) or nextgen (the next-generation card's CAs: " +
                "ECDSA P-384, ecdsa-with-SHA384 certificates, CRLs and OCSP answers; software keys only).",
            DefaultValueFactory = _ => AuthoritySettings.ProfileJpki,
        };
        profile.AcceptOnlyFromAmong(AuthoritySettings.ProfileJpki, AuthoritySettings.ProfileNextGeneration);
        var actor = AuthorityCommand.ActorOption();
        var command = new Command(
            "init",
            "Create the signature and authentication CAs (self-signed roots with the J-LIS profile: RSA-2048, or ECDSA P-384 with --profile nextgen) in the data folder. " +
            "Software keys are encrypted PKCS#8 files under $JPKI_CA_PASSPHRASE; without it a random passphrase file (0600) is written — for the embedded default only.");
        foreach (var option in new Option[] { data, profile, testNames, baseUrl, open, verifierKeys, raKeys, verifierCerts, verifierCas, module, token, pinEnv, partitionMonths, noFullCrl, noDeltas, actor })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            var folder = AuthorityCommand.DataFolder(parse.GetValue(data));
            if (AuthorityFolder.IsInitialized(folder))
            {
                return CommandResult.BadInput(context, json, $"{folder} already holds an authority.");
            }

            if (PublicBaseUrl.Problem(parse.GetValue(baseUrl)) is { } badUrl)
            {
                return CommandResult.BadInput(context, json, "--base-url: " + badUrl);
            }

            var pkcs11 = parse.GetValue(module);
            if (pkcs11 is not null && string.IsNullOrWhiteSpace(parse.GetValue(token)))
            {
                return CommandResult.BadInput(context, json, "--pkcs11-module needs --pkcs11-token.");
            }

            string[] thumbprints;
            string[] issuers;
            try
            {
                thumbprints = [.. (parse.GetValue(verifierCerts) ?? []).Select(f => Jpki.Authority.Ocsp.VerifierAccess.Thumbprint(ReadCertificate(f)))];
                issuers = [.. (parse.GetValue(verifierCas) ?? []).Select(f => Convert.ToBase64String(ReadCertificate(f)))];
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                return CommandResult.BadInput(context, json, "A verifier certificate could not be read: " + ex.Message);
            }

            var settings = new AuthoritySettings
            {
                TestNames = parse.GetValue(testNames),
                Profile = parse.GetValue(profile)!,
                PublicBaseUrl = parse.GetValue(baseUrl)!,
                KeySource = pkcs11 is null ? "software" : "pkcs11",
                Pkcs11Module = pkcs11,
                Pkcs11Token = parse.GetValue(token),
                Pkcs11PinEnvironmentVariable = parse.GetValue(pinEnv)!,
                OpenSignatureRevocationData = parse.GetValue(open),
                VerifierKeys = parse.GetValue(verifierKeys) ?? [],
                VerifierCertificateThumbprints = thumbprints,
                VerifierIssuers = issuers,
                RegistrationAuthorityKeys = parse.GetValue(raKeys) ?? [],
                CrlPartitionMonths = parse.GetValue(partitionMonths),
                PublishFullCrl = !parse.GetValue(noFullCrl),
                DeltaCrls = !parse.GetValue(noDeltas),
            };
            try
            {
                PrivateFiles.CreateFolder(folder);
                await AuthorityFolder.InitializeAsync(folder, settings, context.Clock, AuthorityCommand.Actor(parse.GetValue(actor)), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException or Jpki.Authority.Keys.Pkcs11KeyException or System.Data.Common.DbException)
            {
                return CommandResult.BadInput(context, json, ex.Message);
            }

            var payload = new { data = folder, profile = settings.Profile, testNames = settings.TestNames, keySource = settings.KeySource, baseUrl = settings.PublicBaseUrl };
            return CommandResult.Write(context, json, payload, output =>
                output.WriteLine($"Authority initialised in {folder} ({settings.Profile} profile, {(settings.TestNames ? "O=JPKI-TEST" : "O=JPKI")} names, {settings.KeySource} keys). CA certificates: {Path.Combine(AuthorityFolder.PathOf(folder), "sign-ca.cer")}, auth-ca.cer."));
        });
        return command;
    }

    private static byte[] ReadCertificate(FileInfo file)
    {
        using var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(file.FullName);
        return certificate.RawData;
    }
}
