using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using Jpki.Card.Client;
using Jpki.Card.Issuer;
using Jpki.Card.Issuer.Surface;
using Jpki.Card.Transport;
using Jpki.Card.Virtual;
using Jpki.Cli.Output;
using Jpki.Core.Identity;

namespace Jpki.Cli.Commands.Card;

/// <summary><c>jpki card dev-issue</c>: DEVELOPMENT ONLY — keys on the card plus self-made TEST certificates.</summary>
internal static class CardDevIssueCommand
{
    public static Command Create(CliContext context)
    {
        var cardFile = new Option<FileInfo>("--card") { Description = "The un-issued virtual card file.", Required = true };
        var masterKey = MasterKeyInput.Create();
        var authPin = new PinInput("auth-pin", "authentication PIN");
        var signPassword = new PinInput("sign-password", "signature password");
        var cardPin = new PinInput("card-pin", "card PIN");
        var command = new Command(
            "dev-issue",
            "FOR DEVELOPMENT AND TESTS ONLY: generate both key pairs on a virtual card through the issuer channel, write self-made TEST " +
            "certificates (two throw-away CAs, labelled 'not JPKI'), a sample holder in the 券面 APs (text AP with 照合番号A/B; visual AP " +
            "with the printed items drawn with GNU Unifont when the Debian package unifont is installed; a random security code), and set " +
            "the PINs (the card PIN also for the 住基AP and the common AP). Real issuance goes through the authority and the counter.");
        command.Options.Add(cardFile);
        command.Options.Add(masterKey);
        authPin.AddTo(command);
        signPassword.AddTo(command);
        cardPin.AddTo(command);
        command.SetAction(parse =>
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
                (auth, error) = authPin.Read(parse, context, "New authentication PIN (4 digits): ");
                if (auth is null)
                {
                    return CommandResult.BadInput(context, json, error!);
                }

                (sign, error) = signPassword.Read(parse, context, "New signature password (6–16 of A–Z, 0–9): ");
                if (sign is null)
                {
                    return CommandResult.BadInput(context, json, error!);
                }

                (text, error) = cardPin.Read(parse, context, "New card PIN (4 digits): ");
                if (text is null)
                {
                    return CommandResult.BadInput(context, json, error!);
                }

                using var card = VirtualCard.Open(parse.GetValue(cardFile)!.FullName);
                using var key = CardManagementKey.Derive(master, card.CardNumber);
                using var transport = new InProcessTransport(card);
                var issuer = new CardIssuerClient(new JpkiCardClient(transport), key, card.CardNumber);
                var holder = new BasicFourInfo("試験　太郎", "東京都千代田区永田町一丁目７番１号", new DateOnly(1990, 1, 1), Sex.Male);
                var securityCode = RandomNumberGenerator.GetInt32(10_000).ToString("D4", CultureInfo.InvariantCulture);
                var font = BitmapFont.LoadSystem();
                var issued = DevelopmentIssuance.Issue(
                    issuer, context.Clock, auth, sign, text, ("123456789018", holder), new DevelopmentSurface(card.Expiry, securityCode, font));
                var visual = issued.Surface?.Visual == true;
                return CommandResult.Write(
                    context, json,
                    new
                    {
                        cardNumber = card.CardNumber,
                        profile = card.Profile.Id,
                        issued = true,
                        testCertificates = true,
                        securityCode = issued.Surface?.Text == true ? securityCode : null,
                        visualAp = visual,
                    },
                    w =>
                    {
                        w.WriteLine($"Issued card {card.CardNumber} ({card.Profile.Id}) with TEST certificates (not JPKI) and the PINs.");
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
}
