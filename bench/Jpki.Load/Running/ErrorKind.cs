namespace Jpki.Load.Running;

/// <summary>Why a request did not count as a success.</summary>
internal enum ErrorKind
{
    /// <summary>Not an error: the answer arrived and was checked.</summary>
    None = 0,

    /// <summary>The server answered with an unexpected HTTP status.</summary>
    HttpStatus,

    /// <summary>No answer within the request timeout.</summary>
    Timeout,

    /// <summary>The connection failed or broke (refused, reset, closed early).</summary>
    Connection,

    /// <summary>An answer arrived but did not pass the scenario's check (parse, signature, certID, status, verdict).</summary>
    WrongAnswer,
}
