using Microsoft.AspNetCore.Http.Metadata;

namespace Jpki.Server.Errors;

/// <summary>
/// Endpoint metadata raising (or lowering) the request body limit of one endpoint above the server's default
/// <see cref="BadRequestHandling.DefaultBodyLimit"/>; <see cref="BadRequestHandling"/> applies it before the body is read.
/// </summary>
internal sealed class BodyLimit(long bytes) : IRequestSizeLimitMetadata
{
    /// <summary>
    /// The CSV import of a whole register (streamed to a temporary file, never held in memory): 512 MB, about five
    /// million residents — more than any municipality (a ward of 68,000 residents is ≈ 7 MB).
    /// </summary>
    public const long CsvImport = 512L * 1024 * 1024;

    public long? MaxRequestBodySize { get; } = bytes;
}
