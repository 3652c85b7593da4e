namespace Jpki.Municipality.Proxy;

/// <summary>How the 照会書 PDF is made: the Japanese font and the office that sends it.</summary>
public sealed record InquiryLetterPdfOptions
{
    /// <summary>The IPAex Mincho font of Debian's <c>fonts-ipaexfont-mincho</c>.</summary>
    public const string DefaultFontPath = "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf";

    /// <summary>A TrueType/OpenType font with the Japanese characters (embedded as a subset). Default IPAex Mincho.</summary>
    public string FontPath { get; init; } = DefaultFontPath;

    /// <summary>The sending office, printed as the letter's sender and on the answer sheet.</summary>
    public string Office { get; init; } = "千代田区役所 市民窓口課";

    /// <summary>The office's address and contact line.</summary>
    public string OfficeContact { get; init; } = "東京都千代田区九段南１－２－１　電話 03-0000-0000（OpenJpki 試験環境）";
}
