namespace Jpki.Card.Profiles;

/// <summary>An answer-to-reset a card profile can present, with where it comes from.</summary>
/// <param name="Name">Short name used by <c>jpki card new --atr</c> (e.g. <c>jpki-02</c>).</param>
/// <param name="Bytes">The ATR.</param>
/// <param name="Contactless">True when a PC/SC reader builds this ATR for a contactless card (PC/SC part 3).</param>
/// <param name="Source">Where the value comes from and how sure it is (JPKI-REFERENCE §0 tags).</param>
public sealed record CardAtr(string Name, byte[] Bytes, bool Contactless, string Source)
{
    /// <summary>The ATR as upper-case hex with spaces, e.g. <c>3B E0 00 FF 81 31 FE 45 14</c>.</summary>
    public string Hex => Convert.ToHexString(Bytes).Chunk(2).Aggregate("", (s, c) => s.Length == 0 ? new string(c) : s + " " + new string(c));
}
