namespace Jpki.Card.Apdu;

/// <summary>The status words the card answers with (JPKI-REFERENCE §4.2, ISO/IEC 7816-4).</summary>
public static class StatusWords
{
    /// <summary>90 00 success.</summary>
    public const ushort Success = 0x9000;

    /// <summary>63 Cx: VERIFY failed or retry query; add the tries left (0–15).</summary>
    public const ushort RetriesBase = 0x63C0;

    /// <summary>63 00: EXTERNAL AUTHENTICATE failed (issuer channel).</summary>
    public const ushort AuthenticationFailed = 0x6300;

    /// <summary>65 81: memory failure (the card file could not be written).</summary>
    public const ushort MemoryFailure = 0x6581;

    /// <summary>67 00: wrong length (malformed APDU, wrong Lc, too much data).</summary>
    public const ushort WrongLength = 0x6700;

    /// <summary>68 82: secure messaging not supported (SELECT with an SM class).</summary>
    public const ushort SecureMessagingNotSupported = 0x6882;

    /// <summary>69 81: command incompatible with the file structure (e.g. READ BINARY on a key EF).</summary>
    public const ushort IncompatibleFile = 0x6981;

    /// <summary>69 82: security status not satisfied (PIN or issuer authentication missing).</summary>
    public const ushort SecurityStatusNotSatisfied = 0x6982;

    /// <summary>69 84: reference data not usable — the PIN is blocked.</summary>
    public const ushort PinBlocked = 0x6984;

    /// <summary>69 85: conditions of use not satisfied (e.g. no key generated, no challenge issued).</summary>
    public const ushort ConditionsNotSatisfied = 0x6985;

    /// <summary>69 86: command not allowed, no current EF.</summary>
    public const ushort NoCurrentEf = 0x6986;

    /// <summary>69 FC: the card's answer to a secure-messaging class byte (JPKI-REFERENCE §4).</summary>
    public const ushort SecureMessagingClass = 0x69FC;

    /// <summary>6A 80: incorrect data field (e.g. a PIN that breaks the PIN policy).</summary>
    public const ushort WrongData = 0x6A80;

    /// <summary>6A 82: file or application not found.</summary>
    public const ushort FileNotFound = 0x6A82;

    /// <summary>6A 83: record not found (READ RECORD beyond the last record).</summary>
    public const ushort RecordNotFound = 0x6A83;

    /// <summary>6A 88: referenced data not found (GET DATA of a tag the card does not hold here).</summary>
    public const ushort DataNotFound = 0x6A88;

    /// <summary>6A 86: incorrect P1/P2.</summary>
    public const ushort WrongP1P2 = 0x6A86;

    /// <summary>6B 00: offset beyond the end of the EF.</summary>
    public const ushort WrongOffset = 0x6B00;

    /// <summary>6D 00: instruction not supported.</summary>
    public const ushort InsNotSupported = 0x6D00;

    /// <summary>6E 00: class not supported.</summary>
    public const ushort ClaNotSupported = 0x6E00;

    /// <summary>6C xx: wrong Le; xx is the exact length available (00 = 256).</summary>
    public static ushort ExactLength(int length) => (ushort)(0x6C00 | (length & 0xFF));

    /// <summary>63 Cx for <paramref name="triesLeft"/> (clamped to 0–15).</summary>
    public static ushort Retries(int triesLeft) => (ushort)(RetriesBase | Math.Clamp(triesLeft, 0, 15));
}
