namespace Jpki.Municipality.Storage;

/// <summary>A resident with the same id already exists.</summary>
public sealed class DuplicateResidentException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DuplicateResidentException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public DuplicateResidentException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the database's error.</summary>
    public DuplicateResidentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
