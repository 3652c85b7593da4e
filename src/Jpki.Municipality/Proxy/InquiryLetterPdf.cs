using System.Globalization;
using System.Text;
using PdfSharp.Drawing;
using PdfSharp.Events;
using PdfSharp.Pdf;

namespace Jpki.Municipality.Proxy;

/// <summary>
/// Renders an <see cref="InquiryLetter"/> (照会書 with its 回答書) as an A4 PDF: the letter addressed to the applicant at
/// the registered address, the reference number, the answer deadline, the question of intent (本人の意思確認), the PIN
/// boxes to be covered with a concealing seal (目隠しシール), and the sending office. Japanese text in an embedded
/// subset of the configured font (IPAex Mincho by default); a character that font lacks — the register's 𠮷 of 𠮷田 —
/// is drawn with the register font (IPAmj Mincho, the 文字情報基盤 font made for residents' registers), and a character
/// neither has stops the rendering (<see cref="InquiryLetterFontException"/>) instead of printing □. The layout is ours:
/// no public format exists (§10).
/// </summary>
public static partial class InquiryLetterPdf
{
    private const double Margin = 56;
    private static readonly XPdfFontOptions Unicode = new(PdfFontEncoding.Unicode, PdfFontEmbedding.TryComputeSubset);

    /// <summary>The PDF bytes of <paramref name="letter"/>.</summary>
    /// <exception cref="InquiryLetterFontException">The font is missing (names the Debian package to install).</exception>
    public static byte[] Render(InquiryLetter letter, InquiryLetterPdfOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(letter);
        options ??= new InquiryLetterPdfOptions();
        var fonts = new LetterFonts(InquiryLetterFontResolver.Register(options.FontPath), options.FontPath,
            options.RegisterFontPath is { } register ? InquiryLetterFontResolver.Register(register) : null, options.RegisterFontPath);

        using var document = new PdfDocument();
        document.Info.Title = "電子証明書の発行に係る照会書 " + letter.Reference;
        document.Info.Subject = "照会番号 " + letter.Reference;
        document.Info.Author = options.Office;
        document.Info.Creator = "OpenJpki";

        var page = document.AddPage();
        page.Size = PdfSharp.PageSize.A4;
        using (var gfx = XGraphics.FromPdfPage(page))
        {
            var pen = new Pen(gfx, fonts, page.Width.Point);
            DrawLetter(pen, letter, options);
        }

        var answerPage = document.AddPage();
        answerPage.Size = PdfSharp.PageSize.A4;
        using (var gfx = XGraphics.FromPdfPage(answerPage))
        {
            var pen = new Pen(gfx, fonts, answerPage.Width.Point);
            DrawAnswerSheet(pen, letter, options);
        }

        using var output = new MemoryStream();
        document.Save(output, false);
        return FixSupplementaryToUnicode(output.ToArray());
    }

    /// <summary>
    /// PDFsharp 6.2 writes a character beyond U+FFFF into the fonts' ToUnicode maps as five or six hex digits
    /// (<c>&lt;20BB7&gt;</c>), which readers take as U+20BB: the glyph prints right but copying or searching the letter
    /// gives ₻田 for 𠮷田. The map must hold the UTF-16BE code units (<c>&lt;D842DFB7&gt;</c>, PDF 32000-1 §9.10.3);
    /// this rewrites those entries (checked with poppler's pdftotext).
    /// </summary>
    private static byte[] FixSupplementaryToUnicode(byte[] pdf)
    {
        using var document = PdfSharp.Pdf.IO.PdfReader.Open(new MemoryStream(pdf), PdfSharp.Pdf.IO.PdfDocumentOpenMode.Modify);
        var changed = false;
        foreach (var font in document.Internals.GetAllObjects().OfType<PdfDictionary>())
        {
            if (font.Elements.GetReference("/ToUnicode")?.Value is not PdfDictionary { Stream: { } stream } map)
            {
                continue;
            }

            var text = Encoding.ASCII.GetString(stream.UnfilteredValue);
            var repaired = SupplementaryHex().Replace(text, m =>
            {
                var codePoint = int.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                return Rune.IsValid(codePoint) && codePoint > 0xFFFF
                    ? "<" + Convert.ToHexString(Encoding.BigEndianUnicode.GetBytes(char.ConvertFromUtf32(codePoint))) + ">"
                    : m.Value;
            });
            if (!string.Equals(repaired, text, StringComparison.Ordinal))
            {
                map.Elements.Remove("/Filter");
                map.Elements.Remove("/DecodeParms");
                stream.Value = Encoding.ASCII.GetBytes(repaired);
                changed = true;
            }
        }

        if (!changed)
        {
            return pdf;
        }

        using var output = new MemoryStream();
        document.Save(output, false);
        return output.ToArray();
    }

    [System.Text.RegularExpressions.GeneratedRegex("<([0-9A-Fa-f]{5,6})>")]
    private static partial System.Text.RegularExpressions.Regex SupplementaryHex();

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

    /// <summary>
    /// The letter's two fonts and which of them has a glyph for a character (PDFsharp maps a missing glyph to 0, which
    /// prints as □; its render event shows the glyph index before anything is drawn).
    /// </summary>
    private sealed class LetterFonts(string main, string mainPath, string? register, string? registerPath)
    {
        private readonly Dictionary<(string Family, int CodePoint), bool> _covered = [];

        /// <summary>The family to draw <paramref name="rune"/> with.</summary>
        /// <exception cref="InquiryLetterFontException">Neither font has it.</exception>
        public string For(Rune rune)
        {
            if (rune.Value < 0x80 || Has(main, rune))
            {
                return main;
            }

            if (register is not null && Has(register, rune))
            {
                return register;
            }

            throw new InquiryLetterFontException(string.Create(CultureInfo.InvariantCulture,
                $"Neither {mainPath} nor {registerPath ?? "a register font"} has the character U+{rune.Value:X4}; the letter would print it as a box. Install fonts-ipamj-mincho (IPAmj明朝) or configure a register font that covers it."));
        }

        private bool Has(string family, Rune rune)
        {
            if (_covered.TryGetValue((family, rune.Value), out var known))
            {
                return known;
            }

            var found = true;
            var events = new RenderEvents();
            events.RenderTextEvent += (_, e) =>
            {
                foreach (var pair in e.CodePointGlyphIndexPairs)
                {
                    found &= pair.GlyphIndex != 0;
                }
            };
            using (var measure = XGraphics.CreateMeasureContext(new XSize(100, 100), XGraphicsUnit.Point, XPageDirection.Downwards, events))
            {
                measure.MeasureString(rune.ToString(), new XFont(family, 10, XFontStyleEx.Regular, Unicode));
            }

            _covered[(family, rune.Value)] = found;
            return found;
        }
    }

    /// <summary>A cursor down the page.</summary>
    private sealed class Pen(XGraphics gfx, LetterFonts fonts, double pageWidth)
    {
        private double _y = Margin;

        private double Width => pageWidth - (2 * Margin);

        public void Skip(double points) => _y += points;

        public void Line(string text, double size)
        {
            Draw(text, size, Margin, _y + size);
            _y += size * 1.6;
        }

        public void Right(string text, double size)
        {
            Draw(text, size, pageWidth - Margin - Measure(text, size), _y + size);
            _y += size * 1.6;
        }

        public void Centre(string text, double size)
        {
            Draw(text, size, (pageWidth - Measure(text, size)) / 2, _y + size);
            _y += size * 1.6;
        }

        /// <summary>Wraps by character (Japanese has no spaces to break at), never inside a surrogate pair.</summary>
        public void Wrapped(string text, double size)
        {
            var runes = text.EnumerateRunes().Select(r => r.ToString()).ToList();
            var start = 0;
            while (start < runes.Count)
            {
                var end = start + 1;
                while (end < runes.Count && Measure(string.Concat(runes.Skip(start).Take(end + 1 - start)), size) <= Width)
                {
                    end++;
                }

                Line(string.Concat(runes.Skip(start).Take(end - start)), size);
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
            Draw("暗証番号記入欄 ― 記入後、この枠全体を目隠しシール（隠蔽シール）で覆ってください", 10, Margin + 8, _y + 18);
            var y = _y + 28;
            foreach (var field in fields)
            {
                Draw(field, 10, Margin + 8, y + 14);
                gfx.DrawRectangle(new XPen(XColors.Black, 0.8), new XRect(Margin + 8, y + 20, Width - 16, 20));
                y += row;
            }

            _y += height + 12;
        }

        public void Footer(InquiryLetterPdfOptions options)
        {
            var bottom = gfx.PageSize.Height - Margin;
            gfx.DrawLine(new XPen(XColors.Gray, 0.5), Margin, bottom - 30, pageWidth - Margin, bottom - 30);
            Draw(options.Office, 9, Margin, bottom - 16);
            Draw(options.OfficeContact, 9, Margin, bottom - 4);
        }

        /// <summary>Draws <paramref name="text"/> run by run, each run in the font that has its characters.</summary>
        private void Draw(string text, double size, double x, double baseline)
        {
            foreach (var (family, run) in Runs(text))
            {
                var font = Font(family, size);
                gfx.DrawString(run, font, XBrushes.Black, x, baseline);
                x += gfx.MeasureString(run, font).Width;
            }
        }

        private double Measure(string text, double size) => Runs(text).Sum(r => gfx.MeasureString(r.Text, Font(r.Family, size)).Width);

        private IEnumerable<(string Family, string Text)> Runs(string text)
        {
            var run = new StringBuilder();
            string? current = null;
            foreach (var rune in text.EnumerateRunes())
            {
                var family = fonts.For(rune);
                if (current is not null && family != current)
                {
                    yield return (current, run.ToString());
                    run.Clear();
                }

                current = family;
                run.Append(rune.ToString());
            }

            if (current is not null)
            {
                yield return (current, run.ToString());
            }
        }

        private static XFont Font(string family, double size) => new(family, size, XFontStyleEx.Regular, Unicode);
    }
}
