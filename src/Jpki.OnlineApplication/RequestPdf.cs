using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Jpki.OnlineApplication;

/// <summary>
/// The request as a PDF for citizens who sign PDFs (<c>jpki sign --format pades</c>): made from the canonical JSON
/// document byte for byte the same every time, with the JSON itself as the embedded file <c>request.json</c> and a page
/// naming its request id and SHA-256. A signed PDF is accepted only when it starts with exactly these bytes and its one
/// signature covers the revision right after them, so what was signed is the same document as the CMS and XML paths sign.
/// </summary>
internal static class RequestPdf
{
    public static byte[] Create(ReadOnlySpan<byte> document, string requestId)
    {
        var sha256 = Convert.ToHexString(SHA256.HashData(document));
        var content = $"BT /F1 14 Tf 56 780 Td (OpenJpki e-application request) Tj 0 -24 Td /F1 10 Tf (Request id: {requestId}) Tj 0 -16 Td (request.json SHA-256: {sha256}) Tj 0 -16 Td (The request itself is the attached file request.json.) Tj ET";
        var json = Encoding.Latin1.GetString(document);
        string[] objects =
        [
            "<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(request.json) 6 0 R] >> >> >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
            $"<< /Length {content.Length} >>\nstream\n{content}\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            "<< /Type /Filespec /F (request.json) /UF (request.json) /AFRelationship /Source /EF << /F 7 0 R >> >>",
            $"<< /Type /EmbeddedFile /Subtype /application#2Fjson /Length {document.Length} >>\nstream\n{json}\nendstream",
        ];
        var pdf = new StringBuilder("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(pdf.Length);
            pdf.Append(i + 1).Append(" 0 obj\n").Append(objects[i]).Append("\nendobj\n");
        }

        var xref = pdf.Length;
        pdf.Append("xref\n0 ").Append(objects.Length + 1).Append("\n0000000000 65535 f\r\n");
        foreach (var offset in offsets)
        {
            pdf.Append(offset.ToString("D10", CultureInfo.InvariantCulture)).Append(" 00000 n\r\n");
        }

        var id = sha256[..32];
        pdf.Append("trailer\n<< /Size ").Append(objects.Length + 1).Append(" /Root 1 0 R /ID [<").Append(id).Append("> <").Append(id).Append(">] >>\nstartxref\n")
            .Append(xref).Append("\n%%EOF\n");
        return Encoding.Latin1.GetBytes(pdf.ToString());
    }
}
