using System.Globalization;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Jpki.Municipality.Proxy;

/// <summary>
/// Renders an <see cref="InquiryLetter"/> (照会書 with its 回答書) as an A4 PDF: the letter addressed to the applicant at
/// the registered address, the reference number, the answer deadline, the question of intent (本人の意思確認), the PIN
/// boxes to be covered with a concealing seal (目隠しシール), and the sending office. Japanese text in an embedded
/// subset of the configured font (IPAex Mincho by default). The layout is ours: no public format exists (§10).
/// </summary>
public static class InquiryLetterPdf
{
    private const double Margin = 56;
    private static readonly XPdfFontOptions Unicode = new(PdfFontEncoding.Unicode, PdfFontEmbedding.TryComputeSubset);

    /// <summary>The PDF bytes of <paramref name="letter"/>.</summary>
    /// <exception cref="InquiryLetterFontException">The font is missing (names the Debian package to install).</exception>
    public static byte[] Render(InquiryLetter letter, InquiryLetterPdfOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(letter);
        options ??= new InquiryLetterPdfOptions();
        var family = InquiryLetterFontResolver.Register(options.FontPath);

        using var document = new PdfDocument();
        document.Info.Title = "電子証明書の発行に係る照会書 " + letter.Reference;
        document.Info.Subject = "照会番号 " + letter.Reference;
        document.Info.Author = options.Office;
        document.Info.Creator = "OpenJpki";

        var page = document.AddPage();
        page.Size = PdfSharp.PageSize.A4;
        using (var gfx = XGraphics.FromPdfPage(page))
        {
            var pen = new Pen(gfx, family, page.Width.Point);
            DrawLetter(pen, letter, options);
        }

        var answerPage = document.AddPage();
        answerPage.Size = PdfSharp.PageSize.A4;
        using (var gfx = XGraphics.FromPdfPage(answerPage))
        {
            var pen = new Pen(gfx, family, answerPage.Width.Point);
            DrawAnswerSheet(pen, letter, options);
        }

        using var output = new MemoryStream();
        document.Save(output, false);
        return output.ToArray();
    }

    private static void DrawLetter(Pen pen, InquiryLetter letter, InquiryLetterPdfOptions options)
    {
        pen.Right($"照会番号　{letter.Reference}", 10);
        pen.Right($"発行日　{Date(letter.RequestedOn)}", 10);
        pen.Skip(18);
        pen.Line(letter.AddresseeAddress, 11);
        pen.Line($"{letter.AddresseeName}　様", 14);
        pen.Skip(10);
        pen.Right(options.Office, 11);
        pen.Skip(24);
        pen.Centre("電子証明書の発行に係る照会書", 18);
        pen.Skip(16);
        foreach (var line in letter.Instructions)
        {
            pen.Wrapped(line, 11);
            pen.Skip(4);
        }

        pen.Skip(10);
        pen.Line("【本人の意思確認】", 12);
        pen.Wrapped($"あなたは、{letter.ProxyName} 様に、あなたの電子証明書（署名用・利用者証明用）の発行申請を依頼しましたか。", 11);
        pen.Line("同封の回答書の「はい」「いいえ」のいずれかに○を付けてください。", 11);
        pen.Skip(10);
        pen.Line($"回答期限　{Date(letter.AnswerDeadline)}（この日までに代理人が回答書を窓口に持参してください）", 11);
        pen.Skip(10);
        pen.Wrapped("暗証番号は回答書の所定欄に記入し、必ず目隠しシールで覆ってください。シールがはがされた回答書は受け付けません。", 10);
        pen.Footer(options);
    }

    private static void DrawAnswerSheet(Pen pen, InquiryLetter letter, InquiryLetterPdfOptions options)
    {
        pen.Centre("回　答　書", 18);
        pen.Skip(10);
        pen.Line($"照会番号　{letter.Reference}", 12);
        pen.Line($"申請者　{letter.AddresseeName}　様　　（{letter.AddresseeAddress}）", 10);
        pen.Line($"代理人　{letter.ProxyName}　様", 10);
        pen.Line($"回答期限　{Date(letter.AnswerDeadline)}", 10);
        pen.Skip(12);
        pen.Line("【本人の意思確認】 上記代理人に電子証明書の発行申請を依頼しましたか。", 11);
        pen.Line("　　はい　・　いいえ　　（いずれかに○）", 12);
        pen.Skip(10);
        pen.Line("回答者署名　＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿", 11);
        pen.Skip(18);
        pen.SealBox(letter.AnswerFields);
        pen.Footer(options);
    }

    private static string Date(DateOnly date) => date.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);

    /// <summary>A cursor down the page.</summary>
    private sealed class Pen(XGraphics gfx, string family, double pageWidth)
    {
        private double _y = Margin;

        private double Width => pageWidth - (2 * Margin);

        public void Skip(double points) => _y += points;

        public void Line(string text, double size)
        {
            var font = Font(size);
            gfx.DrawString(text, font, XBrushes.Black, Margin, _y + size);
            _y += size * 1.6;
        }

        public void Right(string text, double size)
        {
            var font = Font(size);
            var width = gfx.MeasureString(text, font).Width;
            gfx.DrawString(text, font, XBrushes.Black, pageWidth - Margin - width, _y + size);
            _y += size * 1.6;
        }

        public void Centre(string text, double size)
        {
            var font = Font(size);
            var width = gfx.MeasureString(text, font).Width;
            gfx.DrawString(text, font, XBrushes.Black, (pageWidth - width) / 2, _y + size);
            _y += size * 1.6;
        }

        /// <summary>Wraps by character (Japanese has no spaces to break at).</summary>
        public void Wrapped(string text, double size)
        {
            var font = Font(size);
            var start = 0;
            while (start < text.Length)
            {
                var end = start + 1;
                while (end < text.Length && gfx.MeasureString(text[start..(end + 1)], font).Width <= Width)
                {
                    end++;
                }

                Line(text[start..end], size);
                start = end;
            }
        }

        public void SealBox(IReadOnlyList<string> fields)
        {
            const double row = 44;
            var height = 28 + (row * fields.Count) + 10;
            var box = new XRect(Margin, _y, Width, height);
            var dashed = new XPen(XColors.Black, 1.2) { DashStyle = XDashStyle.Dash };
            gfx.DrawRectangle(new XSolidBrush(XColor.FromArgb(255, 245, 245, 245)), box);
            gfx.DrawRectangle(dashed, box);
            var label = Font(10);
            gfx.DrawString("暗証番号記入欄 ― 記入後、この枠全体を目隠しシール（隠蔽シール）で覆ってください", label, XBrushes.Black, Margin + 8, _y + 18);
            var y = _y + 28;
            foreach (var field in fields)
            {
                gfx.DrawString(field, label, XBrushes.Black, Margin + 8, y + 14);
                gfx.DrawRectangle(new XPen(XColors.Black, 0.8), new XRect(Margin + 8, y + 20, Width - 16, 20));
                y += row;
            }

            _y += height + 12;
        }

        public void Footer(InquiryLetterPdfOptions options)
        {
            var font = Font(9);
            var bottom = gfx.PageSize.Height - Margin;
            gfx.DrawLine(new XPen(XColors.Gray, 0.5), Margin, bottom - 30, pageWidth - Margin, bottom - 30);
            gfx.DrawString(options.Office, font, XBrushes.Black, Margin, bottom - 16);
            gfx.DrawString(options.OfficeContact, font, XBrushes.Black, Margin, bottom - 4);
        }

        private XFont Font(double size) => new(family, size, XFontStyleEx.Regular, Unicode);
    }
}
