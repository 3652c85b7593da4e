namespace Jpki.Authority.Ca;

/// <summary>Where the authority draws serial numbers and subject identifiers from. Tests inject fixed sources.</summary>
public interface IIdentifierSource
{
    /// <summary>
    /// A new certificate serial number: positive, unpredictable, at most 20 octets, no leading zero octet
    /// (RFC 5280 §4.1.2.2), big-endian.
    /// </summary>
    byte[] NextSerial();

    /// <summary>A new opaque unique subject CN (JPKI-REFERENCE §6.2: the CN carries no personal data).</summary>
    string NextSubjectId();
}
