using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using Jpki.Authority.Ca;
using Jpki.Authority.Profiles;
using Jpki.Authority.Registry;
using Jpki.Card.Client;
using Jpki.Card.Issuer;
using Jpki.Card.Issuer.Surface;
using Jpki.Card.Profiles;
using Jpki.Card.Transport;
using Jpki.Card.Virtual;
using Jpki.Cli.Commands.Authority;
using Jpki.Cli.Output;
using Jpki.Core.Identity;
using Jpki.Core.Pins;
using Jpki.Core.Rules;
using Jpki.Core.Time;
using Jpki.Server;

namespace Jpki.Cli.Commands.Card;

/// <summary>
/// <c>jpki card dev-issue</c>: DEVELOPMENT ONLY — keys generated on a virtual card, JPKI-profile certificates for them issued
/// by the data folder's TEST authority (initialised as <c>jpki serve</c> does when missing; a production authority is
/// refused), a sample holder on the 券面 side, and the PINs.
/// </summary>
internal static class CardDevIssueCommand
{
    /// <summary>The sample holder every dev-issued card carries (a fictitious person; the My Number is a valid-looking sample).</summary>
    private static readonly BasicFourInfo SampleHolder = new("試験　太郎", "東京都千代田区永田町一丁目７番１号", new DateOnly(1990, 1, 1), Sex.Male);

    private const string SampleMyNumber = "123456789018";

    /// <summary>The romanised prefecture and municipality of the sample address, for the signature certificate's subject L.</summary>
    private const string SamplePrefecture = "Tokyo-to";

    private const string SampleMunicipality = "Chiyoda-ku";

    public static Command Create(CliContext context)
    {
        var cardFile = new Option<FileInfo>("--card") { Description = "The un-issued virtual card file.", Required = true };
        var data = AuthorityCommand.DataOption();
        data.Description = "Data folder whose TEST authority issues the certificates (the folder `jpki serve --data` uses); a folder without an authority gets one as `jpki serve` makes it; a production authority is refused. Default: $JPKI_DATA, else ./jpki-data.";
        var masterKey = MasterKeyInput.Create();
        var authPin = new PinInput("auth-pin", "authentication PIN");
        var signPassword = new PinInput("sign-password", "signature password");
        var cardPin = new PinInput("card-pin", "card PIN");
        var command = new Command(
            "dev-issue",
            "FOR DEVELOPMENT AND TESTS ONLY: generate both key pairs on a virtual card through the issuer channel, have the data folder's TEST " +
            "authority (O=JPKI-TEST names, test policies) issue JPKI-profile signature and authentication certificates for them — registered, " +
            "audited, with subjectAltName, policy, CRL distribution point and OCSP address, so `jpki verify` and `jpki serve` on the same folder " +
            "know them — and write them with the two CA certificates onto the card; a sample holder (試験　太郎) in the 券面 APs (text AP with " +
            "照合番号A/B; visual AP with the printed items drawn with GNU Unifont when the Debian package unifont is installed; a random security " +
            "code); and set the PINs (the card PIN also for the 住基AP and the common AP). A folder without an authority gets a test one, as " +
            "`jpki serve` initialises it; a production authority is refused (exit 2). Real issuance goes through the counter.");
        command.Options.Add(cardFile);
        command.Options.Add(data);
        command.Options.Add(masterKey);
        authPin.AddTo(command);
        signPassword.AddTo(command);
        cardPin.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            var (master, error) = MasterKeyInput.Read(parse, masterKey, context);
            if (master is null)
            {
                return CommandResult.BadInput(context, json, error!);
            }

            char[]? auth = null, sign = null, text = null;
            try
            {
                (auth, error) = authPin.Read(parse, context, "New authentication PIN (4 digits): ", PinKind.AuthenticationPin);
                if (auth is null)
                {
                    return CommandResult.BadInput(context, json, error!);
                }

                (sign, error) = signPassword.Read(parse, context, "New signature password (6–16 of A–Z, 0–9): ", PinKind.SignaturePassword);
                if (sign is null)
                {
                    return CommandResult.BadInput(context, json, error!);
                }

                (text, error) = cardPin.Read(parse, context, "New card PIN (4 digits): ", PinKind.CardPin);
                if (text is null)
                {
                    return CommandResult.BadInput(context, json, error!);
                }

                var folder = AuthorityCommand.DataFolder(parse.GetValue(data));
                return await IssueAsync(context, json, parse.GetValue(cardFile)!, folder, master, auth, sign, text, cancellationToken).ConfigureAwait(false);
            }
            catch (VirtualCardException e)
            {
                return CommandResult.BadInput(context, json, e.Message);
            }
            catch (CardStatusException e)
            {
                return CommandResult.BadInput(context, json, e.StatusWord == 0x6A80
                    ? "A PIN breaks the PIN rules (auth and card PIN: 4 digits; signature password: 6–16 of A–Z and 0–9 with a letter and a digit)."
                    : e.Message);
            }
            catch (Exception e) when (AuthorityCommand.IsDataFailure(e))
            {
                return CommandResult.BadInput(context, json, AuthorityCommand.Message(e));
            }
            finally
            {
                CryptographicOperations.ZeroMemory(master);
                Array.Clear(auth ?? []);
                Array.Clear(sign ?? []);
                Array.Clear(text ?? []);
            }
        });
        return command;
    }

    private static async Task<int> IssueAsync(
        CliContext context, bool json, FileInfo cardFile, string folder, byte[] master, char[] auth, char[] sign, char[] text, CancellationToken cancellationToken)
    {
        // A production authority never mints development certificates: refused before the card is touched.
        if (AuthorityFolder.IsInitialized(folder) && !AuthorityFolder.ReadSettings(folder).TestNames)
        {
            return CommandResult.BadInput(context, json,
                $"{folder} holds a production authority (J-LIS names): dev-issue issues only from a TEST authority. Give --data a folder of its own (a new one gets a test authority), or issue through the counter.");
        }

        using var card = VirtualCard.Open(cardFile.FullName);
        var now = context.Clock.GetUtcNow();
        var generation = card.Profile == CardProfile.NextGeneration ? CardGeneration.NextGeneration : CardGeneration.Current;
        var authExpiry = CertificateValidity.Compute(CertificateKind.Authentication, SampleHolder.DateOfBirth, now, card.Expiry, generation: generation);
        if (!authExpiry.IsAllowed)
        {
            return CommandResult.BadInput(context, json, authExpiry.Message!);
        }

        var signExpiry = CertificateValidity.Compute(CertificateKind.Signature, SampleHolder.DateOfBirth, now, card.Expiry, authExpiry.Value!.ExpiresOn, generation: generation).GetValueOrThrow();
        Directory.CreateDirectory(folder);
        var initialized = await AuthorityStartup.InitializeTestAuthorityIfMissingAsync(folder, JpkiServerOptions.DefaultUrls, context.Clock, "system:dev-issue", cancellationToken).ConfigureAwait(false);
        await using var runtime = await AuthorityFolder.OpenAsync(folder, context.Clock, cancellationToken).ConfigureAwait(false);
        var authority = runtime.Authority;

        using var key = CardManagementKey.Derive(master, card.CardNumber);
        using var transport = new InProcessTransport(card);
        var issuer = new CardIssuerClient(new JpkiCardClient(transport), key, card.CardNumber);
        var keys = DevelopmentIssuance.GenerateKeyPairs(issuer);

        // The same path as `jpki authority issue` and the counter: validator, registry, audit log.
        var holderId = HolderIdOf(card);
        var actor = AuthorityCommand.Actor(null);
        var authRecord = await authority.IssueAsync(
            new IssueRequest(CertificateKind.Authentication, keys.AuthenticationSubjectPublicKeyInfo(), card.CardNumber, holderId, authExpiry.Value.ExpiresOn, null, null, actor),
            cancellationToken).ConfigureAwait(false);
        var subject = new SignatureSubject(
            SamplePrefecture, SampleMunicipality,
            SampleHolder.Name, SignatureSubject.NoSubstitution(SampleHolder.Name),
            SampleHolder.Address, SignatureSubject.NoSubstitution(SampleHolder.Address),
            SampleHolder.DateOfBirth, SampleHolder.Sex);
        var signRecord = await authority.IssueAsync(
            new IssueRequest(CertificateKind.Signature, keys.SignatureSubjectPublicKeyInfo(), card.CardNumber, holderId, signExpiry.ExpiresOn, subject, null, actor),
            cancellationToken).ConfigureAwait(false);

        var certificates = new DevelopmentCertificates(authRecord.Der.ToArray(), signRecord.Der.ToArray(), authority.AuthCa.CertificateDer, authority.SignCa.CertificateDer);
        var securityCode = RandomNumberGenerator.GetInt32(10_000).ToString("D4", CultureInfo.InvariantCulture);
        var issued = DevelopmentIssuance.Complete(
            issuer, certificates, auth, sign, text, (SampleMyNumber, SampleHolder), new DevelopmentSurface(card.Expiry, securityCode, BitmapFont.LoadSystem()));
        var visual = issued.Surface?.Visual == true;
        var signRoot = AuthorityFolder.CaCertificatePath(folder, CertificateKind.Signature);
        var authRoot = AuthorityFolder.CaCertificatePath(folder, CertificateKind.Authentication);
        return CommandResult.Write(
            context, json,
            new
            {
                cardNumber = card.CardNumber,
                profile = card.Profile.Id,
                issued = true,
                dataFolder = folder,
                authorityInitialized = initialized,
                holderId,
                signature = Summary(signRecord),
                authentication = Summary(authRecord),
                signRoot,
                authRoot,
                securityCode = issued.Surface?.Text == true ? securityCode : null,
                visualAp = visual,
            },
            w =>
            {
                w.WriteLine($"Issued card {card.CardNumber} ({card.Profile.Id}) with certificates of the TEST authority (O=JPKI-TEST) in {folder}{(initialized ? ", initialised now as `jpki serve` does" : "")}, and the PINs.");
                w.WriteLine($"  signature certificate      {signRecord.SerialHex}, valid until {JapanTime.ToJapanDate(signRecord.NotAfter):yyyy-MM-dd}");
                w.WriteLine($"  authentication certificate {authRecord.SerialHex}, valid until {JapanTime.ToJapanDate(authRecord.NotAfter):yyyy-MM-dd}");
                w.WriteLine($"  roots: {signRoot} (signature), {authRoot} (authentication)");
                w.WriteLine($"Verify with `jpki verify --trust {signRoot} --allow-test-policy …`; `jpki serve --data {folder}` answers OCSP and serves the CRLs for them.");
                if (issued.Surface?.Text == true)
                {
                    w.WriteLine($"Security code printed on the card face: {securityCode} (照合番号B = era-year date of birth + expiry year + this code).");
                }

                if (!visual && card.Profile.Applications.Contains(Jpki.Card.Applications.CardApplication.Visual))
                {
                    w.WriteLine($"warning: the visual AP was left un-issued: its printed items need {BitmapFont.SystemFontHint}.");
                }
            });
    }

    /// <summary>The card's holder reference from <c>jpki card new --holder</c>, else one made from the card number — never the My Number.</summary>
    private static string HolderIdOf(VirtualCard card)
        => Jpki.Authority.Contracts.HolderId.TryCreate(card.HolderReference, out _) ? card.HolderReference : "dev-issue:" + card.CardNumber;

    private static object Summary(CertificateRecord record) => new { serial = record.SerialHex, notAfter = record.NotAfter };
}
