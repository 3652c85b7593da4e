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

    private static string Compact(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    private static string PdfToText(byte[] pdf)
    {
        if (!File.Exists("/usr/bin/pdftotext"))
        {
            Assert.Fail("pdftotext is missing: install the Debian package poppler-utils.");
        }

        var path = Path.Combine(Path.GetTempPath(), "jpki-letter-" + Guid.NewGuid().ToString("N")[..12] + ".pdf");
        File.WriteAllBytes(path, pdf);
        try
        {
            var start = new ProcessStartInfo("/usr/bin/pdftotext") { ArgumentList = { "-enc", "UTF-8", path, "-" }, RedirectStandardOutput = true, RedirectStandardError = true };
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
