using System.CommandLine;
using System.Globalization;
using Jpki.Cli.Output;
using Jpki.Municipality.Applications;
using Jpki.Municipality.Issuance;

namespace Jpki.Cli.Commands.Counter;

/// <summary><c>jpki counter issue</c> / <c>renew</c>: in-person issuance through the card on the counter.</summary>
internal static class CounterIssueCommand
{
    public static Command Create(CliContext context, string name, string description)
    {
        var common = new CounterCommand.Common();
        var cards = new CounterCardOptions();
        var secrets = new CounterSecrets();
        secrets.Add("card-pin", "card PIN (entered by the holder)");
        secrets.Add("sign-password", "new signature password");
        secrets.Add("auth-pin", "new authentication PIN");
        var resident = new Option<string>("--resident") { Description = "The holder's resident id.", Required = true };
        var only = new Option<string>("--only") { Description = "Only one certificate: sign or auth (default both)." };
        only.AcceptOnlyFromAmong("sign", "auth");
        var identity = new Option<bool>("--identity-checked") { Description = "The clerk has checked the holder's photo ID (required, else refused identity-not-checked)." };
        var choices = new Option<string[]>("--substitute")
        {
            Description = "A substitute the holder chose for a character outside the JIS set, as U+XXXX=character (repeatable).",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command(
            name,
            description + " PINs: from --*-env variables, else one per line on standard input in this order: card PIN, new signature password, " +
            "new authentication PIN (only those the certificates asked for). Exit 0 issued (receipt printed), 1 refused (code), 2 bad input or no card.");
        common.AddTo(command);
        cards.AddTo(command);
        secrets.AddTo(command);
        command.Options.Add(resident);
        command.Options.Add(only);
        command.Options.Add(identity);
        command.Options.Add(choices);
        command.SetAction(async (parse, ct) =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            if (cards.Validate(parse) is { } cardError)
            {
                return CommandResult.BadInput(context, json, cardError);
            }

            var (substitutes, choiceError) = ParseChoices(parse.GetValue(choices));
            if (choiceError is not null)
            {
                return CommandResult.BadInput(context, json, choiceError);
            }

            var (includeSign, includeAuth, wanted) = CounterSecrets.ForIssuance(parse.GetValue(only));

            var (pins, error) = secrets.Read(parse, context, wanted);
            if (pins is null)
            {
                return CommandResult.BadInput(context, json, error!);
            }

            try
            {
                return await common.RunAsync(context, parse, async (runtime, _) =>
                {
                    using var card = await cards.OpenAsync(parse, runtime, ct).ConfigureAwait(false);
                    var request = new IssuanceRequest(
                        parse.GetValue(resident)!, parse.GetValue(identity), pins["card-pin"], pins.GetValueOrDefault("sign-password"), pins.GetValueOrDefault("auth-pin"),
                        includeSign, includeAuth, substitutes);
                    var outcome = await runtime.Counter.IssueAsync(common.StaffOf(parse), card, request, ct).ConfigureAwait(false);
                    return outcome.IsAllowed ? WriteReceipt(context, json, outcome.Value!) : CounterCommand.Refused(context, json, outcome);
                }, ct).ConfigureAwait(false);
            }
            finally
            {
                CounterSecrets.Dispose(pins);
            }
        });
        return command;
    }

    internal static int WriteReceipt(CliContext context, bool json, IssuanceReceipt receipt)
    {
        var payload = new
        {
            resident = receipt.ResidentId,
            card = receipt.CardId,
            issuedAt = receipt.IssuedAt,
            byProxy = receipt.ByProxy,
            certificates = receipt.Certificates.Select(c => new
            {
                kind = c.Kind.ToString(), serial = c.SerialHex, expiresOn = CounterCommand.Date(c.ExpiresOn), decidedBy = c.DecidedBy,
                renewalOpens = CounterCommand.Date(c.RenewalOpens), mode = c.Mode.ToString(), previousSerial = c.PreviousSerialHex, feeYen = c.FeeYen, feeCode = c.FeeCode,
            }).ToArray(),
            certificateName = receipt.CertificateName,
            certificateAddress = receipt.CertificateAddress,
            substitutions = receipt.NameSubstitutions.Concat(receipt.AddressSubstitutions).Select(s => s.ToString()).ToArray(),
            totalFeeYen = receipt.TotalFeeYen,
        };
        return CommandResult.Write(context, json, payload, w =>
        {
            w.WriteLine($"Issued to {receipt.ResidentId} on card {receipt.CardId}{(receipt.ByProxy ? " (by proxy)" : "")}:");
            foreach (var c in receipt.Certificates)
            {
                w.WriteLine($"  {c.Kind,-14} {c.SerialHex}  {c.Mode}  until {CounterCommand.Date(c.ExpiresOn)} ({c.DecidedBy}), renewal from {CounterCommand.Date(c.RenewalOpens)}, fee {c.FeeYen} yen");
            }

            if (receipt.CertificateName is not null)
            {
                w.WriteLine($"  signature certificate name: {receipt.CertificateName}; address: {receipt.CertificateAddress}");
            }

            w.WriteLine($"  total fee: {receipt.TotalFeeYen} yen");
        });
    }

    internal static (IReadOnlyDictionary<int, string>? Choices, string? Error) ParseChoices(string[]? values)
    {
        if (values is null || values.Length == 0)
        {
            return (null, null);
        }

        var result = new Dictionary<int, string>();
        foreach (var value in values)
        {
            var parts = value.Split('=', 2);
            if (parts.Length != 2 || !parts[0].StartsWith("U+", StringComparison.OrdinalIgnoreCase)
                || !int.TryParse(parts[0].AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var codePoint) || parts[1].Length == 0)
            {
                return (null, $"--substitute '{value}' must look like U+9AD9=高.");
            }

            result[codePoint] = parts[1];
        }

        return (result, null);
    }
}
