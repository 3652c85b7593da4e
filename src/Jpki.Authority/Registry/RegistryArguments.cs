using Jpki.Authority.Audit;

namespace Jpki.Authority.Registry;

/// <summary>Argument checks shared by both stores: programmer errors, thrown before touching the database.</summary>
internal static class RegistryArguments
{
    public static void Serial(string serialHex, string paramName)
    {
        ArgumentException.ThrowIfNullOrEmpty(serialHex, paramName);
        foreach (var c in serialHex)
        {
            if (!char.IsAsciiHexDigitUpper(c) && !char.IsAsciiDigit(c))
            {
                throw new ArgumentException("A serial number is uppercase hex without separators.", paramName);
            }
        }
    }

    public static void Record(CertificateRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Serial(record.SerialHex, nameof(record));
        if (record.PreviousSerialHex is not null)
        {
            Serial(record.PreviousSerialHex, nameof(record));
        }

        Kind(record.Kind, nameof(record));
        ArgumentException.ThrowIfNullOrEmpty(record.CardId, nameof(record));
        ArgumentException.ThrowIfNullOrEmpty(record.HolderId, nameof(record));
        if (record.Der.IsEmpty)
        {
            throw new ArgumentException("The certificate DER is empty.", nameof(record));
        }

        if (record.Revocation is { } revocation)
        {
            Reason(revocation.Reason, nameof(record));
        }
    }

    public static void Kind(Jpki.Core.Identity.CertificateKind kind, string paramName)
    {
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(paramName, kind, "Unknown certificate kind.");
        }
    }

    public static void Reason(RevocationReason reason, string paramName)
    {
        if (!Enum.IsDefined(reason))
        {
            throw new ArgumentOutOfRangeException(paramName, reason, "Not a CRLReason that JPKI uses.");
        }
    }

    public static void Entry(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(entry.Actor, nameof(entry));
        ArgumentException.ThrowIfNullOrEmpty(entry.Action, nameof(entry));
        ArgumentNullException.ThrowIfNull(entry.Subject, nameof(entry));
        ArgumentNullException.ThrowIfNull(entry.Details, nameof(entry));
    }
}
