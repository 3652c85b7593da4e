using System.Globalization;

namespace Jpki.Card.Transport.Pcsc;

/// <summary>Raw PC/SC result codes per platform, and sentences for people (pcsclite.h, winscard.h/scarderr.h, Apple's pcsclite.h).</summary>
internal static class PcscCodes
{
    public const uint Success = 0;
    public const uint Cancelled = 0x80100002;
    public const uint InvalidHandle = 0x80100003;
    public const uint InvalidParameter = 0x80100004;
    public const uint NoMemory = 0x80100006;
    public const uint InsufficientBuffer = 0x80100008;
    public const uint UnknownReader = 0x80100009;
    public const uint Timeout = 0x8010000A;
    public const uint SharingViolation = 0x8010000B;
    public const uint NoSmartcard = 0x8010000C;
    public const uint UnknownCard = 0x8010000D;
    public const uint ProtocolMismatch = 0x8010000F;
    public const uint NotReady = 0x80100010;
    public const uint InvalidValue = 0x80100011;
    public const uint SystemCancelled = 0x80100012;
    public const uint CommunicationError = 0x80100013;
    public const uint NotTransacted = 0x80100016;
    public const uint ReaderUnavailable = 0x80100017;
    public const uint NoService = 0x8010001D;
    public const uint ServiceStopped = 0x8010001E;
    public const uint Unexpected = 0x8010001F; // also SCARD_E_UNSUPPORTED_FEATURE in pcsc-lite and on macOS
    public const uint WindowsUnsupportedFeature = 0x80100022;
    public const uint NoReadersAvailable = 0x8010002E;
    public const uint UnsupportedCard = 0x80100065;
    public const uint UnresponsiveCard = 0x80100066;
    public const uint UnpoweredCard = 0x80100067;
    public const uint ResetCard = 0x80100068;
    public const uint RemovedCard = 0x80100069;
    public const uint SecurityViolationOrInserted = 0x8010006A; // Windows/pcsc-lite: SECURITY_VIOLATION; macOS: INSERTED_CARD

    /// <summary>What <paramref name="code"/> means on <paramref name="platform"/>.</summary>
    public static PcscResult Interpret(PcscPlatform platform, uint code) => code switch
    {
        Success => PcscResult.Success,
        Cancelled => PcscResult.Cancelled,
        InvalidHandle => PcscResult.InvalidHandle,
        InvalidParameter => PcscResult.InvalidParameter,
        NoMemory => PcscResult.NoMemory,
        InsufficientBuffer => PcscResult.InsufficientBuffer,
        UnknownReader => PcscResult.UnknownReader,
        Timeout => PcscResult.Timeout,
        SharingViolation => PcscResult.SharingViolation,
        NoSmartcard => PcscResult.NoSmartcard,
        UnknownCard => PcscResult.UnknownCard,
        ProtocolMismatch => PcscResult.ProtocolMismatch,
        NotReady => PcscResult.NotReady,
        InvalidValue => PcscResult.InvalidValue,
        SystemCancelled => PcscResult.SystemCancelled,
        CommunicationError => PcscResult.CommunicationError,
        NotTransacted => PcscResult.NotTransacted,
        ReaderUnavailable => PcscResult.ReaderUnavailable,
        NoService => PcscResult.NoService,
        ServiceStopped => PcscResult.ServiceStopped,
        Unexpected => platform == PcscPlatform.WinScard ? PcscResult.Unexpected : PcscResult.UnsupportedFeature,
        WindowsUnsupportedFeature when platform == PcscPlatform.WinScard => PcscResult.UnsupportedFeature,
        NoReadersAvailable => PcscResult.NoReadersAvailable,
        UnsupportedCard => PcscResult.UnsupportedCard,
        UnresponsiveCard => PcscResult.UnresponsiveCard,
        UnpoweredCard => PcscResult.UnpoweredCard,
        ResetCard => PcscResult.ResetCard,
        RemovedCard => PcscResult.RemovedCard,
        SecurityViolationOrInserted => platform == PcscPlatform.MacOS ? PcscResult.InsertedCard : PcscResult.SecurityViolation,
        _ => PcscResult.Other,
    };

    /// <summary>A sentence fragment for people, with the raw code, e.g. "the card was removed (0x80100069)".</summary>
    public static string Describe(PcscPlatform platform, uint code)
    {
        var text = Interpret(platform, code) switch
        {
            PcscResult.Success => "success",
            PcscResult.Cancelled => "the request was cancelled",
            PcscResult.InvalidHandle => "invalid handle",
            PcscResult.InvalidParameter => "invalid parameter",
            PcscResult.InvalidValue => "invalid value",
            PcscResult.NoMemory => "out of memory",
            PcscResult.InsufficientBuffer => "the buffer is too small",
            PcscResult.UnknownReader => "unknown reader",
            PcscResult.Timeout => "timed out",
            PcscResult.SharingViolation => "another application holds the card exclusively",
            PcscResult.NoSmartcard => "no card in the reader",
            PcscResult.UnknownCard => "unknown card",
            PcscResult.ProtocolMismatch => "the card speaks neither T=0 nor T=1",
            PcscResult.NotReady => "the reader or card is not ready",
            PcscResult.SystemCancelled => "cancelled by the system",
            PcscResult.CommunicationError => "communication error with the reader",
            PcscResult.NotTransacted => "the operation could not be completed (not transacted)",
            PcscResult.ReaderUnavailable => "the reader is not available",
            PcscResult.NoService => platform == PcscPlatform.PcscLite
                ? "pcscd is not running"
                : "the smart card service is not running (it starts when a reader is attached)",
            PcscResult.ServiceStopped => "the smart card service stopped",
            PcscResult.Unexpected => "unexpected error",
            PcscResult.UnsupportedFeature => "unexpected error or unsupported feature",
            PcscResult.NoReadersAvailable => "no readers available",
            PcscResult.UnsupportedCard => "the card is not supported (unreadable ATR)",
            PcscResult.UnresponsiveCard => "the card does not respond",
            PcscResult.UnpoweredCard => "the card is not powered",
            PcscResult.ResetCard => "the card was reset",
            PcscResult.RemovedCard => "the card was removed",
            PcscResult.InsertedCard => "another card was inserted",
            PcscResult.SecurityViolation => "access denied by a security violation",
            _ => "PC/SC error",
        };
        return string.Create(CultureInfo.InvariantCulture, $"{text} (0x{code:X8})");
    }
}
