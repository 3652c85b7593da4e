namespace Jpki.Card.Applications;

/// <summary>One application of a card profile: which EFs it has, their access rules, and its keys' roles.</summary>
/// <param name="Application">Which application.</param>
/// <param name="Files">Its EFs.</param>
/// <param name="DefaultSigningKey">The key <c>80 2A 00 00</c> (P2 = 00, "the application's default key") signs with, if any.</param>
/// <param name="InternalAuthenticationKey">The key INTERNAL AUTHENTICATE may name, if any.</param>
/// <param name="ChangeKeyPins">PIN EFs changed with JICSAP CHANGE KEY (<c>80 32 00 80</c>) rather than CHANGE REFERENCE DATA.</param>
/// <param name="Puk">The PIN EF of a PUK with which RESET RETRY COUNTER (<c>00 2C</c>) unblocks the AP's other PINs, if any.</param>
internal sealed record ApplicationLayout(
    CardApplication Application,
    FileEntry[] Files,
    ushort? DefaultSigningKey = null,
    ushort? InternalAuthenticationKey = null,
    bool ChangeKeyPins = false,
    ushort? Puk = null)
{
    public FileEntry? Find(ushort fid) => Array.Find(Files, e => e.Fid == fid);
}
