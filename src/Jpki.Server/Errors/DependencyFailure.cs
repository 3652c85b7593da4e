namespace Jpki.Server.Errors;

/// <summary>
/// A request failed because something the server depends on is not there: the database, the data folder's disk, the
/// PKCS#11 token. <paramref name="Dependency"/> names it for clients and operators (never a connection string or PIN);
/// <paramref name="StatusCode"/> is 503 (unavailable, retry later) or 507 (no space left).
/// </summary>
/// <param name="Dependency">A short, safe name: <c>database</c>, <c>data-folder</c>, <c>pkcs11-token</c>.</param>
/// <param name="StatusCode">503 or 507.</param>
/// <param name="Detail">One sentence for the problem body and the log.</param>
internal sealed record DependencyFailure(string Dependency, int StatusCode, string Detail);
