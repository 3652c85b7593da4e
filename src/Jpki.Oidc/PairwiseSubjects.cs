using Jpki.Core.Storage;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Jpki.Oidc;

/// <summary>
/// Pairwise pseudonymous subjects (OpenID Connect Core §8.1): <c>sub</c> = base64url(HMAC-SHA256(secret,
/// "jpki-oidc-sub-v1\n" ‖ client_id ‖ "\n" ‖ account key)). The account key is that of the first authentication
/// certificate of the citizen's chain of renewals (<see cref="Verification.Login.AccountKeys"/>), so the subject stays the
/// same across renewals; two clients get unrelated subjects for the same citizen and cannot join their records. The
/// secret (<c>pairwise.key</c>, 32 random bytes) never leaves the data folder: without it a subject cannot be tied to a
/// certificate.
/// </summary>
public sealed class PairwiseSubjects
{
    private readonly byte[] _secret;

    private PairwiseSubjects(byte[] secret) => _secret = secret;

    /// <summary>Loads the secret from <paramref name="path"/>, creating it (owner-only, atomically) when missing.</summary>
    /// <exception cref="InvalidDataException">The file exists but is not 32 base64 bytes.</exception>
    public static PairwiseSubjects OpenOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            PrivateFiles.CreateFolder(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            var options = PrivateFiles.CreateOptions();

            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
                stream.Flush(flushToDisk: true);
            }

            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temporary); // another process created it first: use theirs.
            }
        }

        byte[] secret;
        try
        {
            secret = Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"{path} is not base64.", e);
        }

        return secret.Length == 32 ? new PairwiseSubjects(secret) : throw new InvalidDataException($"{path} does not hold 32 bytes.");
    }

    /// <summary>The subject of the citizen with <paramref name="accountKey"/> at client <paramref name="clientId"/>.</summary>
    public string Subject(string clientId, string accountKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentException.ThrowIfNullOrEmpty(accountKey);
        return Base64Url.EncodeToString(HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes($"jpki-oidc-sub-v1\n{clientId}\n{accountKey}")));
    }
}
