namespace Jpki.Card.Transport.Pcsc;

/// <summary>PC/SC constants that are the same on every platform OpenJpki binds (pcsclite.h, winscard.h).</summary>
internal static class PcscConstants
{
    public const uint ScopeUser = 0;
    public const uint ScopeSystem = 2;
    public const uint ShareShared = 2;
    public const uint ProtocolT0 = 1;
    public const uint ProtocolT1 = 2;
    public const uint LeaveCard = 0;
    public const uint ResetCard = 1;
    public const uint Infinite = 0xFFFFFFFF;
}
