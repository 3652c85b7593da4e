using Jpki.Authority.Contracts;
using System.CommandLine;
using System.Globalization;
using Jpki.Cli.Output;
using Jpki.Core.Identity;
using Jpki.Core.Rules;

namespace Jpki.Cli.Commands.Rules;

/// <summary><c>jpki rules validity</c>: when a certificate issued on a given day expires, and why.</summary>
internal static class ValidityCommand
{
    public static Command Create(CliContext context)
    {
        var birth = IsoDateOption.Create("--birth", "The holder's date of birth.", required: true);
        var issued = IsoDateOption.Create("--issued", "Japan date of issuance. Default: today (JST).", required: false);
        var kind = new Option<string>("--kind")
        {
            Description = "Which certificate: sign (署名用) or auth (利用者証明用).",
            DefaultValueFactory = _ => WireNames.Signature,
        };
        kind.AcceptOnlyFromAmong([.. WireNames.KindNames]);
        var cardExpiry = IsoDateOption.Create("--card-expiry", "The card's expiry date: caps the certificate.", required: false);
        var authExpiry = IsoDateOption.Create("--auth-expiry", "sign only: the expiry of the holder's authentication certificate, which caps the signature certificate.", required: false);
        var previousExpiry = IsoDateOption.Create("--previous-expiry", "Expiry of the certificate being renewed. Issued inside its renewal window (3 months before through its expiry) → 6th birthday instead of 5th (jpki profile only).", required: false);
        var profile = CardGenerationOption.Create("ten years from issuance instead of birthdays, no early-renewal bonus");

        var command = new Command(
            "validity",
            "When a certificate expires: 23:59:59 JST on the 5th birthday strictly after issuance (6th for an early renewal), capped by the card's expiry and, for sign, the auth certificate's expiry (JPKI-REFERENCE §7). With --profile nextgen: ten years from issuance, same caps (§14).\n" +
            "Exit codes: 0 computed, 1 cannot be issued (card or auth certificate already expired), 2 bad input.");
        command.Options.Add(birth);
        command.Options.Add(issued);
        command.Options.Add(kind);
        command.Options.Add(cardExpiry);
        command.Options.Add(authExpiry);
        command.Options.Add(previousExpiry);
        command.Options.Add(profile);
        command.SetAction(parse =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            if (!IsoDateOption.TryGet(parse, birth, out var dob, out var error)
                || !IsoDateOption.TryGetOrToday(parse, issued, context, out var issuedOn, out error)
                || !IsoDateOption.TryGet(parse, cardExpiry, out var card, out error)
                || !IsoDateOption.TryGet(parse, authExpiry, out var auth, out error)
                || !IsoDateOption.TryGet(parse, previousExpiry, out var previous, out error))
            {
                return CommandResult.BadInput(context, json, error);
            }

            var kindName = parse.GetValue(kind)!;
            WireNames.TryParseKind(kindName, out var certificateKind);
            if (issuedOn < dob!.Value)
            {
                return CommandResult.BadInput(context, json, "--issued is before --birth.");
            }

            if (certificateKind == CertificateKind.Authentication && auth is not null)
            {
                return CommandResult.BadInput(context, json, "--auth-expiry applies only to --kind sign: the authentication certificate is not capped by itself.");
            }

            var outcome = CertificateValidity.Compute(certificateKind, dob.Value, issuedOn, card, auth, previous, CardGenerationOption.Get(parse, profile));
            if (!outcome.IsAllowed)
            {
                return CommandResult.Write(
                    context,
                    json,
                    new { kind = kindName, issuedOn, verdict = "refused", code = outcome.Code, message = outcome.Message },
                    w => w.WriteLine($"refused ({outcome.Code}): {outcome.Message}"),
                    ExitCodes.Negative);
            }

            var expiry = outcome.Value!;
            var window = expiry.RenewalWindow;
            var payload = new
            {
                kind = kindName,
                profile = parse.GetValue(profile),
                dateOfBirth = dob.Value,
                issuedOn,
                earlyRenewal = expiry.EarlyRenewal,
                expiresOn = expiry.ExpiresOn,
                notAfter = expiry.NotAfter,
                decidedBy = expiry.DecidedByCode,
                renewalOpens = window.Opens,
            };
            return CommandResult.Write(context, json, payload, w =>
            {
                var title = certificateKind == CertificateKind.Signature ? "Signature certificate (署名用電子証明書)" : "Authentication certificate (利用者証明用電子証明書)";
                w.WriteLine(Invariant($"{title} issued {issuedOn:yyyy-MM-dd} for a holder born {dob.Value:yyyy-MM-dd}"));
                w.WriteLine(Invariant($"  expires:        {expiry.ExpiresOn:yyyy-MM-dd} (notAfter {expiry.NotAfter:yyyy-MM-dd'T'HH:mm:sszzz})"));
                w.WriteLine($"  decided by:     {Describe(expiry.DecidedBy)} ({expiry.DecidedByCode})");
                w.WriteLine($"  early renewal:  {(expiry.EarlyRenewal ? "yes (6th birthday)" : "no")}");
                w.WriteLine(Invariant($"  renewal window: {window.Opens:yyyy-MM-dd} to {window.Expiry:yyyy-MM-dd}"));
            });
        });
        return command;
    }

    private static string Describe(ExpiryBound bound) => bound switch
    {
        ExpiryBound.FifthBirthday => "the 5th birthday after issuance",
        ExpiryBound.SixthBirthday => "the 6th birthday after issuance (early renewal)",
        ExpiryBound.TenYears => "ten years from issuance (next-generation card)",
        ExpiryBound.Card => "the card's expiry",
        _ => "the authentication certificate's expiry",
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
