namespace Jpki.Authority.Tsa;

/// <summary>PKIFailureInfo (RFC 3161 §2.4.2): why a time-stamp request was rejected. Bit n is the named bit n.</summary>
[Flags]
public enum TimestampFailure
{
    /// <summary>No failure (a granted answer).</summary>
    None = 0,

    /// <summary><c>badAlg</c> (0): the hash algorithm of the message imprint is not accepted.</summary>
    BadAlgorithm = 1 << 0,

    /// <summary><c>badRequest</c> (2): the transaction is not permitted or supported (e.g. the wrong media type).</summary>
    BadRequest = 1 << 2,

    /// <summary><c>badDataFormat</c> (5): the request is not a DER TimeStampReq, or its fields are inconsistent.</summary>
    BadDataFormat = 1 << 5,

    /// <summary><c>timeNotAvailable</c> (14): the TSA's time source is not available.</summary>
    TimeNotAvailable = 1 << 14,

    /// <summary><c>unacceptedPolicy</c> (15): the requested policy is not one this TSA issues under.</summary>
    UnacceptedPolicy = 1 << 15,

    /// <summary><c>unacceptedExtension</c> (16): the request carries an extension this TSA does not support.</summary>
    UnacceptedExtension = 1 << 16,

    /// <summary><c>systemFailure</c> (25): the request cannot be handled because of a system failure (e.g. the audit log is unreachable).</summary>
    SystemFailure = 1 << 25,
}
