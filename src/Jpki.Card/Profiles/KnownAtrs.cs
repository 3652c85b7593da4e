namespace Jpki.Card.Profiles;

/// <summary>
/// The ATRs of JPKI cards OpenSC registers: <c>src/libopensc/card-jpki.c</c> matches the first; its Windows minidriver
/// installer (<c>win32/customactions.cpp</c>, entries "JPKI" to "JPKI (09)", commit dafcdc091, 2026-07-23) registers
/// five contact ATRs and four that PC/SC part 3 readers build from the contactless card's ATQB.
/// </summary>
internal static class KnownAtrs
{
    private const string OpenSc = "[C OpenSC src/libopensc/card-jpki.c jpki_atrs; win32/customactions.cpp \"JPKI\"]";
    private const string Minidriver = "[R OpenSC win32/customactions.cpp, minidriver ATR table (commit dafcdc091)]";

    public static CardAtr[] Contact { get; } =
    [
        new("jpki", Convert.FromHexString("3BE000FF8131FE4514"), false, OpenSc),
        new("jpki-02", Convert.FromHexString("3BDA13FF8131FB468012392F31C173C601C03B"), false, Minidriver),
        new("jpki-03", Convert.FromHexString("3BC5FF8131FB458073C6010000"), false, Minidriver),
        new("jpki-04", Convert.FromHexString("3BF59100FF918171FE400042000100D1D6"), false, Minidriver),
        new("jpki-05", Convert.FromHexString("3BF59100FF918171FE4000420001B3A115"), false, Minidriver),
    ];

    public static CardAtr[] Contactless { get; } =
    [
        new("jpki-06", Convert.FromHexString("3B888001000005E0B381A1007F"), true, Minidriver),
        new("jpki-07", Convert.FromHexString("3B888001000041E0B381A1003B"), true, Minidriver),
        new("jpki-08", Convert.FromHexString("3B888001004B51FF0081D100BC"), true, Minidriver),
        new("jpki-09", Convert.FromHexString("3B888001004B51FFB381D1000F"), true, Minidriver),
    ];

    /// <summary>
    /// OpenJpki's own ATR for the 住基カード profile: no 住基カード ATR is public. T=0/T=1 with the historical bytes
    /// "JUKI1" so software can tell it apart; a client must detect the card by AID, as for any JPKI card.
    /// </summary>
    public static CardAtr Juki { get; } = new("openjpki-juki", Convert.FromHexString("3B858001" + "4A554B4931" + "28"), false, "ours (no public 住基カード ATR)");

    /// <summary>
    /// The ATR a PC/SC part 3 reader builds for an ISO 14443-4 device with no historical bytes; the smartphone tokens'
    /// real ATR depends on the phone and the reader, so this one is ours.
    /// </summary>
    public static CardAtr Phone { get; } = new("pcsc-part3-empty", Convert.FromHexString("3B80800101"), true, "ours (PC/SC part 3 form, no historical bytes)");

    /// <summary>
    /// OpenJpki's own ATR for the next-generation profile: the new card's ATR is not public. T=1 with the historical bytes
    /// "NEXTGEN"; clients detect the card by AID.
    /// </summary>
    public static CardAtr NextGeneration { get; } =
        new("openjpki-nextgen", Convert.FromHexString("3B878001" + "4E45585447454E" + "4D"), false, "ours (no public next-generation card ATR)");
}
