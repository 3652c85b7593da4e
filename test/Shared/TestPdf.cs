using System.Globalization;
using System.Text;
using Xunit;

namespace Jpki.Testing;

/// <summary>Small PDFs for the PAdES tests: one page of text with a classic xref table, written here byte for byte; qpdf turns them into PDF 1.5 files with an xref stream.</summary>
public static class TestPdf
{
    /// <summary>A one-page PDF 1.4 with <paramref name="text"/> on it and a classic cross-reference table.</summary>
    public static byte[] Classic(string text = "Juminhyo request")
    {
        var content = $"BT /F1 18 Tf 72 720 Td ({text}) Tj ET";
        string[] objects =
        [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
            $"<< /Length {content.Length} >>\nstream\n{content}\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ];
        var pdf = new StringBuilder("%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(Encoding.Latin1.GetByteCount(pdf.ToString()));
            pdf.Append(i + 1).Append(" 0 obj\n").Append(objects[i]).Append("\nendobj\n");
        }

        var xref = Encoding.Latin1.GetByteCount(pdf.ToString());
        pdf.Append("xref\n0 ").Append(objects.Length + 1).Append("\n0000000000 65535 f\r\n");
        foreach (var offset in offsets)
        {
            pdf.Append(offset.ToString("D10", CultureInfo.InvariantCulture)).Append(" 00000 n\r\n");
        }

        pdf.Append("trailer\n<< /Size ").Append(objects.Length + 1).Append(" /Root 1 0 R /ID [<0123456789ABCDEF0123456789ABCDEF> <0123456789ABCDEF0123456789ABCDEF>] >>\nstartxref\n").Append(xref).Append("\n%%EOF\n");
        return Encoding.Latin1.GetBytes(pdf.ToString());
    }

    /// <summary>The same document rewritten by qpdf with object streams and an xref stream (PDF 1.5).</summary>
    public static async Task<byte[]> XrefStreamAsync(string directory, string text = "Juminhyo request")
    {
        var input = Path.Combine(directory, "classic-for-qpdf.pdf");
        var output = Path.Combine(directory, "xref-stream.pdf");
        await File.WriteAllBytesAsync(input, Classic(text));
        var (exit, _, error) = await ExternalTool.RunAsync("qpdf", "qpdf", ["--object-streams=generate", input, output]);
        Assert.True(exit == 0, error);
        var bytes = await File.ReadAllBytesAsync(output);
        Assert.Contains("/XRef", Encoding.Latin1.GetString(bytes), StringComparison.Ordinal);
        return bytes;
    }
}
