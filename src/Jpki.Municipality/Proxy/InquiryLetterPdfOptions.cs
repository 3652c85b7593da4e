namespace Jpki.Municipality.Proxy;

/// <summary>How the 照会書 PDF is made: the Japanese font and the office that sends it.</summary>
public sealed record InquiryLetterPdfOptions
{
    /// <summary>The IPAex Mincho font of Debian's <c>fonts-ipaexfont-mincho</c>.</summary>
    public const string DefaultFontPath = "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf";

    /// <summary>IPAmj Mincho of Debian's <c>fonts-ipamj-mincho</c>: the 文字情報基盤 (MJ) font, about 58,000 kanji of residents' registers and family registers, 𠮷 included.</summary>
    public const string DefaultRegisterFontPath = "/usr/share/fonts/truetype/ipamj/ipamjm.ttf";

    /// <summary>A TrueType/OpenType font with the Japanese characters (embedded as a subset). Default IPAex Mincho.</summary>
    public string FontPath { get; init; } = DefaultFontPath;

    /// <summary>
    /// The font for characters <see cref="FontPath"/> lacks (names and addresses of the register: 𠮷, 𩸽, 髙…), embedded
    /// as a subset when used. Default IPAmj Mincho; null for none (a character no font has stops the rendering).
    /// </summary>
    public string? RegisterFontPath { get; init; } = DefaultRegisterFontPath;

    /// <summary>The sending office, printed as the letter's sender and on the answer sheet.</summary>
    public string Office { get; init; } = "千代田区役所 市民窓口課";

    /// <summary>The office's address and contact line.</summary>
    public string OfficeContact { get; init; } = "東京都千代田区九段南１－２－１　電話 03-0000-0000（OpenJpki 試験環境）";
}
