using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Jpki.Card.Tests.Interop;

namespace Jpki.Card.Tests.Surface;

/// <summary>
/// An outside BER parser judges the 券面 APs' files: <c>openssl asn1parse</c> must walk each one to its end, and the offsets
/// it reports for the card face's and the basic 4 info's fields must be the ones their <c>DF 21</c> offset tables declare.
/// </summary>
public sealed partial class OpensslAsn1ParseTests
{
    private const string SelectVisual = "00A4040C0AD3921000310001010402";

    [Fact]
    public void TextAndVisualFiles_ParseToTheEnd_AndOffsetTablesAgreeWithOpenssl()
    {
        using var card = TestCard.Create();
        card.Sw(Apdus.SelectText);
        card.Sw("00A4020C020011");
        Assert.Equal(0x9000, card.Sw("002000800435363738"));
        var files = new Dictionary<string, byte[]>
        {
            ["text-0002"] = SurfaceReader.ReadEf(card, "0002"),
            ["text-0003"] = SurfaceReader.ReadEf(card, "0003"),
            ["text-0004"] = SurfaceReader.ReadEf(card, "0004"),
            ["text-0005"] = Trimmed(SurfaceReader.ReadEf(card, "0005")),
            ["text-0007"] = SurfaceReader.ReadEf(card, "0007"),
        };
        card.Sw(SelectVisual);
        card.Sw("00A4020C020013");
        Assert.Equal(0x9000, card.Sw("002000800C" + Convert.ToHexString(Encoding.ASCII.GetBytes(TestCard.MyNumber))));
        files["visual-0002"] = SurfaceReader.ReadEf(card, "0002");
        files["visual-0003"] = SurfaceReader.ReadEf(card, "0003");
        files["visual-0005"] = SurfaceReader.ReadEf(card, "0005");

        var directory = Directory.CreateTempSubdirectory("jpki-asn1parse-").FullName;
        try
        {
            foreach (var (name, content) in files)
            {
                var path = Path.Combine(directory, name + ".ber");
                File.WriteAllBytes(path, content);
                var (code, stdout, stderr) = ExternalTool.Run("/usr/bin/openssl", ["asn1parse", "-inform", "DER", "-in", path]);
                Assert.True(code == 0 && !stdout.Contains("error", StringComparison.OrdinalIgnoreCase), $"{name}: {stdout}{stderr}");
                var items = Items(stdout);
                var (offset, _, header, length) = items[0];
                Assert.Equal(content.Length, offset + header + length); // the outer object is the whole file

                if (name.EndsWith("0002", StringComparison.Ordinal) && name != "text-0004")
                {
                    // depth-1 objects after the table start where DF 21 says
                    var children = items.Where(i => i.Depth == 1).ToList();
                    var table = content.AsSpan(children[0].Offset + children[0].Header, children[0].Length).ToArray();
                    Assert.Equal(table.Length / 2, children.Count - 1);
                    for (var i = 1; i < children.Count; i++)
                    {
                        Assert.Equal(children[i].Offset, (table[2 * (i - 1)] << 8) | table[(2 * (i - 1)) + 1]);
                    }
                }
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static byte[] Trimmed(byte[] ef)
    {
        Assert.True(Jpki.Card.Applications.Tlv.TryRead(ef, out _, out _, out var total));
        return ef[..total];
    }

    private static List<(int Offset, int Depth, int Header, int Length)> Items(string asn1parse) =>
        [.. AsnLine().Matches(asn1parse).Select(m => (
            int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
            int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture)))
            .Select(t => (t.Item1, t.Item2, t.Item3, t.Item4))];

    [GeneratedRegex(@"^\s*(\d+):d=(\d+)\s+hl=(\d+)\s+l=\s*(\d+)", RegexOptions.Multiline)]
    private static partial Regex AsnLine();
}
