using Jpki.Core.Storage;
using System.CommandLine;
using Jpki.Cli.Output;
using Jpki.Municipality.Proxy;

namespace Jpki.Cli.Commands.Counter;

/// <summary><c>jpki counter proxy request|complete|letter</c>: application by a proxy (代理人), with the 照会書.</summary>
internal static class CounterProxyCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("proxy", "Application by a proxy: visit 1 (request → 照会書 PDF mailed to the registered address), visit 2 (complete with the sealed answer).");
        command.Subcommands.Add(Request(context));
        command.Subcommands.Add(Complete(context));
        command.Subcommands.Add(Letter(context));
        return command;
    }

    private static Option<FileInfo> FontOption() => new("--font") { Description = $"Japanese TrueType font for the letter. Default {InquiryLetterPdfOptions.DefaultFontPath} (Debian fonts-ipaexfont-mincho)." };

    private static Command Request(CliContext context)
    {
        var common = new CounterCommand.Common();
        var resident = new Option<string>("--resident") { Description = "The applicant's resident id.", Required = true };
        var proxyName = new Option<string>("--proxy-name") { Description = "The proxy's name.", Required = true };
        var document = new Option<string>("--proxy-id-document") { Description = "Kind of photo ID the proxy showed (e.g. 運転免許証); no document number.", Required = true };
        var idChecked = new Option<bool>("--identity-checked") { Description = "The clerk checked the proxy's photo ID." };
        var application = new Option<bool>("--application") { Description = "The application form is present." };
        var attorney = new Option<bool>("--power-of-attorney") { Description = "The power of attorney (委任状) is present." };
        var output = new Option<FileInfo>("--out") { Description = "Where to write the 照会書 PDF (letter + answer sheet).", Required = true };
        var font = FontOption();
        var command = new Command("request", "Visit 1: record the proxy's request and write the 照会書 PDF addressed to the applicant's registered address. Exit 1 on a refusal.");
        common.AddTo(command);
        foreach (var o in new Option[] { resident, proxyName, document, idChecked, application, attorney, output, font })
        {
            command.Options.Add(o);
        }

        command.SetAction((parse, ct) => common.RunAsync(context, parse, async (runtime, json) =>
        {
            var pdfOptions = new InquiryLetterPdfOptions { FontPath = parse.GetValue(font)?.FullName ?? InquiryLetterPdfOptions.DefaultFontPath };
            if (!File.Exists(pdfOptions.FontPath))
            {
                // Checked before the request is recorded, so a missing font does not leave an inquiry without a letter.
                return CommandResult.BadInput(context, json, $"The font {pdfOptions.FontPath} is missing: install the Debian package fonts-ipaexfont-mincho or give --font.");
            }

            var outcome = await runtime.Proxy.RecordRequestAsync(
                common.StaffOf(parse),
                new ProxyRequest(parse.GetValue(resident)!, parse.GetValue(proxyName)!, parse.GetValue(document)!, parse.GetValue(idChecked), parse.GetValue(application), parse.GetValue(attorney)),
                ct).ConfigureAwait(false);
            if (!outcome.IsAllowed)
            {
                return CounterCommand.Refused(context, json, outcome);
            }

            var inquiry = outcome.Value!;
            var path = parse.GetValue(output)!.FullName;
            PrivateFiles.WriteAllBytes(path, InquiryLetterPdf.Render(InquiryLetter.From(inquiry), pdfOptions)); // personal data: owner-only
            return CommandResult.Write(
                context, json,
                new { reference = inquiry.Reference, resident = inquiry.ResidentId, answerDeadline = CounterCommand.Date(inquiry.AnswerDeadline), letter = path },
                w => w.WriteLine($"Inquiry {inquiry.Reference}: letter written to {path}; answer by {CounterCommand.Date(inquiry.AnswerDeadline)}."));
        }, ct));
        return command;
    }

    private static Command Letter(CliContext context)
    {
        var common = new CounterCommand.Common();
        var reference = new Option<string>("--reference") { Description = "The inquiry's reference number.", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "Where to write the PDF.", Required = true };
        var font = FontOption();
        var command = new Command("letter", "Write the 照会書 PDF of an existing inquiry again. Exit 1 when the reference is unknown.");
        common.AddTo(command);
        foreach (var o in new Option[] { reference, output, font })
        {
            command.Options.Add(o);
        }

        command.SetAction((parse, ct) => common.RunAsync(context, parse, async (runtime, json) =>
        {
            if (InquiryReference.Normalise(parse.GetValue(reference)) is not { } normalized)
            {
                return CounterCommand.Refused(context, json, "proxy-reference-invalid", "The reference number is mistyped (check digit).");
            }

            var inquiry = await runtime.Store.FindInquiryAsync(normalized, ct).ConfigureAwait(false);
            if (inquiry is null)
            {
                return CounterCommand.Refused(context, json, "proxy-reference-unknown", "No inquiry with that reference.");
            }

            var path = parse.GetValue(output)!.FullName;
            var pdfOptions = new InquiryLetterPdfOptions { FontPath = parse.GetValue(font)?.FullName ?? InquiryLetterPdfOptions.DefaultFontPath };
            PrivateFiles.WriteAllBytes(path, InquiryLetterPdf.Render(InquiryLetter.From(inquiry), pdfOptions)); // personal data: owner-only
            return CommandResult.Write(context, json, new { reference = inquiry.Reference, letter = path, status = inquiry.Status.ToString() }, w => w.WriteLine($"Letter written to {path}."));
        }, ct));
        return command;
    }

    private static Command Complete(CliContext context)
    {
        var common = new CounterCommand.Common();
        var cards = new CounterCardOptions();
        var secrets = new CounterSecrets();
        secrets.Add("card-pin", "card PIN (entered by the proxy)");
        secrets.Add("sign-password", "new signature password (from the sealed sheet)");
        secrets.Add("auth-pin", "new authentication PIN (from the sealed sheet)");
        var reference = new Option<string>("--reference") { Description = "The reference number on the answer sheet.", Required = true };
        var idChecked = new Option<bool>("--identity-checked") { Description = "The clerk checked the proxy's photo ID again." };
        var sealBroken = new Option<bool>("--seal-broken") { Description = "The concealing seal was not intact: the inquiry is closed as refused." };
        var only = new Option<string>("--only") { Description = "Only one certificate: sign or auth (default both)." };
        only.AcceptOnlyFromAmong("sign", "auth");
        var command = new Command(
            "complete",
            "Visit 2: check the answer and issue through the card. PINs from --*-env or standard input, one per line: card PIN, new signature password, new " +
            "authentication PIN. Exit 0 issued, 1 refused (proxy-same-day, proxy-answer-late, proxy-seal-broken, …).");
        common.AddTo(command);
        cards.AddTo(command);
        secrets.AddTo(command);
        foreach (var o in new Option[] { reference, idChecked, sealBroken, only })
        {
            command.Options.Add(o);
        }

        command.SetAction(async (parse, ct) =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            if (cards.Validate(parse) is { } cardError)
            {
                return CommandResult.BadInput(context, json, cardError);
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
                    var visit = new ProxyVisit(
                        parse.GetValue(reference)!, parse.GetValue(idChecked), !parse.GetValue(sealBroken), pins["card-pin"],
                        pins.GetValueOrDefault("sign-password"), pins.GetValueOrDefault("auth-pin"), includeSign, includeAuth);
                    var outcome = await runtime.Proxy.CompleteAsync(common.StaffOf(parse), card, visit, ct).ConfigureAwait(false);
                    return outcome.IsAllowed ? CounterIssueCommand.WriteReceipt(context, json, outcome.Value!) : CounterCommand.Refused(context, json, outcome);
                }, ct).ConfigureAwait(false);
            }
            finally
            {
                CounterSecrets.Dispose(pins);
            }
        });
        return command;
    }
}
