namespace Jpki.Load.Running;

/// <summary>
/// What one request gave: success or an <see cref="ErrorKind"/> with a short detail (never a secret), the bytes
/// received, and a tag counting sub-kinds of request (<c>post</c>/<c>get</c>, <c>200</c>/<c>304</c>).
/// </summary>
internal readonly record struct Outcome(ErrorKind Error, long Bytes, string? Tag, string? Detail)
{
    public bool IsSuccess => Error == ErrorKind.None;

    public static Outcome Ok(long bytes, string? tag = null) => new(ErrorKind.None, bytes, tag, null);

    public static Outcome Wrong(string detail, string? tag = null) => new(ErrorKind.WrongAnswer, 0, tag, detail);

    public static Outcome Status(int status, string? tag = null) => new(ErrorKind.HttpStatus, 0, tag, "HTTP " + status.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
