namespace Jpki.Card.Applications;

/// <summary>What an EF is, for the access rules.</summary>
internal enum FileKind
{
    /// <summary>Transparent EF, read with READ BINARY.</summary>
    Transparent,

    /// <summary>Record EF (JICSAP simple-TLV records), read with READ RECORD; this emulator keeps one record.</summary>
    Record,

    /// <summary>PIN / key reference (internal EF), target of VERIFY.</summary>
    Pin,

    /// <summary>Private key (internal EF), used by COMPUTE DIGITAL SIGNATURE or INTERNAL AUTHENTICATE.</summary>
    Key,
}
