using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using PdfSharp.Fonts;

namespace Jpki.Municipality.Proxy;

/// <summary>
/// PDFsharp's font resolver for the letter: each font file gets its own face name (<c>ojpki-</c> + hash of the path),
/// so several paths can be used in one process. PDFsharp's resolver is global; this one is installed once.
/// </summary>
internal sealed class InquiryLetterFontResolver : IFontResolver
{
    private static readonly Lock Gate = new();
    private static InquiryLetterFontResolver? _installed;
    private readonly ConcurrentDictionary<string, byte[]> _faces = new(StringComparer.Ordinal);

    private InquiryLetterFontResolver()
    {
    }

    /// <summary>Registers <paramref name="path"/> and returns the family name to use in <c>XFont</c>.</summary>
    /// <exception cref="InquiryLetterFontException">The font file is missing or unreadable.</exception>
    public static string Register(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var resolver = Install();
        var face = "ojpki-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(path)))[..16];
        if (!resolver._faces.ContainsKey(face))
        {
            if (!File.Exists(path))
            {
                var package = path.Contains("ipamj", StringComparison.OrdinalIgnoreCase) ? "fonts-ipamj-mincho" : "fonts-ipaexfont-mincho";
                throw new InquiryLetterFontException(
                    $"The font {path} for the inquiry letter is missing: install the Debian package {package}, or configure another Japanese TrueType font.");
            }

            try
            {
                resolver._faces.TryAdd(face, File.ReadAllBytes(path));
            }
            catch (IOException e)
            {
                throw new InquiryLetterFontException($"The font {path} cannot be read: {e.Message}", e);
            }
            catch (UnauthorizedAccessException e)
            {
                throw new InquiryLetterFontException($"The font {path} cannot be read: {e.Message}", e);
            }
        }

        return face;
    }

    /// <inheritdoc/>
    public FontResolverInfo? ResolveTypeface(string familyName, bool isBold, bool isItalic) =>
        _faces.ContainsKey(familyName) ? new FontResolverInfo(familyName) : null;

    /// <inheritdoc/>
    public byte[]? GetFont(string faceName) => _faces.TryGetValue(faceName, out var bytes) ? bytes : null;

    private static InquiryLetterFontResolver Install()
    {
        lock (Gate)
        {
            if (_installed is not null)
            {
                return _installed;
            }

            if (GlobalFontSettings.FontResolver is not null and not InquiryLetterFontResolver)
            {
                throw new InquiryLetterFontException("Another PDFsharp font resolver is installed in this process; the inquiry letter needs its own.");
            }

            _installed = new InquiryLetterFontResolver();
            GlobalFontSettings.FontResolver = _installed;
            return _installed;
        }
    }
}
