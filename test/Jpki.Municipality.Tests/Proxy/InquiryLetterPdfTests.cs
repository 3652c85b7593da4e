using System.Diagnostics;
using Jpki.Municipality.Proxy;
using PdfSharp.Pdf;
using PdfSharp.Pdf.IO;

namespace Jpki.Municipality.Tests.Proxy;

/// <summary>The 照会書 PDF: parseable, embeds the Japanese font, and carries the letter's content.</summary>
public sealed class InquiryLetterPdfTests
{
    private static readonly ProxyInquiry Inquiry = new(
        "1234-5678-9012-3452", "R1", "髙橋　一郎", "東京都千代田区千代田１－１", "代理　花子", "運転免許証",
        CounterHarness.Start, new DateOnly(2026, 6, 10), new DateOnly(2026, 7, 10), "clerk1");

    [Fact]
    public void Render_Letter_ParsesWithTwoPagesAndEmbeddedFont()
    {
        var bytes = InquiryLetterPdf.Render(InquiryLetter.From(Inquiry));

        using var document = PdfReader.Open(new MemoryStream(bytes), PdfDocumentOpenMode.Import);
        Assert.Equal(2, document.PageCount);
        Assert.Contains(Inquiry.Reference, document.Info.Subject, StringComparison.Ordinal);
        var fontFiles = document.Internals.GetAllObjects().OfType<PdfDictionary>()
            .Count(d => d.Elements.ContainsKey("/FontFile2") || d.Elements.ContainsKey("/FontFile3"));
        Assert.True(fontFiles > 0, "no embedded font program");
        Assert.True(bytes.Length < 2_000_000, $"the font should be a subset, the PDF has {bytes.Length} bytes");
    }

    [Fact]
    public void Render_Letter_TextHasReferenceDeadlineQuestionSealAndOffice()
    {
        // pdftotext splits lines at wide gaps (the full-width spaces): compare without whitespace.
        var text = Compact(PdfToText(InquiryLetterPdf.Render(InquiryLetter.From(Inquiry))));

        Assert.Contains("1234-5678-9012-3452", text, StringComparison.Ordinal);
        Assert.Contains(Compact("髙橋　一郎"), text, StringComparison.Ordinal);
        Assert.Contains("東京都千代田区千代田１－１", text, StringComparison.Ordinal);
        Assert.Contains("2026年7月10日", text, StringComparison.Ordinal);
        Assert.Contains("本人の意思確認", text, StringComparison.Ordinal);
        Assert.Contains("目隠しシール", text, StringComparison.Ordinal);
        Assert.Contains(Compact("千代田区役所 市民窓口課"), text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_MissingFont_ErrorNamesTheDebianPackage()
    {
        var error = Assert.Throws<InquiryLetterFontException>(() =>
            InquiryLetterPdf.Render(InquiryLetter.From(Inquiry), new InquiryLetterPdfOptions { FontPath = "/nonexistent/ipaexm.ttf" }));

        Assert.Contains("fonts-ipaexfont-mincho", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_RegisterCharacterTheMainFontLacks_DrawnWithTheRegisterFont()
    {
        // 𠮷 (U+20BB7) is not in IPAex Mincho: it used to print as □. IPAmj Mincho has it.
        var inquiry = Inquiry with { AddresseeName = "\U00020BB7田　\U00029E3D子", ProxyName = "\U00020BB7川　花子" };

        var pdf = InquiryLetterPdf.Render(InquiryLetter.From(inquiry));

        var text = Compact(PdfToText(pdf));
        Assert.Contains("\U00020BB7田\U00029E3D子", text, StringComparison.Ordinal);
        // poppler's pdffonts: both fonts embedded (as subsets), the register font only because 𠮷 needed it.
        var fonts = Run("/usr/bin/pdffonts", pdf);
        Assert.Contains("IPAexMincho", fonts, StringComparison.Ordinal);
        Assert.Contains("IPAmjMincho", fonts, StringComparison.Ordinal);
        Assert.DoesNotContain("IPAmjMincho", Run("/usr/bin/pdffonts", InquiryLetterPdf.Render(InquiryLetter.From(Inquiry))), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_CharacterNoFontHas_RefusedInsteadOfABox()
    {
        var inquiry = Inquiry with { AddresseeName = "\U00020BB7田　太郎" };

        var error = Assert.Throws<InquiryLetterFontException>(() =>
            InquiryLetterPdf.Render(InquiryLetter.From(inquiry), new InquiryLetterPdfOptions { RegisterFontPath = null }));

        Assert.Contains("U+20BB7", error.Message, StringComparison.Ordinal);
        Assert.Contains("fonts-ipamj-mincho", error.Message, StringComparison.Ordinal);
    }

    private static string Compact(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    private static string PdfToText(byte[] pdf) => Run("/usr/bin/pdftotext", pdf, "-enc", "UTF-8");

    private static string Run(string tool, byte[] pdf, params string[] options)
    {
        if (!File.Exists(tool))
        {
            Assert.Fail($"{tool} is missing: install the Debian package poppler-utils.");
        }

        var path = Path.Combine(Path.GetTempPath(), "jpki-letter-" + Guid.NewGuid().ToString("N")[..12] + ".pdf");
        File.WriteAllBytes(path, pdf);
        try
        {
            var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var option in options)
            {
                start.ArgumentList.Add(option);
            }

            start.ArgumentList.Add(path);
            if (tool.EndsWith("pdftotext", StringComparison.Ordinal))
            {
                start.ArgumentList.Add("-");
            }

            using var process = Process.Start(start)!;
            var text = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.Equal(0, process.ExitCode);
            return text;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
