using Jpki.Core.Storage;
using System.Security.Cryptography;
using System.Text.Json;
using Jpki.Authority.Audit;
using Jpki.Authority.Keys;
using Jpki.Authority.Tsa;

namespace Jpki.Authority.Ca;

/// <summary>
/// The time-stamping authority of the data folder: <c>authority/tsa/tsa-root.cer</c> (the TSA root relying parties
/// trust), <c>tsa.cer</c> (the TSA unit certificate) and their keys (<c>tsa-root.key.pem</c>, <c>tsa.key.pem</c>,
/// encrypted like the CA keys; labels <c>jpki-tsa-root</c>/<c>jpki-tsa</c> on a PKCS#11 token).
/// </summary>
public static partial class AuthorityFolder
{
    private const string TsaFolderName = "tsa";

    /// <summary>The TSA root certificate of <paramref name="dataDirectory"/> (DER), which verifiers trust for time-stamps.</summary>
    public static string TsaRootPath(string dataDirectory) => Path.Combine(PathOf(dataDirectory), TsaFolderName, "tsa-root.cer");

    /// <summary>The TSA unit certificate of <paramref name="dataDirectory"/> (DER).</summary>
    public static string TsaCertificatePath(string dataDirectory) => Path.Combine(PathOf(dataDirectory), TsaFolderName, "tsa.cer");

    /// <summary>
    /// Creates the TSA in <c>authority/tsa/</c>: the files are written to a fresh folder that is then renamed into place,
    /// so two processes opening an older data folder at once end with one TSA (the loser discards its copy).
    /// Returns false when another process created it first.
    /// </summary>
    private static async Task<bool> CreateTimestampAuthorityAsync(string folder, AuthoritySettings settings, IAuditLog audit, TimeProvider clock, string actor, CancellationToken cancellationToken)
    {
        var target = Path.Combine(folder, TsaFolderName);
        if (Directory.Exists(target))
        {
            return false;
        }

        var staging = Path.Combine(folder, ".tsa-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)));
        PrivateFiles.CreateFolder(staging);
        byte[] unitDer;
        try
        {
            var now = clock.GetUtcNow();
            using var rootKey = CreateKey(folder, settings, Path.Combine(staging, "tsa-root.key.pem"), "jpki-tsa-root");
            using var unitKey = CreateKey(folder, settings, Path.Combine(staging, "tsa.key.pem"), "jpki-tsa");
            var rootDer = TsaCertificateProfile.BuildRoot(TsaCertificateProfile.RootName(settings.TestNames), rootKey, RandomIdentifierSource.Instance.NextSerial(), now);
            using var root = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(rootDer);
            unitDer = TsaCertificateProfile.BuildUnit(root, rootKey, TsaCertificateProfile.UnitName(settings.TestNames), unitKey.PublicKey, RandomIdentifierSource.Instance.NextSerial(), now);
            PrivateFiles.WriteAllBytes(Path.Combine(staging, "tsa-root.cer"), rootDer);
            PrivateFiles.WriteAllBytes(Path.Combine(staging, "tsa.cer"), unitDer);
            Directory.Move(staging, target);
        }
        catch (IOException) when (Directory.Exists(target))
        {
            Directory.Delete(staging, recursive: true);
            return false;
        }

        var details = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["subject"] = TsaCertificateProfile.UnitName(settings.TestNames).Name,
            ["keySource"] = settings.KeySource,
            ["sha256"] = Convert.ToHexString(SHA256.HashData(unitDer)),
            ["policy"] = settings.TsaPolicy ?? TimestampAuthorityOptions.DefaultPolicy,
        });
        await audit.AppendAsync(new AuditEntry(clock.GetUtcNow(), actor, "tsa.init", "tsa", details), cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Opens the TSA, creating it first in a data folder initialised before the TSA existed (software keys only).</summary>
    private static async Task<TimestampAuthority?> OpenTimestampAuthorityAsync(string folder, AuthoritySettings settings, IAuditLog audit, TimeProvider clock, CancellationToken cancellationToken)
    {
        var target = Path.Combine(folder, TsaFolderName);
        if (!Directory.Exists(target))
        {
            if (settings.KeySource == "pkcs11")
            {
                // Generating token keys behind the operator's back is not ours to do: `jpki authority init` creates them.
                return null;
            }

            await CreateTimestampAuthorityAsync(folder, settings, audit, clock, "system:open", cancellationToken).ConfigureAwait(false);
        }

        var key = OpenKey(folder, settings, Path.Combine(target, "tsa.key.pem"), "jpki-tsa");
        try
        {
            var unit = await File.ReadAllBytesAsync(Path.Combine(target, "tsa.cer"), cancellationToken).ConfigureAwait(false);
            var root = await File.ReadAllBytesAsync(Path.Combine(target, "tsa-root.cer"), cancellationToken).ConfigureAwait(false);
            var options = new TimestampAuthorityOptions { Policy = settings.TsaPolicy ?? TimestampAuthorityOptions.DefaultPolicy };
            return new TimestampAuthority(key, unit, root, audit, clock, options);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }
}
