using System.Globalization;

namespace Jpki.Card.Issuer.Surface;

/// <summary>
/// A bitmap font in GNU Unifont's <c>.hex</c> format (one line per code point: <c>XXXX:</c> then 32 hex digits for an
/// 8×16 glyph or 64 for a 16×16 one). The card face's printed items are small 1-bit images, which a 16-pixel bitmap font
/// renders faithfully, kanji included. Debian's <c>unifont</c> package ships <c>/usr/share/unifont/unifont_jp.hex</c>
/// (Japanese glyph variants) and <c>unifont.hex</c>.
/// </summary>
public sealed class BitmapFont
{
    /// <summary>Glyph height in pixels.</summary>
    public const int Height = 16;

    private static readonly string[] SystemPaths = ["/usr/share/unifont/unifont_jp.hex", "/usr/share/unifont/unifont.hex"];

    private readonly Dictionary<int, string> _glyphs;

    private BitmapFont(Dictionary<int, string> glyphs) => _glyphs = glyphs;

    /// <summary>Loads a <c>.hex</c> font file.</summary>
    /// <exception cref="FormatException">A line that is not <c>code:hex</c> with 32 or 64 hex digits.</exception>
    public static BitmapFont Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var glyphs = new Dictionary<int, string>();
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0)
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 4 || !int.TryParse(line.AsSpan(0, colon), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code)
                || (line.Length - colon - 1) is not (32 or 64))
            {
                throw new FormatException($"{path}: not a .hex font line: '{line[..Math.Min(line.Length, 20)]}'.");
            }

            glyphs[code] = line[(colon + 1)..];
        }

        return new BitmapFont(glyphs);
    }

    /// <summary>The system's Unifont (Debian package <c>unifont</c>), or null when it is not installed.</summary>
    public static BitmapFont? LoadSystem() => SystemPaths.FirstOrDefault(File.Exists) is { } path ? Load(path) : null;

    /// <summary>Where <see cref="LoadSystem"/> looks, for error messages.</summary>
    public static string SystemFontHint => $"{SystemPaths[0]} (Debian package unifont)";

    /// <summary>
    /// Renders <paramref name="text"/> on one line, 16 pixels high, with <paramref name="margin"/> white pixels around it.
    /// </summary>
    /// <returns>Width, height and the ink mask (row-major, true = black).</returns>
    /// <exception cref="ArgumentException">A character the font has no glyph for.</exception>
    public (int Width, int Height, bool[] Ink) Render(string text, int margin = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        var glyphs = new List<string>();
        foreach (var rune in text.EnumerateRunes())
        {
            if (!_glyphs.TryGetValue(rune.Value, out var hex))
            {
                throw new ArgumentException($"The font has no glyph for U+{rune.Value:X4}.", nameof(text));
            }

            glyphs.Add(hex);
        }

        var width = glyphs.Sum(g => g.Length / 4) + (2 * margin);
        var height = Height + (2 * margin);
        var ink = new bool[width * height];
        var x0 = margin;
        foreach (var hex in glyphs)
        {
            var glyphWidth = hex.Length / 4; // 32 digits → 8 px, 64 → 16 px
            var digitsPerRow = glyphWidth / 4;
            for (var row = 0; row < Height; row++)
            {
                var bits = int.Parse(hex.AsSpan(row * digitsPerRow, digitsPerRow), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
                for (var column = 0; column < glyphWidth; column++)
                {
                    if ((bits & (1 << (glyphWidth - 1 - column))) != 0)
                    {
                        ink[((row + margin) * width) + x0 + column] = true;
                    }
                }
            }

            x0 += glyphWidth;
        }

        return (width, height, ink);
    }

    /// <summary>Renders <paramref name="text"/> as a 1-bit PNG (<see cref="Render"/>).</summary>
    public byte[] RenderPng(string text)
    {
        var (width, height, ink) = Render(text);
        return PngImage.EncodeBilevel(width, height, ink);
    }
}
