namespace Jpki.Authority.Crl;

/// <summary>
/// A CRL generation failed the coverage check and was not published (docs/authority.md): the previous CRLs stay
/// current. The message names the partitions at fault; it holds serial numbers, never personal data.
/// </summary>
public sealed class CrlCoverageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CrlCoverageException()
        : this("The CRLs were not published: the coverage check failed.")
    {
    }

    /// <summary>Creates the exception from a failed report.</summary>
    public CrlCoverageException(CrlCoverageReport report)
        : base("The CRLs were not published: the coverage check failed — " + string.Join("; ", (report ?? throw new ArgumentNullException(nameof(report))).Problems) + ".")
    {
        Report = report;
    }

    /// <summary>Creates the exception with a message.</summary>
    public CrlCoverageException(string message)
        : base(message)
    {
        Report = new CrlCoverageReport(0, [message]);
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public CrlCoverageException(string message, Exception innerException)
        : base(message, innerException)
    {
        Report = new CrlCoverageReport(0, [message]);
    }

    /// <summary>The failed report.</summary>
    public CrlCoverageReport Report { get; }
}
