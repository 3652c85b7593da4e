using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Authority.Ca;
using Jpki.Authority.Profiles;
using Jpki.Authority.Registry;
using Jpki.Card.Client;
using Jpki.Card.Issuer;
using Jpki.Card.Transport;
using Jpki.Card.Virtual;
using Jpki.Core.Identity;
using Jpki.Core.Pins;
using Jpki.Core.Time;
using Jpki.Municipality.Cards;
using Jpki.Municipality.Hosting;
using Jpki.Municipality.Residents;
using Jpki.Municipality.Staff;
using Jpki.Verification.Cms;
using Microsoft.AspNetCore.Identity;

namespace Jpki.Load.Data;

/// <summary>
/// Fills an empty data folder so that a run is reproducible: a test-environment authority (open signature revocation
/// data), issued certificates with every n-th revoked, a clerk account, residents with delivered virtual cards, CMS
/// signatures, and <c>load/manifest.json</c> saying what each answer must be. <c>jpki serve --data</c> then serves it.
/// Holder keys: 4 RSA-2048 key pairs shared by all certificates (key generation is not what is being measured).
/// </summary>
internal static class Preparer
{
    public const string Actor = "load-prepare";
    public const string StaffId = "load1";
    public const string CardPin = "1234";
    public const string SignaturePassword = "LOAD123";
    public const string AuthenticationPin = "5678";
    private const string Name = "山田　太郎";
    private const string Address = "東京都千代田区千代田１－１";
    private static readonly DateOnly Birth = new(1980, 2, 17);
    private static readonly DateOnly CardExpiry = new(2035, 2, 17);

    /// <summary>Prepares <paramref name="dataDirectory"/>; null when done, else why not (an authority is already there).</summary>
    public static async Task<string?> RunAsync(string dataDirectory, PrepareSettings settings, TimeProvider clock, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        if (AuthorityFolder.IsInitialized(dataDirectory) || File.Exists(LoadManifest.PathIn(dataDirectory)))
        {
            return $"{dataDirectory} already holds an authority: prepare a new, empty folder.";
        }

        Directory.CreateDirectory(dataDirectory);
        await AuthorityFolder.InitializeAsync(
            dataDirectory,
            new AuthoritySettings { TestNames = true, OpenSignatureRevocationData = true, PublicBaseUrl = settings.BaseUrl, CrlPartitionMonths = settings.CrlPartitionMonths, PublishFullCrl = settings.PublishFullCrl },
            clock, Actor, cancellationToken).ConfigureAwait(false);
        await using var authority = await AuthorityFolder.OpenAsync(dataDirectory, clock, cancellationToken).ConfigureAwait(false);

        var keys = Enumerable.Range(0, 4).Select(_ => RSA.Create(2048)).ToArray();
        try
        {
            var expiry = JapanTime.ToJapanDate(clock.GetUtcNow()).AddYears(4);
            var auth = await IssueAsync(authority, CertificateKind.Authentication, settings.AuthCertificates, keys, expiry, cancellationToken).ConfigureAwait(false);
            var sign = await IssueAsync(authority, CertificateKind.Signature, settings.SignCertificates, keys, expiry, cancellationToken).ConfigureAwait(false);
            var certificates = new List<PreparedCertificate>();
            foreach (var (kind, issued) in new[] { ("auth", auth), ("sign", sign) })
            {
                for (var i = 0; i < issued.Count; i++)
                {
                    var revoke = settings.RevokeEvery > 0 && i % settings.RevokeEvery == settings.RevokeEvery - 1;
                    if (revoke)
                    {
                        await authority.Authority.RevokeAsync(issued[i].Record.SerialHex, RevocationReason.KeyCompromise, null, Actor, cancellationToken).ConfigureAwait(false);
                    }

                    certificates.Add(new PreparedCertificate(kind, issued[i].Record.SerialHex, revoke));
                }
            }

            log.WriteLine($"issued {auth.Count} auth and {sign.Count} sign certificates, revoked {certificates.Count(c => c.Revoked)}");

            await OpenSslAsync(dataDirectory, authority, auth, certificates.Where(c => c.Kind == "auth").ToList(), clock, cancellationToken).ConfigureAwait(false);
            log.WriteLine($"wrote {Path.Combine(LoadManifest.FolderName, "openssl")}/ (auth CA, index.txt) for openssl ocsp");

            var signatures = await SignAsync(dataDirectory, sign, certificates.Where(c => c.Kind == "sign").ToList(), keys, settings.Signatures, clock, cancellationToken).ConfigureAwait(false);
            log.WriteLine($"made {signatures.Count} CMS signatures ({signatures.Count(s => s.Expected == "revoked")} by revoked signers)");

            var staffPassword = "load-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
            var cards = await CounterAsync(dataDirectory, authority, settings.Cards, staffPassword, clock, cancellationToken).ConfigureAwait(false);
            log.WriteLine($"added staff account {StaffId} and {cards.Count} residents with virtual cards");

            await new LoadManifest
            {
                PreparedAt = clock.GetUtcNow(),
                SignCa = authority.Authority.SignCa.CertificateDer.ToArray(),
                AuthCa = authority.Authority.AuthCa.CertificateDer.ToArray(),
                Certificates = certificates,
                StaffId = StaffId,
                StaffPassword = staffPassword,
                CardPin = CardPin,
                SignaturePassword = SignaturePassword,
                AuthenticationPin = AuthenticationPin,
                Cards = cards,
                Signatures = signatures,
            }.WriteAsync(dataDirectory, cancellationToken).ConfigureAwait(false);
            log.WriteLine($"wrote {LoadManifest.PathIn(dataDirectory)}");
            return null;
        }
        finally
        {
            foreach (var key in keys)
            {
                key.Dispose();
            }
        }
    }

    private static async Task<List<(CertificateRecord Record, int Key)>> IssueAsync(AuthorityRuntime authority, CertificateKind kind, int count, RSA[] keys, DateOnly expiry, CancellationToken cancellationToken)
    {
        var spkis = keys.Select(k => k.ExportSubjectPublicKeyInfo()).ToArray();
        var subject = kind == CertificateKind.Signature
            ? new SignatureSubject("Tokyo-to", "Chiyoda-ku", Name, SignatureSubject.NoSubstitution(Name), Address, SignatureSubject.NoSubstitution(Address), Birth, Sex.Male)
            : null;
        var prefix = kind == CertificateKind.Signature ? "S" : "A";
        var issued = new (CertificateRecord Record, int Key)[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var key = i % keys.Length;
            var id = prefix + i.ToString("D6", CultureInfo.InvariantCulture);
            var record = await authority.Authority.IssueAsync(new IssueRequest(kind, spkis[key], "LC" + id, "LH" + id, expiry, subject, null, Actor), ct).ConfigureAwait(false);
            issued[i] = (record, key);
        }).ConfigureAwait(false);
        return [.. issued];
    }

    /// <summary>
    /// The auth CA as <c>openssl ocsp</c> serves it, for the side-by-side run: <c>ca.pem</c> and <c>index.txt</c> with every
    /// auth certificate, revoked ones as <c>R</c> with reason keyCompromise. openssl signs its answers with the CA key
    /// itself (<c>authority/auth-ca.key.pem</c>, <c>-passin file:authority/passphrase</c>).
    /// </summary>
    private static async Task OpenSslAsync(string dataDirectory, AuthorityRuntime authority, List<(CertificateRecord Record, int Key)> auth, List<PreparedCertificate> prepared, TimeProvider clock, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(dataDirectory, LoadManifest.FolderName, "openssl");
        Directory.CreateDirectory(folder);
        var ca = authority.Authority.AuthCa;
        await File.WriteAllTextAsync(Path.Combine(folder, "ca.pem"), new string(PemEncoding.Write("CERTIFICATE", ca.CertificateDer.ToArray())) + "\n", cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        var index = new System.Text.StringBuilder();
        var revokedAt = now.UtcDateTime.ToString("yyMMddHHmmss", CultureInfo.InvariantCulture) + "Z";
        for (var i = 0; i < auth.Count; i++)
        {
            var record = auth[i].Record;
            var expiry = record.NotAfter.UtcDateTime.ToString("yyMMddHHmmss", CultureInfo.InvariantCulture) + "Z";
            var status = prepared[i].Revoked ? "R" : "V";
            var revocation = prepared[i].Revoked ? revokedAt + ",keyCompromise" : string.Empty;
            index.Append(CultureInfo.InvariantCulture, $"{status}\t{expiry}\t{revocation}\t{record.SerialHex}\tunknown\t/C=JP/CN=load{i}\n");
        }

        await File.WriteAllTextAsync(Path.Combine(folder, "index.txt"), index.ToString(), cancellationToken).ConfigureAwait(false);
    }

    private static async Task<List<PreparedSignature>> SignAsync(string dataDirectory, List<(CertificateRecord Record, int Key)> sign, List<PreparedCertificate> prepared, RSA[] keys, int count, TimeProvider clock, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(dataDirectory, LoadManifest.FolderName, "signatures");
        Directory.CreateDirectory(folder);
        var signatures = new List<PreparedSignature>();
        for (var i = 0; i < count && sign.Count > 0; i++)
        {
            var (record, key) = sign[i % sign.Count];
            using var certificate = X509CertificateLoader.LoadCertificate(record.Der.Span);
            var content = System.Text.Encoding.UTF8.GetBytes($"jpki-load document {i}: 申請書");
            var cms = CmsSignatureBuilder.Sign(content, certificate, keys[key], detached: false, clock.GetUtcNow());
            var file = i.ToString("D5", CultureInfo.InvariantCulture) + ".p7s";
            await File.WriteAllBytesAsync(Path.Combine(folder, file), cms, cancellationToken).ConfigureAwait(false);
            signatures.Add(new PreparedSignature("signatures/" + file, prepared[i % sign.Count].Revoked ? "revoked" : "valid"));
        }

        return signatures;
    }

    private static async Task<List<PreparedCard>> CounterAsync(string dataDirectory, AuthorityRuntime authority, int count, string staffPassword, TimeProvider clock, CancellationToken cancellationToken)
    {
        // Load data is a sandbox deployment: `jpki serve` on it without --card-master-key-file runs in sandbox mode with the
        // public development card key, so the prepared cards are written with that key too.
        await using var runtime = await Jpki.Server.Composition.CounterComposition.OpenAsync(
            new CounterRuntimeOptions { DataDirectory = dataDirectory, UsePcsc = false, UseDevelopmentCardKey = true }, clock, authority, cancellationToken).ConfigureAwait(false);
        var record = new StaffRecord(StaffId, "負荷　試験", StaffRole.Clerk, string.Empty);
        record = record with { PasswordHash = new PasswordHasher<StaffRecord>().HashPassword(record, staffPassword) };
        if (!await runtime.Store.AddStaffAsync(record, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException("The staff account already exists in this folder.");
        }

        var residents = Enumerable.Range(0, count)
            .Select(i => new Resident("L" + i.ToString("D6", CultureInfo.InvariantCulture), Name, "ヤマダ　タロウ", Address, Birth, Sex.Male, false, "H" + i.ToString(CultureInfo.InvariantCulture)))
            .ToList();
        await runtime.Store.AddResidentsAsync(residents, cancellationToken).ConfigureAwait(false);
        var folder = Path.Combine(dataDirectory, "cards");
        Directory.CreateDirectory(folder);
        var master = CardMasterKey.Development();
        var cards = new List<PreparedCard>();
        foreach (var resident in residents)
        {
            var number = "OJL" + resident.Id.PadLeft(13, '0');
            await runtime.Store.SaveCardAsync(new ResidentCard(number, resident.Id, CardKind.MyNumberCard, CardExpiry), cancellationToken).ConfigureAwait(false);
            using var key = CardManagementKey.Derive(master, number);
            using (var card = VirtualCard.Create(Path.Combine(folder, resident.Id + ".jpkicard"), new VirtualCardSpec(number, resident.Id, CardKind.MyNumberCard, CardExpiry), key))
            {
                using var transport = new InProcessTransport(card);
                new CardIssuerClient(new JpkiCardClient(transport), key, number).SetPin(PinKind.CardPin, CardPin);
            }

            cards.Add(new PreparedCard(resident.Id, "file:" + resident.Id + ".jpkicard"));
        }

        return cards;
    }
}
