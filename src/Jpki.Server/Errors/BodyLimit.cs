using Microsoft.AspNetCore.Http.Metadata;

namespace Jpki.Server.Errors;

/// <summary>
/// Endpoint metadata raising (or lowering) the request body limit of one endpoint above the server's default
/// <see cref="BadRequestHandling.DefaultBodyLimit"/>; <see cref="BadRequestHandling"/> applies it before the body is read.
/// </summary>
internal sealed class BodyLimit(long bytes) : IRequestSizeLimitMetadata
{
    /// <summary>The CSV import of residents: a few MB (about 20,000 lines).</summary>
    public const long CsvImport = 4 * 1024 * 1024;

    public long? MaxRequestBodySize { get; } = bytes;
}
