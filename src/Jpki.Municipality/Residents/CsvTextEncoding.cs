namespace Jpki.Municipality.Residents;

/// <summary>The character encoding of a resident CSV file.</summary>
public enum CsvTextEncoding
{
    /// <summary>Detected: UTF-8 when the file has a UTF-8 byte-order mark or its first 64 KB are valid UTF-8, else Shift_JIS (CP932).</summary>
    Auto = 0,

    /// <summary>UTF-8 (a leading byte-order mark is allowed).</summary>
    Utf8 = 1,

    /// <summary>Shift_JIS as Windows writes it (code page 932, with the NEC and IBM extensions): what municipal systems export.</summary>
    ShiftJis = 2,
}
