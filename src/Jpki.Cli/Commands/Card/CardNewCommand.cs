using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using Jpki.Card.Client;
using Jpki.Card.Issuer;
using Jpki.Card.Profiles;
using Jpki.Card.Transport;
using Jpki.Card.Virtual;
using Jpki.Cli.Output;
using Jpki.Core.Identity;
using Jpki.Core.Pins;
using Jpki.Core.Time;

namespace Jpki.Cli.Commands.Card;

/// <summary><c>jpki card new</c>: a blank, un-issued virtual card (no keys, certificates or PINs yet).</summary>
internal static class CardNewCommand
{
    public static Command Create(CliContext context)
    {
        var output = new Option<FileInfo>("--out") { Description = "Where to write the card file (must not exist).", Required = true };
        var number = new Option<string>("--number") { Description = "Card number (ASCII letters and digits). Default: random." };
        var holder = new Option<string>("--holder") { Description = "Opaque holder reference (not the My Number).", DefaultValueFactory = _ => "" };
        var kind = new Option<string>("--kind") { Description = "mynumber (個人番号カード) or juki (住基カード); implied by --profile.", DefaultValueFactory = _ => "mynumber" };
        kind.AcceptOnlyFromAmong("mynumber", "juki");
        var profile = new Option<string>("--profile")
        {
            Description = "Card profile: " + string.Join("; ", CardProfile.All.Select(p => $"{p.Id} = {p.Description}")) + ". Default: by --kind.",
        };
        profile.AcceptOnlyFromAmong([.. CardProfile.All.Select(p => p.Id)]);
        var atr = new Option<string>("--atr")
        {
            Description = "Which ATR the card presents, by name (the profile's first by default): " +
                string.Join(", ", CardProfile.MyNumberCard.Atrs.Select(a => a.Name)) + " for My Number cards (the names of OpenSC's JPKI ATRs).",
        };
        var municipality = new Option<string>("--municipality")
        {
            Description = "The issuing municipality's 5-digit 全国地方公共団体コード (GET DATA 00F0, common AP record).",
            DefaultValueFactory = _ => "00000",
        };
        var expiry = new Option<string>("--expiry") { Description = "Card expiry date YYYY-MM-DD. Default: 10 years from today (Japan time)." };
        var masterKey = MasterKeyInput.Create();
        var cardPin = new PinInput("card-pin", "card PIN (券面事項入力補助用, 4 digits) to set on the new card");
        var puk = new PinInput("puk", "PUK (8 digits; --profile nextgen only) to set on the new card, as J-LIS would when it makes the card and mails the PUK to the holder");
        var command = new Command("new", "Create an un-issued virtual card file: token info only; keys, certificates and the other PINs come through the issuer channel (the counter, or `jpki card dev-issue`). With --card-pin-env/--card-pin-file/--card-pin the card PIN is set too, as on a card J-LIS hands to the city; without, set it at the counter (暗証番号の初期化) before issuing.");
        command.Options.Add(output);
        command.Options.Add(number);
        command.Options.Add(holder);
        command.Options.Add(kind);
        command.Options.Add(profile);
        command.Options.Add(atr);
        command.Options.Add(municipality);
        command.Options.Add(expiry);
        command.Options.Add(masterKey);
        cardPin.AddTo(command);
        puk.AddTo(command);
        command.SetAction(parse =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            DateOnly expiryDate;
            if (parse.GetValue(expiry) is { } text)
            {
                if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out expiryDate))
                {
                    return CommandResult.BadInput(context, json, $"--expiry must be YYYY-MM-DD, not '{text}'.");
                }
            }
            else
            {
                expiryDate = JapanTime.Today(context.Clock).AddYears(10);
            }

            var cardNumber = parse.GetValue(number) ?? "OJ" + RandomNumberGenerator.GetHexString(14);
            var (master, error) = MasterKeyInput.Read(parse, masterKey, context);
            if (master is null)
            {
                return CommandResult.BadInput(context, json, error!);
            }

            var cardProfile = CardProfile.Find(parse.GetValue(profile))
                ?? (parse.GetValue(kind) == "juki" ? CardProfile.JukiCard : CardProfile.MyNumberCard);
            var cardKind = cardProfile.Kind;
            if (parse.GetResult(kind) is { Implicit: false } && (parse.GetValue(kind) == "juki") != (cardKind == CardKind.JukiCard))
            {
                CryptographicOperations.ZeroMemory(master);
                return CommandResult.BadInput(context, json, $"--kind {parse.GetValue(kind)} contradicts --profile {cardProfile.Id}.");
            }

            CardAtr? cardAtr = null;
            if (parse.GetValue(atr) is { } atrName && (cardAtr = cardProfile.FindAtr(atrName)) is null)
            {
                CryptographicOperations.ZeroMemory(master);
                return CommandResult.BadInput(context, json,
                    $"--atr {atrName} is not an ATR of the profile {cardProfile.Id}; choose one of {string.Join(", ", cardProfile.Atrs.Select(a => a.Name))}.");
            }

            var path = parse.GetValue(output)!.FullName;
            char[]? pin = null;
            char[]? pukValue = null;
            try
            {
                if (puk.IsGiven(parse))
                {
                    if (cardProfile != CardProfile.NextGeneration)
                    {
                        return CommandResult.BadInput(context, json, $"The profile {cardProfile.Id} has no PUK; only --profile {CardProfile.NextGeneration.Id} does.");
                    }

                    (pukValue, var pukError) = puk.Read(parse, context, "PUK: ");
                    if (pukValue is null)
                    {
                        return CommandResult.BadInput(context, json, pukError!);
                    }

                    var pukFormat = PukPolicy.CheckFormat(pukValue);
                    if (!pukFormat.IsAllowed)
                    {
                        return CommandResult.BadInput(context, json, $"The PUK is not valid: {pukFormat.Message}");
                    }
                }

                if (cardPin.IsGiven(parse))
                {
                    (pin, var pinError) = cardPin.Read(parse, context, "Card PIN: ");
                    if (pin is null)
                    {
                        return CommandResult.BadInput(context, json, pinError!);
                    }

                    var format = PinPolicy.For(PinKind.CardPin).Validate(new string(pin));
                    if (!format.IsAllowed)
                    {
                        return CommandResult.BadInput(context, json, $"The card PIN is not valid: {format.Message}");
                    }
                }

                using var key = CardManagementKey.Derive(master, cardNumber);
                var spec = new VirtualCardSpec(cardNumber, parse.GetValue(holder) ?? "", cardKind, expiryDate)
                {
                    Profile = cardProfile,
                    Atr = cardAtr,
                    MunicipalityCode = parse.GetValue(municipality)!,
                };
                using var card = VirtualCard.Create(path, spec, key);
                if (pin is not null || pukValue is not null)
                {
                    using var transport = new InProcessTransport(card);
                    var issuer = new CardIssuerClient(new JpkiCardClient(transport), key, cardNumber);
                    if (pin is not null)
                    {
                        issuer.SetPin(PinKind.CardPin, pin);
                    }

                    if (pukValue is not null)
                    {
                        issuer.SetPuk(pukValue);
                    }
                }

                var pinSet = pin is not null;
                var pukSet = pukValue is not null;
                var atrHex = Convert.ToHexString(card.Atr.Span);
                return CommandResult.Write(
                    context, json, new { file = path, cardNumber, kind = cardKind, profile = cardProfile.Id, atr = atrHex, expiry = expiryDate, cardPinSet = pinSet, pukSet },
                    w =>
                    {
                        w.WriteLine($"Created un-issued card {cardNumber} ({cardProfile.Id}: {cardProfile.Description}; ATR {atrHex}; expires {expiryDate:yyyy-MM-dd}) at {path}.");
                        w.WriteLine(pinSet
                            ? "The card PIN is set."
                            : "The card has no card PIN yet: set it at the counter (暗証番号の初期化 → 券面事項入力補助用) before issuing, or create the card with --card-pin-env VAR.");
                        if (pukSet)
                        {
                            w.WriteLine("The PUK is set: the holder keeps it to unblock a PIN (jpki counter pin-unblock).");
                        }
                    });
            }
            catch (ArgumentException e)
            {
                return CommandResult.BadInput(context, json, e.Message);
            }
            catch (VirtualCardException e)
            {
                return CommandResult.BadInput(context, json, e.Message);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(master);
                if (pin is not null)
                {
                    Array.Clear(pin);
                }

                if (pukValue is not null)
                {
                    Array.Clear(pukValue);
                }
            }
        });
        return command;
    }
}
