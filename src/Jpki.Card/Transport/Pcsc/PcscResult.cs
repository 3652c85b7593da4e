namespace Jpki.Card.Transport.Pcsc;

/// <summary>
/// A PC/SC result code read the same way on every platform. The raw values are mostly shared (<c>0x801000xx</c>), but
/// not entirely: pcsc-lite and macOS define SCARD_E_UNSUPPORTED_FEATURE as <c>0x8010001F</c>, which is
/// SCARD_E_UNEXPECTED on Windows (whose UNSUPPORTED_FEATURE is <c>0x80100022</c>), and macOS's PCSC.framework keeps
/// pcsc-lite 1.x's SCARD_W_INSERTED_CARD at <c>0x8010006A</c>, SCARD_W_SECURITY_VIOLATION elsewhere. Windows' LONG is
/// 32-bit, pcsc-lite's 64-bit on 64-bit Linux (the value is not sign-extended), macOS's 32-bit.
/// </summary>
internal enum PcscResult
{
    Success,
    Cancelled,
    InvalidHandle,
    InvalidParameter,
    InvalidValue,
    NoMemory,
    InsufficientBuffer,
    UnknownReader,
    Timeout,
    SharingViolation,
    NoSmartcard,
    UnknownCard,
    ProtocolMismatch,
    NotReady,
    SystemCancelled,
    CommunicationError,
    NotTransacted,
    ReaderUnavailable,
    NoService,
    ServiceStopped,
    Unexpected,
    UnsupportedFeature,
    NoReadersAvailable,
    UnsupportedCard,
    UnresponsiveCard,
    UnpoweredCard,
    ResetCard,
    RemovedCard,
    InsertedCard,
    SecurityViolation,
    Other,
}
